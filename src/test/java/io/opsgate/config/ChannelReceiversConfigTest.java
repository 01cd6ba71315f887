package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Teams ({@code msteamsv2_configs}), email ({@code email_configs}) and SNS ({@code sns_configs}) receivers. */
class ChannelReceiversConfigTest {
    private static OpsGateConfig parse(String yaml, Path dir) throws ConfigException {
        return io.opsgate.ConfigCheck.check(ConfigLoader.parse(yaml, "cfg.yml", name -> null, dir));
    }

    private static String error(String receiver) {
        try {
            OpsGateConfig config = parse("route: {receiver: a}\nreceivers:\n  - name: a\n" + receiver, null);
            throw new AssertionError("expected a ConfigException, got " + config);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
    }

    @Test
    void readsEveryKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("smtp-password"), "s3cret\n");
        Files.writeString(dir.resolve("teams-url"), "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers"
                + "/manual/paths/invoke?api-version=2016-06-01&sig=SIGvalue123\n");
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        OpsGateConfig c = parse("""
                route: {receiver: a}
                receivers:
                  - name: a
                    msteamsv2_configs:
                      - webhook_url_file: teams-url
                        title: '{{ status }}'
                        send_resolved: false
                    email_configs:
                      - to: 'oncall@example.com, {{ commonLabels.team }}@example.com'
                        from: alerts@example.com
                        smarthost: smtp.example.com:587
                        hello: gw.example.com
                        auth_username: alerts
                        auth_password_file: smtp-password
                        starttls: optional
                        tls_ca_file: ca.pem
                        subject: 'Alert {{ commonLabels.alertname }}'
                        html: '<b>{{ status }}</b>'
                        text: '{{ status }}'
                        timeout: 20s
                      - to: a@example.com
                        from: b@example.com
                        smarthost: '[::1]:25'
                        starttls: none
                    sns_configs:
                      - topic_arn: arn:aws:sns:eu-west-1:123456789012:alerts.fifo
                        role_arn: arn:aws:iam::123456789012:role/publisher
                        external_id: ext-1
                        subject: '{{ status }}'
                        message: '{{ alerts | length }}'
                      - topic_arn: arn:aws:sns:us-east-1:123456789012:alerts
                        region: us-west-2
                """, dir);
        OpsGateConfig.Receiver r = c.receivers().get(0);
        OpsGateConfig.TeamsConfig teams = r.teams().get(0);
        assertThat(teams.webhookUrl()).endsWith("sig=SIGvalue123");
        assertThat(teams.title()).isEqualTo("{{ status }}");
        assertThat(teams.delivery().sendResolved()).isFalse();
        assertThat(teams.delivery().rateLimit()).contains(4.0);
        assertThat(teams.toString()).doesNotContain("SIGvalue123");

