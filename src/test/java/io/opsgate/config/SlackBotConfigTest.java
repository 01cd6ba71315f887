package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slack_configs} in bot mode: a bot token (from a file) and a channel instead of an incoming webhook. */
class SlackBotConfigTest {
    private static OpsGateConfig parse(String yaml, Path dir) throws ConfigException {
        return io.opsgate.ConfigCheck.check(ConfigLoader.parse(yaml, "cfg.yml", name -> null, dir));
    }

    private static String error(String yaml, Path dir) {
        try {
            throw new AssertionError("expected a ConfigException, got " + parse(yaml, dir));
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    @Test
    void readsTheTokenFromItsFileWithDefaultsForBotMode(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("token"), "xoxb-123-456-abcdef\n");
        OpsGateConfig c = parse("""
                route: {receiver: team}
                receivers:
                  - name: team
                    slack_configs:
                      - bot_token_file: token
                        channel: C0123ABCD
                      - bot_token: xoxb-inline-token
                        channel: '#ops'
                        web_api_url: http://127.0.0.1:9/api
                        send_resolved: false
                        rate_limit: 0.5
                """, dir);
        OpsGateConfig.SlackConfig first = c.receivers().get(0).slack().get(0);
        assertThat(first.botMode()).isTrue();
        assertThat(first.botToken()).isEqualTo("xoxb-123-456-abcdef");
        assertThat(first.apiUrl()).isNull();
        assertThat(first.channel()).isEqualTo("C0123ABCD");
        assertThat(first.webApiUrl()).isEqualTo("https://slack.com/api/");
        assertThat(first.delivery()).isEqualTo(new OpsGateConfig.Delivery(true, Optional.of(1.0),
                Duration.ofSeconds(10)));
        assertThat(first.toString()).doesNotContain("xoxb");
        OpsGateConfig.SlackConfig second = c.receivers().get(0).slack().get(1);
        assertThat(second.webApiUrl()).isEqualTo("http://127.0.0.1:9/api/");
        assertThat(second.delivery().sendResolved()).isFalse();
        assertThat(second.delivery().rateLimit()).contains(0.5);
    }

    @Test
    void botModeNeedsAChannelAndExcludesAWebhookUrl(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("token"), "xoxb-123-456-abcdef\n");
        assertThat(error("""
                route: {receiver: team}
                receivers:
                  - name: team
                    slack_configs:
                      - bot_token_file: token
                """, dir)).isEqualTo("cfg.yml:5:9: receivers[0].slack_configs[0]: missing channel: the channel the "
                + "bot posts to (its id, e.g. C0123ABCD, or #name)");
        assertThat(error("""
                route: {receiver: team}
                receivers:
                  - name: team
                    slack_configs:
                      - bot_token_file: token
                        api_url: https://hooks.slack.com/services/T0/B0/secretpath
                        channel: C1
                """, dir)).isEqualTo("cfg.yml:6:18: receivers[0].slack_configs[0].api_url: set either api_url (an "
                + "incoming webhook) or bot_token (a bot posting through the Web API), not both")
                .doesNotContain("secretpath");
        assertThat(error("""
                route: {receiver: team}
                receivers:
                  - name: team
                    slack_configs:
                      - api_url: https://hooks.slack.com/services/T0/B0/x
                        web_api_url: https://slack.com/api/
                """, dir)).startsWith("cfg.yml:6:22: receivers[0].slack_configs[0].web_api_url: web_api_url is for "
                + "bot mode");
        assertThat(error("""
                route: {receiver: team}
                receivers:
                  - name: team
                    slack_configs:
                      - bot_token_file: missing-token
                        channel: C1
                """, dir)).contains("bot_token_file").contains("no such file");
        assertThatThrownBy(() -> parse("""
                route: {receiver: team}
                receivers:
                  - name: team
                    slack_configs:
                      - bot_token: xoxb-a
                        bot_token_file: token
                        channel: C1
                """, dir)).hasMessageContaining("set either bot_token or bot_token_file, not both");
    }
}
