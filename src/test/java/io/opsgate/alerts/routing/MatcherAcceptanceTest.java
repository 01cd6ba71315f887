package io.opsgate.alerts.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.ConfigCheck;
import io.opsgate.config.ConfigException;
import io.opsgate.config.ConfigLoader;
import io.opsgate.testing.Amtools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which route matchers a config may use, compared with the real amtool ({@code amtool check-config}) on a corpus of
 * valid, odd and broken matcher strings ({@code routing/matchers.txt}, one per line, non-ASCII included). OpsGate
 * follows Alertmanager 0.27+'s default ({@link AlertmanagerMatchers}): it must accept exactly what amtool 0.33
 * accepts; Alertmanager 0.25 has only the classic parser, which must accept exactly what amtool 0.25 accepts
 * (apart from Go 1.22's {@code (?<name>)} groups, which the older Go of 0.25 rejects and RE2/J reads).
 */
class MatcherAcceptanceTest {
    static List<String> corpus() throws IOException {
        try (var in = MatcherAcceptanceTest.class.getResourceAsStream("/routing/matchers.txt")) {
            String text = new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
            return List.of(text.split("\n", -1)).subList(0, (int) text.lines().count());
        }
    }

    static String config(String matcher) {
        return "route:\n  receiver: a\n  routes:\n    - receiver: a\n      matchers: ['" + matcher.replace("'", "''")
                + "']\nreceivers:\n  - name: a\n";
    }

    static boolean weAccept(String matcher) {
        try {
            ConfigCheck.check(ConfigLoader.parse(config(matcher), "m.yml", name -> null, null));
            return true;
        } catch (ConfigException e) {
            assertThat(e.getMessage()).as(matcher).startsWith("m.yml:5:18: route.routes[0].matchers[0]: invalid matcher");
            return false;
        }
    }

    static boolean classicAccepts(String matcher) {
        try {
            ClassicMatcherParser.parse(matcher);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean amtoolAccepts(Path amtool, Path dir, String matcher) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("am.yml"), config(matcher));
        Process p = new ProcessBuilder(amtool.toString(), "check-config", file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0;
    }

    @Test
    void acceptsExactlyWhatAmtool033Accepts(@TempDir Path dir) throws Exception {
        Path amtool = Amtools.require(Amtools.CURRENT);
        List<String> disagreements = new ArrayList<>();
        int accepted = 0;
        for (String m : corpus()) {
            boolean theirs = amtoolAccepts(amtool, dir, m);
            accepted += theirs ? 1 : 0;
            if (weAccept(m) != theirs) {
                disagreements.add((theirs ? "amtool accepts " : "amtool rejects ") + "[" + m + "]");
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(accepted).as("the corpus has both kinds").isBetween(10, corpus().size() - 10);
    }

    @Test
    void theClassicParserAcceptsExactlyWhatAmtool025Accepts(@TempDir Path dir) throws Exception {
        Path amtool = Amtools.require(Amtools.STABLE);
        List<String> disagreements = new ArrayList<>();
        for (String m : corpus()) {
            boolean theirs = amtoolAccepts(amtool, dir, m);
            if (theirs) {
                assertThat(weAccept(m)).as("0.25 accepts [%s], so must we", m).isTrue();
            }
            if (m.contains("(?<")) {
                continue; // Go 1.19's regexp (0.25) predates (?<name>); RE2/J and Go 1.22+ (0.33) read it
            }
            if (classicAccepts(m) != theirs) {
                disagreements.add((theirs ? "amtool accepts " : "amtool rejects ") + "[" + m + "]");
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void whatOnlyTheUtf8ParserReads() {
        // Accepted by Alertmanager 0.27+ (and here), refused by 0.25: amtool says so in the tests above.
        assertThat(weAccept("1sev=\"x\"")).isTrue();
        assertThat(classicAccepts("1sev=\"x\"")).isFalse();
        assertThat(AlertmanagerMatchers.parse("\"service.name\"=\"checkout\""))
                .containsExactly(LabelMatcher.of("service.name", MatchType.EQUAL, "checkout"));
        // Both parsers read it, differently: the classic reading wins, as in Alertmanager.
        assertThat(AlertmanagerMatchers.parse("a=\"\\u00e9\""))
                .containsExactly(LabelMatcher.of("a", MatchType.EQUAL, "\\u00e9"));
        assertThat(AlertmanagerMatchers.parse("a=x y")).containsExactly(LabelMatcher.of("a", MatchType.EQUAL, "x y"));
    }
}