        OpsGateConfig.EmailConfig email = r.email().get(0);
        assertThat(email.host()).isEqualTo("smtp.example.com");
        assertThat(email.port()).isEqualTo(587);
        assertThat(email.hello()).isEqualTo("gw.example.com");
        assertThat(email.username()).isEqualTo("alerts");
        assertThat(email.password()).isEqualTo("s3cret");
        assertThat(email.startTls()).isEqualTo(OpsGateConfig.StartTls.OPTIONAL);
        assertThat(email.caFile()).isEqualTo(dir.resolve("ca.pem").toString());
        assertThat(email.subject()).isEqualTo("Alert {{ commonLabels.alertname }}");
        assertThat(email.delivery().timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(email.delivery().sendResolved()).as("Alertmanager's default for email").isFalse();
        assertThat(email.toString()).doesNotContain("s3cret");
        OpsGateConfig.EmailConfig second = r.email().get(1);
        assertThat(second.host()).isEqualTo("::1");
        assertThat(second.port()).isEqualTo(25);
        assertThat(second.startTls()).isEqualTo(OpsGateConfig.StartTls.NONE);
        assertThat(second.username()).isNull();
        assertThat(r.email().get(1).startTls()).isEqualTo(OpsGateConfig.StartTls.NONE);

        OpsGateConfig.SnsConfig fifo = r.sns().get(0);
        assertThat(fifo.fifo()).isTrue();
        assertThat(fifo.region()).isEqualTo("eu-west-1");
        assertThat(fifo.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/publisher");
        assertThat(fifo.externalId()).isEqualTo("ext-1");
        assertThat(fifo.delivery().sendResolved()).isTrue();
        assertThat(fifo.toString()).doesNotContain("ext-1");
        assertThat(r.sns().get(1).fifo()).isFalse();
        assertThat(r.sns().get(1).region()).isEqualTo("us-west-2");
    }

    @Test
    void mistakesNameFileLineColumnAndKey() {
        assertThat(error("    msteamsv2_configs:\n      - title: x\n"))
                .isEqualTo("cfg.yml:5:9: receivers[0].msteamsv2_configs[0]: missing webhook_url (or webhook_url_file):"
                        + " the Workflows webhook URL (\"When a Teams webhook request is received\")");
        assertThat(error("    msteamsv2_configs:\n      - webhook_url: logic.azure.com/workflows/x\n"))
                .startsWith("cfg.yml:5:22: receivers[0].msteamsv2_configs[0].webhook_url: expected an absolute http(s) URL")
                .doesNotContain("logic.azure.com");
        assertThat(error("    msteamsv2_configs:\n      - webhook_ur: https://x.example\n"))
                .isEqualTo("cfg.yml:5:9: receivers[0].msteamsv2_configs[0].webhook_ur: unknown key \"webhook_ur\";"
                        + " did you mean \"webhook_url\"?");
        assertThat(error("    email_configs:\n      - from: a@example.com\n        smarthost: x:25\n"))
                .isEqualTo("cfg.yml:5:9: receivers[0].email_configs[0]: missing to: the recipients, comma-separated"
                        + " (a template)");
        assertThat(error("    email_configs:\n      - {to: a@x, from: b@x, smarthost: smtp.example.com}\n"))
                .isEqualTo("cfg.yml:5:41: receivers[0].email_configs[0].smarthost: expected host:port with a port from"
                        + " 1 to 65535, e.g. smtp.example.com:587, got \"smtp.example.com\"");
        assertThat(error("    email_configs:\n      - {to: a@x, from: b@x, smarthost: 'x:25', starttls: maybe}\n"))
                .isEqualTo("cfg.yml:5:59: receivers[0].email_configs[0].starttls: expected one of required, optional,"
                        + " none, got \"maybe\"");
        assertThat(error("    email_configs:\n      - {to: a@x, from: b@x, smarthost: 'x:25', auth_username: u}\n"))
                .isEqualTo("cfg.yml:5:64: receivers[0].email_configs[0].auth_username: auth_username needs"
                        + " auth_password (or auth_password_file)");
        assertThat(error("    email_configs:\n      - {to: a@x, from: b@x, smarthost: 'x:25', auth_password: p}\n"))
                .startsWith("cfg.yml:5:64: receivers[0].email_configs[0].auth_password: auth_password needs auth_username")
                .doesNotContain(": p ");
        assertThat(error("    email_configs:\n      - to: a@x\n        from: b@x\n        smarthost: 'x:25'\n"
                + "        subject: '{{ status | nosuch }}'\n"))
                .startsWith("cfg.yml:8:18: receivers[0].email_configs[0].subject: invalid template: ")
                .contains("nosuch");
        assertThat(error("    sns_configs:\n      - topic_arn: arn:aws:sqs:eu-west-1:123456789012:q\n"))
                .isEqualTo("cfg.yml:5:20: receivers[0].sns_configs[0].topic_arn: expected an SNS topic ARN such as"
                        + " arn:aws:sns:eu-west-1:123456789012:alerts, got \"arn:aws:sqs:eu-west-1:123456789012:q\"");
        assertThat(error("    sns_configs:\n      - subject: x\n"))
                .startsWith("cfg.yml:5:9: receivers[0].sns_configs[0]: missing topic_arn");
        assertThat(error("    sns_configs:\n      - topic_arn: arn:aws:sns:eu-west-1:123456789012:t\n"
                + "        external_id: x\n"))
                .isEqualTo("cfg.yml:6:22: receivers[0].sns_configs[0].external_id: external_id needs role_arn");
        assertThat(error("    sns_configs:\n      - topic_arn: arn:aws:sns:eu-west-1:123456789012:t\n"
                + "        message: '{% if %}'\n"))
                .startsWith("cfg.yml:6:18: receivers[0].sns_configs[0].message: invalid template");
    }
}
