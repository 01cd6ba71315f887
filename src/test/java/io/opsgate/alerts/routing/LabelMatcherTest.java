package io.opsgate.alerts.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Alertmanager's matching semantics, one row per rule. */
class LabelMatcherTest {
    @ParameterizedTest(name = "{0} on {1}={2} -> {3}")
    @CsvSource(delimiter = ';', nullValues = "MISSING", value = {
        // = and != compare whole values; a missing label is the empty string
        "team=\"db\" ; team ; db ; true",
        "team=\"db\" ; team ; dbx ; false",
        "team!=\"db\" ; team ; MISSING ; true",
        "team=\"\" ; team ; MISSING ; true",
        "team=\"\" ; team ; db ; false",
        "team!=\"\" ; team ; MISSING ; false",
        // regexes are anchored at both ends: ^(?:re)$
        "severity=~\"crit\" ; severity ; critical ; false",
        "severity=~\"crit.*\" ; severity ; critical ; true",
        "severity=~\"critical|page\" ; severity ; page ; true",
        "severity=~\"critical|page\" ; severity ; pager ; false",
        "severity=~\"critical|page\" ; severity ; xcritical ; false",
        "severity!~\"critical|page\" ; severity ; warning ; true",
        "severity!~\"critical|page\" ; severity ; MISSING ; true",
        "env=~\".*\" ; env ; MISSING ; true",
        "env=~\".+\" ; env ; MISSING ; false",
        "env!~\".+\" ; env ; MISSING ; true",
        // RE2 syntax, as Go reads it (RE2/J is a port of Go's engine)
        "host=~\"[[:alpha:]]+-[[:digit:]]+\" ; host ; web-01 ; true",
        "host=~\"[[:alpha:]]+\" ; host ; web1 ; false",
        "x=~\"(?P<n>a)b\" ; x ; ab ; true",
        "x=~\"a{\" ; x ; a{ ; true",
        "x=~\"[a&&b]\" ; x ; & ; true",
        "x=~\"[][]+\" ; x ; ][ ; true",
        "x=~\"\\\\p{L}+\" ; x ; é日 ; true",
        "x=~\"(?U)x+\" ; x ; xx ; true",
        "x=~\"(?i)é\" ; x ; É ; true",
        "x=~\"(?i)k\" ; x ; \u212a ; true",
        "x=~\"a\\\\bé\" ; x ; aé ; true",
        "x=~\"a)|(b\" ; x ; axx ; true",
    })
    void matchesLikeAlertmanager(String matcher, String label, String value, boolean expected) {
        Map<String, String> labels = value == null ? Map.of("other", "x") : Map.of(label, value);
        assertThat(MatcherParser.parse(matcher).get(0).matches(labels)).isEqualTo(expected);
    }

    @Test
    void lineBreaksAndControlCharactersFollowRe2() {
        assertThat(regex("a").matches(Map.of("x", "a\n"))).as("Java's $ would accept a final line break").isFalse();
        assertThat(regex("a$").matches(Map.of("x", "a\n"))).isFalse();
        assertThat(regex("(?m)a$\\n?").matches(Map.of("x", "a\n"))).isTrue();
        assertThat(regex("a.c").matches(Map.of("x", "a\rc"))).as("only \\n ends a line in RE2").isTrue();
        assertThat(regex("a.c").matches(Map.of("x", "a\nc"))).isFalse();
        assertThat(regex("a\\sb").matches(Map.of("x", "a\u000bb"))).as("RE2's \\s has no vertical tab").isFalse();
        assertThat(regex("a[\\s]b").matches(Map.of("x", "a\u000bb"))).isFalse();
        assertThat(regex("a\\sb").matches(Map.of("x", "a\tb"))).isTrue();
        assertThat(regex("a\\Sb").matches(Map.of("x", "a\u000bb"))).isTrue();
        assertThat(regex("\\101\\x42\\v").matches(Map.of("x", "AB\u000b"))).as("octal, hex, \\v").isTrue();
    }

    private static LabelMatcher regex(String re) {
        return LabelMatcher.of("x", MatchType.REGEX, re);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "a\\Z ; invalid escape sequence",
        "\\h+ ; invalid escape sequence",
        "(a)\\8 ; invalid escape sequence",
        "(a)\\1 ; invalid escape sequence",
        "a(?=b) ; invalid or unsupported Perl syntax",
        "a(?<!b) ; invalid",
        "(?>a) ; invalid or unsupported Perl syntax",
        "a*+ ; invalid nested repetition operator",
        "[[:foo:]] ; invalid character class range",
    })
    void rejectsWhatRe2Rejects(String regex, String message) {
        assertThatThrownBy(() -> LabelMatcher.of("x", MatchType.REGEX, regex))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
