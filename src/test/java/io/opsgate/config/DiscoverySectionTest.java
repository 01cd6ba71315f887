package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsgate.ConfigCheck;
import io.opsgate.http.RequestAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoverySectionTest {
    private static OpsGateConfig parse(String yaml) throws ConfigException {
        return ConfigCheck.check(ConfigLoader.parse(yaml, "t.yml", Map.<String, String>of()::get, Path.of(".")));
    }

    private static void fails(String yaml, String... parts) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).message().contains(parts);
    }

    @Test
    void defaultsServeEc2WithoutAuthOrJobs() throws Exception {
        OpsGateConfig c = parse("");
        assertThat(c.discovery()).isEqualTo(OpsGateConfig.Discovery.DEFAULT);
        assertThat(c.discovery().kinds()).containsExactly(DiscoveryKind.EC2);
        assertThat(parse("discovery: {kinds: []}").discovery().kinds()).isEmpty();
    }

    @Test
    void readsKindsAuthAndJobs(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("token"), "tok\n");
        OpsGateConfig c = ConfigLoader.parse("""
                discovery:
                  kinds: [ec2, rds]
                  auth: {basic_auth: {username: prom, password: pw}, bearer_token_file: token}
                  jobs:
                    - {name: node, kind: ec2, port: [9100, 9256], tags: {Environment: prod}}
                    - {name: pg, kind: rds, engine: postgres}
                """, "t.yml", Map.<String, String>of()::get, dir);
        assertThat(c.warnings()).isEmpty();
        assertThat(RequestAuth.of(c.discovery().auth()).accepts("Bearer tok")).isTrue();
        assertThat(c.discovery().auth().username()).isEqualTo("prom");
        assertThat(c.discovery().auth().toString()).doesNotContain("pw").doesNotContain("tok");
        assertThat(c.discovery().jobs().keySet()).containsExactly("node", "pg");
        assertThat(c.discovery().jobs().get("pg").kind()).isEqualTo(DiscoveryKind.RDS);
    }

    @Test
    void badValuesNameTheKeyAndLine() {
        fails("discovery:\n  kinds: [ec2, rdss]\n", "t.yml:2:", "discovery.kinds[1]", "did you mean \"rds\"");
        fails("discovery:\n  jobs:\n    - {name: n, kind: rds}\n", "discovery.jobs[0].kind", "add it to discovery.kinds");
        fails("discovery:\n  jobs:\n    - {name: n, kind: ec2, port: 70000}\n", "t.yml:3:", "discovery.jobs[0].port",
                "port number from 1 to 65535");
        fails("discovery:\n  jobs:\n    - name: n\n      kind: ec2\n      tag_regex: {Team: \"(\"}\n",
                "t.yml:5:", "discovery.jobs[0].tag_regex.Team", "not a valid regular expression");
        fails("discovery:\n  jobs:\n    - {name: n, kind: ec2, state: runing}\n", "did you mean \"running\"");
        fails("discovery:\n  jobs:\n    - {name: n, kind: elbv2-targets, engine: postgres}\n", "discovery.kinds");
        fails("discovery:\n  kinds: [elbv2-targets]\n  jobs:\n    - {name: n, kind: elbv2-targets, engine: postgres}\n",
                "unknown key \"engine\"");
        fails("discovery:\n  jobs:\n    - {name: a, kind: ec2}\n    - {name: a, kind: ec2}\n", "discovery.jobs[1].name", "used twice");
        fails("discovery:\n  jobs:\n    - {name: \"a/b\", kind: ec2}\n", "go in the URL");
        fails("discovery:\n  jobs:\n    - {kind: ec2}\n", "needs a name");
        fails("discovery:\n  auth: {basic_auth: {username: prom}}\n", "discovery.auth.basic_auth.username",
                "needs discovery.auth.basic_auth.password");
        fails("discovery:\n  auth: {basic_auth: {password: pw}}\n", "discovery.auth.basic_auth.password",
                "needs discovery.auth.basic_auth.username");
        fails("discovery:\n  auth: {bearer_token: \" \"}\n", "t.yml:2:", "discovery.auth.bearer_token: is blank");
        fails("discovery:\n  auth: {username: prom}\n", "discovery.auth.username", "needs discovery.auth.password");
        fails("discovery:\n  auth: {username: prom, password: pw, basic_auth: {username: a, password: b}}\n",
                "discovery.auth.basic_auth", "not both");
        fails("discovery:\n  jobz: []\n", "unknown key \"jobz\"", "did you mean \"jobs\"");
    }

    @Test
    void theFlatAuthShapeOfEarlierVersionsStillWorksWithAWarning() throws Exception {
        OpsGateConfig c = parse("discovery:\n  auth: {username: prom, password: pw}\n");
        assertThat(c.discovery().auth()).isEqualTo(new AuthConfig("prom", "pw", null));
        assertThat(c.warnings()).singleElement().asString()
                .startsWith("t.yml:2:20: discovery.auth.username: deprecated: write discovery.auth.basic_auth:");
    }

    @Test
    void theWebhookAndHttpSdReadTheSameShape() throws Exception {
        OpsGateConfig c = parse("""
                alerts:
                  auth: {bearer_token: t, basic_auth: {username: u, password: p}}
                discovery:
                  auth: {bearer_token: t, basic_auth: {username: u, password: p}}
                """);
        assertThat(c.discovery().auth()).isEqualTo(c.alerts().auth()).isEqualTo(new AuthConfig("u", "p", "t"));
    }
}
