package io.opsgate.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {
    @Test
    void redactsEveryConfiguredSecretInEverySpellingAnEchoUses() throws Exception {
        OpsGateConfig config = ConfigLoader.parse("""
                alerts:
                  auth:
                    bearer_token: bearer-T0ken-value
                    basic_auth: {username: am, password: "p@ss/w\\"ord"}
                route:
                  receiver: team
                receivers:
                  - name: team
                    slack_configs:
                      - api_url: https://hooks.slack.com/services/T0ABC/B0DEF/abcdefghijklmnopqrstuvwx
                    webhook_configs:
                      - url: https://user:hunter2pass@hooks.example.com/in/0123456789abcdef0123?token=tok3nValue&v=1
                        hmac_secret: hmac-secret-value
                    pagerduty_configs:
                      - routing_key: 0123456789abcdef0123456789abcdef
                """, "cfg.yml", name -> null, null);
        SecretRedactor redactor = SecretRedactor.of(config);
        List<String> secrets = List.of("bearer-T0ken-value", "p@ss/w\"ord", "/services/T0ABC/B0DEF/abcdefghijklmnopqrstuvwx",
                "hunter2pass", "0123456789abcdef0123", "tok3nValue", "hmac-secret-value",
                "0123456789abcdef0123456789abcdef");
        for (String secret : secrets) {
            for (String spelling : List.of(secret, secret.replace("\"", "\\\"").replace("/", "\\/"),
                    URLEncoder.encode(secret, StandardCharsets.UTF_8))) {
                String redacted = redactor.redact("HTTP 400: {\"echo\":\"" + spelling + "\"} and more");
                assertThat(redacted).as(spelling).contains("<redacted>").doesNotContain(spelling)
                        .startsWith("HTTP 400: ").endsWith(" and more");
            }
        }
        assertThat(redactor.redact("POST /in failed: no route, v=1")).as("short URL parts are not secrets")
                .isEqualTo("POST /in failed: no route, v=1");
        assertThat(redactor.redact((String) null)).isNull();
    }

    @Test
    void theLongestSpellingGoesFirstSoNoPartOfASecretIsLeft() {
        SecretRedactor redactor = SecretRedactor.of(Arrays.asList("abc", "abcdef", null, ""));
        assertThat(redactor.redact("xabcdefx abc")).isEqualTo("x<redacted>x <redacted>");
        assertThat(SecretRedactor.NONE.redact("abcdef")).isEqualTo("abcdef");
    }

    @Test
    void aSecretAcrossTheCutOfALongAnswerIsRedactedBeforeTheCut() {
        String key = "R0UT1NGKEY5ecret0123456789abcdef";
        SecretRedactor redactor = SecretRedactor.of(List.of(key));
        String body = "x".repeat(290) + key + "y".repeat(1000);
        // HttpOutcomes keeps 300 characters of a body: the key starts at 290 and must not survive as a prefix.
        assertThat(redactor.redact(body.substring(0, 300 + redactor.longest()))).doesNotContain(key.substring(0, 10));
    }
}
