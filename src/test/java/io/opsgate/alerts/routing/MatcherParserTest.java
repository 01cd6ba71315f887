package io.opsgate.alerts.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatcherParserTest {
    private static LabelMatcher m(String name, MatchType type, String value) {
        return LabelMatcher.of(name, type, value);
    }

    @Test
    void readsEveryOperatorQuotedAndUnquoted() {
        assertThat(MatcherParser.parse("severity=~\"critical|page\"")).containsExactly(
                m("severity", MatchType.REGEX, "critical|page"));
        assertThat(MatcherParser.parse("team!=\"db\"")).containsExactly(m("team", MatchType.NOT_EQUAL, "db"));
        assertThat(MatcherParser.parse("team!=db")).containsExactly(m("team", MatchType.NOT_EQUAL, "db"));
        assertThat(MatcherParser.parse("severity=~critical|page")).containsExactly(
                m("severity", MatchType.REGEX, "critical|page"));
        assertThat(MatcherParser.parse("env!~prod.*")).containsExactly(m("env", MatchType.NOT_REGEX, "prod.*"));
        assertThat(MatcherParser.parse("  a = b  ")).containsExactly(m("a", MatchType.EQUAL, "b"));
    }

    @Test
    void readsSeveralMatchersWithOrWithoutBraces() {
        List<LabelMatcher> expected = List.of(m("a", MatchType.EQUAL, "b"), m("c", MatchType.NOT_REGEX, "d"));
        assertThat(MatcherParser.parse("{a=\"b\", c!~\"d\"}")).isEqualTo(expected);
        assertThat(MatcherParser.parse("a=\"b\",c!~d")).isEqualTo(expected);
        assertThat(MatcherParser.parse("{a=b,c!~d,}")).as("trailing comma").isEqualTo(expected);
        assertThat(MatcherParser.parse("{}")).isEmpty();
        assertThat(MatcherParser.parse("")).isEmpty();
    }

    @Test
    void quotedValuesUseGoEscapes() {
        assertThat(MatcherParser.parse("msg=\"say \\\"hi\\\"\"").get(0).value()).isEqualTo("say \"hi\"");
        assertThat(MatcherParser.parse("path=\"C:\\\\dir\"").get(0).value()).isEqualTo("C:\\dir");
        assertThat(MatcherParser.parse("x=\"a\\nb\\tc\"").get(0).value()).isEqualTo("a\nb\tc");
        assertThat(MatcherParser.parse("x=\"caf\\u00e9\"").get(0).value()).isEqualTo("café");
        assertThat(MatcherParser.parse("x=\"caf\\xc3\\xa9\"").get(0).value()).as("UTF-8 bytes").isEqualTo("café");
        assertThat(MatcherParser.parse("x=\"a,b} c\"").get(0).value()).as("reserved characters inside quotes")
                .isEqualTo("a,b} c");
        assertThat(MatcherParser.parse("\"service name\"=\"x\"").get(0).name()).isEqualTo("service name");
        assertThat(MatcherParser.parse("x=\"\"").get(0).value()).isEmpty();
        assertThat(MatcherParser.parse("x=~\"\\\\.\"").get(0).matches(Map.of("x", "."))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a                  | 2 | expected an operator",
        "a=                 | 3 | expected a label value",
        "=b                 | 1 | expected a label name",
        "a==b               | 3 | expected a label value",
        "a=b c=d            | 5 | expected a comma",
        "{a=b               | 5 | close brace",
        "a=b}               | 4 | without an opening brace",
        "a!b                | 2 | expected = or ~",
        "a='b'              | 3 | double quotes",
        "a=\"b              | 3 | missing the closing",
        "a=\"\\q\"          | 4 | unknown escape",
        "a=~\"(\"           | 4 | invalid regex",
        "{a=b}x             | 6 | end of the input",
        "a=b,,c=d           | 5 | after the comma",
    })
    void rejectsMalformedInputNamingTheColumn(String input, int column, String message) {
        assertThatThrownBy(() -> MatcherParser.parse(input))
                .isInstanceOfSatisfying(MatcherSyntaxException.class, e -> assertThat(e.column()).isEqualTo(column))
                .hasMessageContaining(message);
    }

    @Test
    void printsTheCanonicalFormThatParsesBack() {
        for (String input : List.of("a=\"b\"", "msg!=\"say \\\"hi\\\"\\n\"", "\"odd name\"=~\"x|y\"")) {
            LabelMatcher parsed = MatcherParser.parse(input).get(0);
            assertThat(parsed.toString()).isEqualTo(input);
            assertThat(MatcherParser.parse(parsed.toString())).containsExactly(parsed);
        }
    }
}
