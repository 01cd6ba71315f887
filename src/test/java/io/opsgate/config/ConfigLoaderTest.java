package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final Function<String, String> NO_ENV = name -> null;
    /** Every collector's key, as the errors list them (each new collector adds one). */
    private static final String COLLECTOR_KEYS = String.join(", ",
            java.util.Arrays.stream(CollectorName.values()).map(CollectorName::key).toList());

    private static OpsGateConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "cfg.yml", NO_ENV, null);
    }

    private static OpsGateConfig parse(String yaml, Map<String, String> env) throws ConfigException {
        return ConfigLoader.parse(yaml, "cfg.yml", env::get, null);
    }

    private static String error(String yaml) {
        return error(yaml, Map.of(), null);
    }

    private static String error(String yaml, Map<String, String> env, Path baseDir) {
        try {
            OpsGateConfig config = ConfigLoader.parse(yaml, "cfg.yml", env::get, baseDir);
            throw new AssertionError("expected a ConfigException, got " + config);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
    }

    @Nested
    class Defaults {
        @Test
        void defaultsHaveEveryDocumentedValue() {
            OpsGateConfig d = ConfigLoader.defaults();
            assertThat(d.server()).isEqualTo(new OpsGateConfig.Server("0.0.0.0", 9108));
            assertThat(d.collection()).isEqualTo(new OpsGateConfig.Collection(Duration.ofMinutes(5),
                    Duration.ofMinutes(5), 0.1, EnumSet.complementOf(EnumSet.of(CollectorName.ROUTE53,
                            CollectorName.ELBV2_TARGETS)), Duration.ofMinutes(5),
                    Duration.ofMinutes(15), 8, 5, OpsGateConfig.Quotas.DEFAULT, OpsGateConfig.Snapshots.DEFAULT,
                    OpsGateConfig.CostAware.DEFAULT, List.of("Name", "Environment", "Project", "Service")));
            assertThat(d.aws()).isEqualTo(new OpsGateConfig.Aws(List.of("us-east-1"), Map.of(), null, 10,
                    Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofSeconds(60)));
            assertThat(d.accounts()).containsExactly(
                    new OpsGateConfig.Account("default", null, null, null, List.of("us-east-1")));
        }

        @Test
        void emptyDocumentsGiveDefaults() throws Exception {
            for (String yaml : List.of("", "\n", "# only a comment\n", "---\n", "~\n")) {
                assertThat(parse(yaml)).as(yaml).isEqualTo(ConfigLoader.defaults());
            }
        }

        @Test
        void emptySectionsGiveDefaults() throws Exception {
            assertThat(parse("server:\ncollection: {}\naws:\n  retry: {}\n")).isEqualTo(ConfigLoader.defaults());
        }

        @Test
        void collectionsAreImmutable() {
            OpsGateConfig d = ConfigLoader.defaults();
            assertThatThrownBy(() -> d.collection().collectors().clear()).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> d.aws().regions().add("x")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> d.accounts().clear()).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class ExampleFile {
        private final Path example = Path.of("opsgate.example.yml");

        @Test
        void loads() throws Exception {
            OpsGateConfig c = ConfigLoader.load(example, NO_ENV);
            assertThat(c.server()).isEqualTo(OpsGateConfig.Server.DEFAULT);
            assertThat(c.collection().timeout()).isEqualTo(Duration.ofMinutes(4));
            assertThat(c.aws().regions()).containsExactly("us-east-1", "eu-west-1");
            assertThat(c.aws().credentials()).isNull();
            assertThat(c.accounts()).containsExactly(
                    new OpsGateConfig.Account("prod", "123456789012", "arn:aws:iam::123456789012:role/opsgate", null,
                            List.of("us-east-1", "eu-west-1")),
                    new OpsGateConfig.Account("staging", "210987654321",
                            "arn:aws:iam::210987654321:role/monitoring/opsgate", null, List.of("eu-west-1")));
        }

        @Test
        void documentsTheDefaults() throws Exception {
            OpsGateConfig c = ConfigLoader.load(example, NO_ENV);
            OpsGateConfig d = ConfigLoader.defaults();
            assertThat(c.collection()).usingRecursiveComparison().ignoringFields("timeout").isEqualTo(d.collection());
            assertThat(c.aws()).usingRecursiveComparison().ignoringFields("regions").isEqualTo(d.aws());
        }

        @Test
        void documentsEveryKey() throws Exception {
            String text = Files.readString(example);
            List<String> keys = new java.util.ArrayList<>();
            keys.addAll(ConfigMapper.SECTIONS);
            keys.addAll(ServerSection.KEYS);
            keys.addAll(CollectionSection.KEYS);
            keys.addAll(CollectionSection.CLOUDWATCH_KEYS);
            keys.addAll(CollectionSection.COST_AWARE_KEYS);
            keys.addAll(AwsSection.KEYS);
            keys.addAll(AwsSection.ENDPOINT_SERVICES);
            keys.addAll(AwsSection.CREDENTIAL_KEYS);
            keys.addAll(AwsSection.RETRY_KEYS);
            keys.addAll(AccountsSection.KEYS);
            keys.addAll(RouteSection.KEYS);
            keys.addAll(ReceiversSection.KEYS);
            keys.addAll(ReceiversSection.SLACK_KEYS);
            keys.addAll(ReceiversSection.WEBHOOK_KEYS);
            keys.addAll(ReceiversSection.PAGERDUTY_KEYS);
            keys.addAll(ReceiversSection.LOG_KEYS);
            keys.addAll(DiscoverySection.KEYS);
            keys.addAll(AuthSection.KEYS);
            keys.addAll(AuthSection.BASIC_KEYS);
            keys.addAll(DiscoverySection.JOB_KEYS);
            for (String key : keys) {
                assertThat(text).as(key).containsPattern("(?m)(^|[ #-])" + key + ":");
            }
        }

        @Test
        void listenCanComeFromTheEnvironment() throws Exception {
            OpsGateConfig c = ConfigLoader.load(example, Map.of("OPSGATE_LISTEN", "[::1]:9200")::get);
            assertThat(c.server()).isEqualTo(new OpsGateConfig.Server("::1", 9200));
        }
    }

    @Nested
    class Mapping {
        @Test
        void readsEveryKey(@TempDir Path dir) throws Exception {
            Files.writeString(dir.resolve("token"), "tok\n");
            Files.writeString(dir.resolve("ext"), "ext-id\r\n");
            String yaml = """
                    server:
                      listen: 127.0.0.1:9200
                    collection:
                      interval: 1m
                      timeout: 50s
                      jitter: 0
                      collectors: [ec2_status, ebs]
                      concurrency: 256
                      cloudwatch:
                        period: 1m
                        window: 10m
                        concurrency: 3
                        cost_aware:
                          enabled: false
                          burst_balance_threshold: 0.3
                          cpu_credit_threshold: 10
                          max_interval: 2h
                          publication_delay: 2m
                          price_per_1000_metrics: 0.02
                      required_tags: [Owner, "cost-center", aws:cloudformation:stack-name]
                    aws:
                      regions: [eu-central-1, us-gov-west-1, cn-north-1]
                      endpoints:
                        ec2: http://127.0.0.1:4566
                        cloudwatch: https://monitoring.local:8443/base
                        sts: http://localhost:4566
                      credentials:
                        access_key_id: AKIDEXAMPLE
                        secret_access_key: s3cr3t
                        session_token_file: token
                      retry:
                        max_attempts: 1
                        base_delay: 0
                        throttling_base_delay: 1s
                        max_backoff: 1s
                      api_call_timeout: 2m30s
                    accounts:
                      - name: a
                        id: "000000000001"
                      - role_arn: arn:aws-cn:iam::000000000002:role/x
                        external_id_file: ext
                        regions: [cn-northwest-1]
                    """;
            OpsGateConfig c = ConfigLoader.parse(yaml, "cfg.yml", NO_ENV, dir);
            assertThat(c.server()).isEqualTo(new OpsGateConfig.Server("127.0.0.1", 9200));
            assertThat(c.collection()).isEqualTo(new OpsGateConfig.Collection(Duration.ofMinutes(1),
                    Duration.ofSeconds(50), 0, Set.of(CollectorName.EBS, CollectorName.EC2_STATUS),
                    Duration.ofMinutes(1), Duration.ofMinutes(10), 256, 3, OpsGateConfig.Quotas.DEFAULT,
                    OpsGateConfig.Snapshots.DEFAULT, new OpsGateConfig.CostAware(false, 0.3, 10,
                            Duration.ofHours(2), Duration.ofMinutes(2), 0.02),
                    List.of("Owner", "cost-center", "aws:cloudformation:stack-name")));
            assertThat(c.aws()).isEqualTo(new OpsGateConfig.Aws(
                    List.of("eu-central-1", "us-gov-west-1", "cn-north-1"),
                    Map.of("ec2", "http://127.0.0.1:4566", "cloudwatch", "https://monitoring.local:8443/base",
                            "sts", "http://localhost:4566"),
                    new OpsGateConfig.StaticCredentials("AKIDEXAMPLE", "s3cr3t", "tok"),
                    1, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(150)));
            assertThat(c.accounts()).containsExactly(
                    new OpsGateConfig.Account("a", "000000000001", null, null,
                            List.of("eu-central-1", "us-gov-west-1", "cn-north-1")),
                    new OpsGateConfig.Account("000000000002", "000000000002", "arn:aws-cn:iam::000000000002:role/x",
                            "ext-id", List.of("cn-northwest-1")));
        }

        @Test
        void timeoutDefaultsToInterval() throws Exception {
            assertThat(parse("collection: {interval: 30s}").collection().timeout()).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        void accountsWithoutRegionsUseAwsRegions() throws Exception {
            OpsGateConfig c = parse("aws: {regions: [eu-west-1]}\naccounts: [{name: x}]\n");
            assertThat(c.accounts().get(0).regions()).containsExactly("eu-west-1");
            assertThat(parse("aws: {regions: [eu-west-1]}").accounts().get(0).regions()).containsExactly("eu-west-1");
        }

        @Test
        void idIsTakenFromRoleArnAndNameFromId() throws Exception {
            OpsGateConfig.Account a = parse("accounts:\n  - role_arn: arn:aws:iam::123456789012:role/a/b/c\n")
                    .accounts().get(0);
            assertThat(a.id()).isEqualTo("123456789012");
            assertThat(a.name()).isEqualTo("123456789012");
        }

        @Test
        void quotedOrTaggedIdIsAccepted() throws Exception {
            assertThat(parse("accounts: [{id: '012345678901'}]").accounts().get(0).id()).isEqualTo("012345678901");
            assertThat(parse("accounts: [{id: !!str 012345678901}]").accounts().get(0).id()).isEqualTo("012345678901");
        }

        @Test
        void jitterAcceptsIntegersAndDecimals() throws Exception {
            assertThat(parse("collection: {jitter: 1}").collection().jitter()).isEqualTo(1.0);
            assertThat(parse("collection: {jitter: 0.25}").collection().jitter()).isEqualTo(0.25);
        }

        @Test
        void highResolutionPeriodsAreAllowed() throws Exception {
            for (String p : List.of("1s", "5s", "10s", "30s", "1m", "2m", "1h")) {
                assertThat(parse("collection: {cloudwatch: {period: " + p + ", window: 1h}}")
                        .collection().cloudWatchPeriod()).isEqualTo(Durations.parse(p));
            }
        }
    }

    @Nested
    class Interpolation {
        @Test
        void expandsVariablesDefaultsAndDollars() throws Exception {
            String yaml = """
                    server:
                      listen: ${HOST:-0.0.0.0}:${PORT}
                    collection:
                      interval: ${INTERVAL:-2m}
                      concurrency: ${CONCURRENCY:-16}
                    aws:
                      regions: ["${REGION}", eu-west-1]
                    accounts:
                      - name: cost$$center $x
                    """;
            OpsGateConfig c = parse(yaml, Map.of("PORT", "9300", "REGION", "ap-southeast-2"));
            assertThat(c.server()).isEqualTo(new OpsGateConfig.Server("0.0.0.0", 9300));
            assertThat(c.collection().interval()).isEqualTo(Duration.ofMinutes(2));
            assertThat(c.collection().concurrency()).isEqualTo(16);
            assertThat(c.aws().regions()).containsExactly("ap-southeast-2", "eu-west-1");
            assertThat(c.accounts().get(0).name()).isEqualTo("cost$center $x");
        }

        @Test
        void valuesCannotInjectYaml() throws Exception {
            OpsGateConfig c = parse("accounts:\n  - name: ${NAME}\n", Map.of("NAME", "x\n    id: \"123456789012\""));
            assertThat(c.accounts().get(0).name()).isEqualTo("x\n    id: \"123456789012\"");
            assertThat(c.accounts().get(0).id()).isNull();
        }

        @Test
        void emptyValueCountsAsNotSet() throws Exception {
            String yaml = """
                    collection:
                      interval: ${INTERVAL:-}
                    aws:
                      credentials:
                        access_key_id: a
                        secret_access_key: b
                        session_token: ${AWS_SESSION_TOKEN:-}
                    """;
            OpsGateConfig c = parse(yaml);
            assertThat(c.collection().interval()).isEqualTo(Duration.ofMinutes(5));
            assertThat(c.aws().credentials().sessionToken()).isNull();
        }

        @Test
        void keysAreNotExpanded() {
            assertThat(error("${SECTION}: {}\n", Map.of("SECTION", "server"), null))
                    .startsWith("cfg.yml:1:1: ${SECTION}: unknown key \"${SECTION}\"");
        }
    }

    @Nested
    class Secrets {
        @Test
        void fileIsReadRelativeToTheConfigFileAndTrimmed(@TempDir Path dir) throws Exception {
            Files.createDirectories(dir.resolve("secrets"));
            Files.writeString(dir.resolve("secrets/key_id"), "AKID\n");
            Files.writeString(dir.resolve("secrets/secret"), "  with spaces  \n\n");
            Path config = dir.resolve("opsgate.yml");
            Files.writeString(config, """
                    aws:
                      credentials:
                        access_key_id_file: secrets/key_id
                        secret_access_key_file: ${SECRETS_DIR}/secret
                    """);
            OpsGateConfig c = ConfigLoader.load(config, Map.of("SECRETS_DIR", dir.resolve("secrets").toString())::get);
            assertThat(c.aws().credentials())
                    .isEqualTo(new OpsGateConfig.StaticCredentials("AKID", "  with spaces  ", null));
        }

        @Test
        void secretsNeverAppearInToString() throws Exception {
            OpsGateConfig c = parse("""
                    aws:
                      credentials: {access_key_id: AKID, secret_access_key: TOPSECRET1, session_token: TOPSECRET2}
                    accounts:
                      - role_arn: arn:aws:iam::123456789012:role/r
                        external_id: TOPSECRET3
                    """);
            assertThat(c.toString()).doesNotContain("TOPSECRET");
        }

        @Test
        void secretsNeverAppearInErrors() {
            assertThat(error("""
                    aws:
                      credentials:
                        access_key_id: AKID
                        secret_access_key: TOPSECRET
                        secret_access_key_file: x
                    """)).doesNotContain("TOPSECRET");
        }
    }

    @Nested
    class Errors {
        @Test
        void unknownKeyWithSuggestion() {
            assertThat(error("collection:\n  intreval: 5m\n"))
                    .isEqualTo("cfg.yml:2:3: collection.intreval: unknown key \"intreval\"; did you mean \"interval\"?");
            assertThat(error("aws:\n  retry:\n    maxAttempts: 3\n")).isEqualTo(
                    "cfg.yml:3:5: aws.retry.maxAttempts: unknown key \"maxAttempts\"; did you mean \"max_attempts\"?");
            assertThat(error("accounts:\n  - name: a\n    region: [us-east-1]\n")).isEqualTo(
                    "cfg.yml:3:5: accounts[0].region: unknown key \"region\"; did you mean \"regions\"?");
        }

        @Test
        void unknownTopLevelSection() {
            assertThat(error("server: {}\ncolection:\n  interval: 5m\n"))
                    .isEqualTo("cfg.yml:2:1: colection: unknown key \"colection\"; did you mean \"collection\"?");
            assertThat(error("alerting: {}\n")).isEqualTo(
                    "cfg.yml:1:1: alerting: unknown key \"alerting\"; expected one of: server, collection, aws, accounts, route, receivers, alerts, discovery");
        }

        @Test
        void unknownEndpointService() {
            assertThat(error("aws:\n  endpoints:\n    ec3: http://localhost:4566\n"))
                    .isEqualTo("cfg.yml:3:5: aws.endpoints.ec3: unknown key \"ec3\"; did you mean \"ec2\"?");
            assertThat(error("aws:\n  endpoints:\n    lambda: http://localhost:4566\n")).isEqualTo(
                    "cfg.yml:3:5: aws.endpoints.lambda: unknown key \"lambda\"; expected one of: ec2, cloudwatch, sts, rds, elasticloadbalancing, servicequotas, route53, sns");
        }

        @Test
        void wrongTypes() {
            assertThat(error("- server\n")).isEqualTo("cfg.yml:1:1: (top level): expected a mapping with keys"
                    + " server, collection, aws, accounts, route, receivers, alerts, discovery, got a list");
            assertThat(error("server: 9108\n"))
                    .isEqualTo("cfg.yml:1:9: server: expected a mapping with keys listen, idle_timeout, request_header_timeout, request_body_timeout, max_connections, max_inflight_body_bytes, metrics_auth, got \"9108\"");
            assertThat(error("aws:\n  regions: us-east-1\n")).isEqualTo("cfg.yml:2:12: aws.regions:"
                    + " expected a list of regions like [us-east-1, eu-west-1], got \"us-east-1\"");
            assertThat(error("collection:\n  collectors: ebs\n")).isEqualTo("cfg.yml:2:15: collection.collectors:"
                    + " expected a list of collector names (" + COLLECTOR_KEYS + "), got \"ebs\"");
            assertThat(error("collection:\n  concurrency: many\n")).isEqualTo(
                    "cfg.yml:2:16: collection.concurrency: expected a whole number from 1 to 256, got \"many\"");
            assertThat(error("collection:\n  jitter: [0.1]\n")).isEqualTo(
                    "cfg.yml:2:11: collection.jitter: expected a string, got a list");
            assertThat(error("server:\n  listen: {host: x}\n")).isEqualTo(
                    "cfg.yml:2:11: server.listen: expected a string, got a mapping");
            assertThat(error("accounts:\n  prod: {}\n")).isEqualTo("cfg.yml:2:3: accounts: expected a list of"
                    + " accounts (mappings with keys name, id, role_arn, external_id, external_id_file, regions),"
                    + " got a mapping");
            assertThat(error("accounts:\n  - prod\n")).isEqualTo("cfg.yml:2:5: accounts[0]: expected a mapping with"
                    + " keys name, id, role_arn, external_id, external_id_file, regions, got \"prod\"");
        }

        @Test
        void badDuration() {
            assertThat(error("collection:\n  interval: five\n")).isEqualTo(
                    "cfg.yml:2:13: collection.interval: expected a duration like 30s or 5m, got \"five\"");
            assertThat(error("collection:\n  interval: 300\n")).isEqualTo(
                    "cfg.yml:2:13: collection.interval: expected a duration like 30s or 5m, got 300 (add a unit, e.g. 300s)");
            assertThat(error("aws:\n  retry:\n    max_backoff: 1.5s\n")).isEqualTo(
                    "cfg.yml:3:18: aws.retry.max_backoff: expected a duration like 30s or 5m, got \"1.5s\"");
        }

        @Test
        void unquotedAccountId() {
            assertThat(error("accounts:\n  - id: 123456789012\n")).isEqualTo("cfg.yml:2:9: accounts[0].id:"
                    + " must be a quoted string like \"123456789012\", got the unquoted number 123456789012"
                    + " (YAML reads unquoted digits as a number and drops leading zeros); write it in quotes");
            assertThat(error("accounts:\n  - id: 012345678901\n")).startsWith(
                    "cfg.yml:2:9: accounts[0].id: must be a quoted string");
        }

        @Test
        void badAccountId() {
            assertThat(error("accounts:\n  - id: \"1234\"\n")).isEqualTo(
                    "cfg.yml:2:9: accounts[0].id: expected a 12-digit account id like \"123456789012\", got \"1234\"");
        }

        @Test
        void badRoleArn() {
            assertThat(error("accounts:\n  - name: a\n  - role_arn: arn:aws:iam::1234:role/x\n")).isEqualTo(
                    "cfg.yml:3:15: accounts[1].role_arn: expected an IAM role ARN like"
                            + " arn:aws:iam::123456789012:role/opsgate, got \"arn:aws:iam::1234:role/x\"");
            assertThat(error("accounts:\n  - role_arn: arn:aws:iam::123456789012:user/x\n"))
                    .startsWith("cfg.yml:2:15: accounts[0].role_arn: expected an IAM role ARN");
        }

        @Test
        void idAndRoleArnDisagree() {
            assertThat(error("""
                    accounts:
                      - id: "111111111111"
                        role_arn: arn:aws:iam::222222222222:role/r
                    """)).isEqualTo("cfg.yml:2:9: accounts[0].id: account 111111111111 does not match role_arn,"
                    + " whose account is 222222222222");
        }

        @Test
        void badRegion() {
            assertThat(error("aws:\n  regions: [us-east-1, useast1]\n")).isEqualTo(
                    "cfg.yml:2:24: aws.regions[1]: expected an AWS region like us-east-1, got \"useast1\"");
            assertThat(error("accounts:\n  - regions:\n      - eu-west-1\n      - EU-WEST-2\n")).isEqualTo(
                    "cfg.yml:4:9: accounts[0].regions[1]: expected an AWS region like us-east-1, got \"EU-WEST-2\"");
            assertThat(error("aws:\n  regions: []\n")).isEqualTo(
                    "cfg.yml:2:12: aws.regions: must list at least one region");
            assertThat(error("aws:\n  regions: [eu-west-1, eu-west-1]\n")).isEqualTo(
                    "cfg.yml:2:24: aws.regions[1]: region eu-west-1 is listed twice");
        }

        @Test
        void badEndpoint() {
            assertThat(error("aws:\n  endpoints:\n    ec2: localhost:4566\n")).isEqualTo("cfg.yml:3:10:"
                    + " aws.endpoints.ec2: expected an absolute http(s) URL like http://127.0.0.1:4566,"
                    + " got \"localhost:4566\"");
            assertThat(error("aws:\n  endpoints:\n    sts: ftp://x\n"))
                    .startsWith("cfg.yml:3:10: aws.endpoints.sts: expected an absolute http(s) URL");
            assertThat(error("aws:\n  endpoints:\n    sts: http://\n"))
                    .startsWith("cfg.yml:3:10: aws.endpoints.sts: expected an absolute http(s) URL");
        }

        @Test
        void missingEnvironmentVariable() {
            assertThat(error("aws:\n  credentials:\n    access_key_id: ${AWS_KEY}\n    secret_access_key: x\n"))
                    .isEqualTo("cfg.yml:3:20: aws.credentials.access_key_id: environment variable AWS_KEY"
                            + " is not set (write ${AWS_KEY:-default} to give a default)");
            assertThat(error("aws:\n  regions: [us-east-1, \"${R}\"]\n")).isEqualTo("cfg.yml:2:24: aws.regions[1]:"
                    + " environment variable R is not set (write ${R:-default} to give a default)");
        }

        @Test
        void bothValueAndFile() {
            assertThat(error("""
                    aws:
                      credentials:
                        access_key_id: a
                        secret_access_key: b
                        secret_access_key_file: /run/secrets/b
                    """)).isEqualTo("cfg.yml:5:29: aws.credentials.secret_access_key_file:"
                    + " set either secret_access_key or secret_access_key_file, not both");
            assertThat(error("""
                    accounts:
                      - role_arn: arn:aws:iam::123456789012:role/r
                        external_id_file: ext
                        external_id: x
                    """)).isEqualTo("cfg.yml:3:23: accounts[0].external_id_file:"
                    + " set either external_id or external_id_file, not both");
        }

        @Test
        void missingSecretFile(@TempDir Path dir) throws IOException {
            String yaml = "aws:\n  credentials:\n    access_key_id: a\n    secret_access_key_file: nope.txt\n";
            assertThat(error(yaml, Map.of(), dir)).isEqualTo("cfg.yml:4:29: aws.credentials.secret_access_key_file:"
                    + " cannot read " + dir.resolve("nope.txt") + ": no such file");
            Files.writeString(dir.resolve("empty"), "\n");
            assertThat(error("accounts:\n  - role_arn: arn:aws:iam::123456789012:role/r\n    external_id_file: empty\n",
                    Map.of(), dir)).isEqualTo("cfg.yml:3:23: accounts[0].external_id_file: "
                    + dir.resolve("empty") + " is empty");
        }

        @Test
        void missingRequiredCredentialPointsAtTheParent() {
            assertThat(error("aws:\n  credentials:\n    access_key_id: a\n")).isEqualTo(
                    "cfg.yml:3:5: aws.credentials.secret_access_key: required when aws.credentials is set"
                            + " (set secret_access_key or secret_access_key_file, or leave aws.credentials out"
                            + " to use the SDK's default credential chain)");
        }

        @Test
        void externalIdNeedsRoleArn() {
            assertThat(error("accounts:\n  - name: a\n    external_id: x\n")).isEqualTo(
                    "cfg.yml:3:18: accounts[0].external_id: only applies with role_arn (it is sent with AssumeRole)");
        }

        @Test
        void missingConfigFile(@TempDir Path dir) {
            Path missing = dir.resolve("nope.yml");
            assertThatThrownBy(() -> ConfigLoader.load(missing, NO_ENV))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(missing + ": no such file");
            assertThatThrownBy(() -> ConfigLoader.load(dir, NO_ENV))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(dir + ": is a directory, expected a YAML file");
        }

        @Test
        void yamlSyntaxError() {
            assertThat(error("server:\n  listen: a: b\n"))
                    .isEqualTo("cfg.yml:2:12: invalid YAML: mapping values are not allowed here");
            assertThat(error("aws:\n  regions: [us-east-1\n"))
                    .isEqualTo("cfg.yml:3:1: invalid YAML: expected ',' or ']', but got <stream end>"
                            + " (while parsing a flow sequence)");
            assertThat(error("server: {}\n---\naws: {}\n")).isEqualTo(
                    "cfg.yml:2:1: invalid YAML: expected a single document in the stream, but found another document");
            assertThat(error("server:\n\tlisten: x\n")).startsWith("cfg.yml:2:1: invalid YAML: found character '\\t(TAB)'");
        }

        @Test
        void duplicateKey() {
            assertThat(error("collection:\n  interval: 1m\n  jitter: 0\n  interval: 2m\n")).isEqualTo(
                    "cfg.yml:4:3: collection.interval: duplicate key \"interval\" (first set on line 2)");
            assertThat(error("aws: {}\naws: {}\n"))
                    .isEqualTo("cfg.yml:2:1: aws: duplicate key \"aws\" (first set on line 1)");
        }

        @Test
        void timeoutLongerThanInterval() {
            assertThat(error("collection:\n  interval: 1m\n  timeout: 2m\n")).isEqualTo(
                    "cfg.yml:3:12: collection.timeout: must not be longer than collection.interval (1m), got 2m");
            assertThat(error("collection:\n  timeout: 1h\n")).isEqualTo(
                    "cfg.yml:2:12: collection.timeout: must not be longer than collection.interval (5m), got 1h");
        }

        @Test
        void emptyOrUnknownCollectors() {
            assertThat(error("collection:\n  collectors: []\n")).isEqualTo("cfg.yml:2:15: collection.collectors:"
                    + " must name at least one collector (" + COLLECTOR_KEYS + "); leave collectors out to run all of them");
            assertThat(error("collection:\n  collectors: [ebs, ec2_stats]\n")).isEqualTo(
                    "cfg.yml:2:21: collection.collectors[1]: unknown collector \"ec2_stats\"; did you mean \"ec2_status\"?");
            assertThat(error("collection:\n  collectors: [ebs, ebs]\n")).isEqualTo(
                    "cfg.yml:2:21: collection.collectors[1]: collector \"ebs\" is listed twice");
            assertThat(error("collection:\n  required_tags: []\n")).isEqualTo("cfg.yml:2:18: collection.required_tags:"
                    + " must name at least one tag key; to check no tags, leave \"tags\" out of collection.collectors");
            assertThat(error("collection:\n  required_tags: Name\n")).isEqualTo("cfg.yml:2:18: collection.required_tags:"
                    + " expected a list of tag keys, got \"Name\"");
            assertThat(error("collection:\n  required_tags: [Name, \"  \"]\n")).isEqualTo(
                    "cfg.yml:2:25: collection.required_tags[1]: a tag key must not be empty");
            assertThat(error("collection:\n  required_tags: [Name, Owner, Name]\n")).isEqualTo(
                    "cfg.yml:2:32: collection.required_tags[2]: tag key \"Name\" is listed twice");
            assertThat(error("collection:\n  required_tags: [" + "k".repeat(129) + "]\n")).isEqualTo(
                    "cfg.yml:2:19: collection.required_tags[0]: a tag key has at most 128 characters, got 129");
            assertThat(error("collection:\n  required_tag: [Name]\n")).startsWith(
                    "cfg.yml:2:3: collection.required_tag: unknown key \"required_tag\"; did you mean \"required_tags\"?");
        }

        @Test
        void outOfRangeValues() {
            assertThat(error("collection:\n  interval: 5s\n"))
                    .isEqualTo("cfg.yml:2:13: collection.interval: must be at least 10s, got 5s");
            assertThat(error("collection:\n  jitter: 1.5\n"))
                    .isEqualTo("cfg.yml:2:11: collection.jitter: must be from 0.0 to 1.0, got 1.5");
            assertThat(error("collection:\n  concurrency: 0\n"))
                    .isEqualTo("cfg.yml:2:16: collection.concurrency: must be from 1 to 256, got 0");
            assertThat(error("collection:\n  cloudwatch:\n    concurrency: 65\n"))
                    .isEqualTo("cfg.yml:3:18: collection.cloudwatch.concurrency: must be from 1 to 64, got 65");
            assertThat(error("aws:\n  retry:\n    max_attempts: 51\n"))
                    .isEqualTo("cfg.yml:3:19: aws.retry.max_attempts: must be from 1 to 50, got 51");
            assertThat(error("aws:\n  retry:\n    max_backoff: 200ms\n")).isEqualTo("cfg.yml:3:18:"
                    + " aws.retry.max_backoff: must not be shorter than base_delay (100ms) or"
                    + " throttling_base_delay (500ms), got 200ms");
            assertThat(error("aws:\n  api_call_timeout: 0s\n"))
                    .isEqualTo("cfg.yml:2:21: aws.api_call_timeout: must be longer than 0s");
        }

        @Test
        void badCloudWatchPeriodAndWindow() {
            assertThat(error("collection:\n  cloudwatch:\n    period: 90s\n")).isEqualTo("cfg.yml:3:13:"
                    + " collection.cloudwatch.period: must be 1s, 5s, 10s, 30s or a multiple of 60s, got 1m30s");
            assertThat(error("collection:\n  cloudwatch:\n    window: 1m\n")).isEqualTo("cfg.yml:3:13:"
                    + " collection.cloudwatch.window: must be at least collection.cloudwatch.period (5m), got 1m");
            assertThat(error("collection:\n  cloudwatch:\n    period: 1h\n")).isEqualTo("cfg.yml:3:13:"
                    + " collection.cloudwatch.period: must not be longer than collection.cloudwatch.window (15m),"
                    + " got 1h");
        }

        @Test
        void badCostAwarePolling() {
            String at = "collection:\n  cloudwatch:\n    cost_aware:\n      ";
            assertThat(error(at + "enabled: yes\n")).isEqualTo("cfg.yml:4:16:"
                    + " collection.cloudwatch.cost_aware.enabled: expected true or false, got \"yes\"");
            assertThat(error(at + "burst_balance_threshold: 20\n")).isEqualTo("cfg.yml:4:32:"
                    + " collection.cloudwatch.cost_aware.burst_balance_threshold: must be from 0.0 to 1.0, got 20");
            assertThat(error(at + "burst_balance_threshold: 0\n")).isEqualTo("cfg.yml:4:32:"
                    + " collection.cloudwatch.cost_aware.burst_balance_threshold: must be a ratio between 0 and 1"
                    + " (e.g. 0.2 for 20 %), exclusive, got 0");
            assertThat(error(at + "max_interval: 1m\n")).isEqualTo("cfg.yml:4:21:"
                    + " collection.cloudwatch.cost_aware.max_interval: must be from collection.cloudwatch.period (5m)"
                    + " to 1d, got 1m");
            assertThat(error(at + "price_per_1000_metrics: -1\n")).isEqualTo("cfg.yml:4:31:"
                    + " collection.cloudwatch.cost_aware.price_per_1000_metrics: must be from 0.0 to 1000.0, got -1");
            assertThat(error(at + "max_intervall: 1h\n")).isEqualTo("cfg.yml:4:7:"
                    + " collection.cloudwatch.cost_aware.max_intervall: unknown key \"max_intervall\";"
                    + " did you mean \"max_interval\"?");
        }

        @Test
        void badListenAddress() {
            assertThat(error("server:\n  listen: localhost\n")).isEqualTo("cfg.yml:2:11: server.listen:"
                    + " expected HOST:PORT like 0.0.0.0:9108 or [::1]:9108, got \"localhost\"");
            assertThat(error("server:\n  listen: ::1:9108\n")).isEqualTo("cfg.yml:2:11: server.listen:"
                    + " an IPv6 address needs brackets, like [::1]:9108, got \"::1:9108\"");
        }

        @Test
        void accountListProblems() {
            assertThat(error("accounts: []\n")).isEqualTo("cfg.yml:1:11: accounts: must list at least one account;"
                    + " leave accounts out to watch the account of the base credentials");
            assertThat(error("accounts:\n  - name: prod\n  - name: prod\n")).isEqualTo(
                    "cfg.yml:3:11: accounts[1].name: account name \"prod\" is already used by accounts[0]");
            assertThat(error("accounts:\n  - {}\n  - {}\n")).isEqualTo("cfg.yml:3:5: accounts[1]: account name"
                    + " \"default\" is already used by accounts[0]; set name to tell them apart");
        }

        @Test
        void mergeKeysAreRejected() {
            assertThat(error("collection:\n  <<: {interval: 1m}\n")).isEqualTo(
                    "cfg.yml:2:3: collection.<<: YAML merge keys (<<) are not supported; repeat the keys instead");
        }
    }
}
