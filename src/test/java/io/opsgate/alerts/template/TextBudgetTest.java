package io.opsgate.alerts.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextBudgetTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private static Notification group(int count) {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            alerts.add(new Alert("fp" + i, AlertStatus.FIRING, Map.of("alertname", "Down", "instance", "host-" + i),
                    Map.of(), START, null, ""));
        }
        return new Notification(1, "0", "team", "team/log[0]", "g", AlertStatus.FIRING, alerts,
                Map.of("alertname", "Down"), Map.of("alertname", "Down"), Map.of(), "", START, 0);
    }

    @Test
    void rendersEveryAlertWhenTheyFitAndOtherwiseTheFirstOnesAndHowManyMore() {
        MessageTemplate t = TemplateEngine.plain().compile("{% for a in alerts %}{{ a.labels.instance }};{% endfor %}");
        assertThat(TextBudget.fit(t, group(3), 100)).isEqualTo(new TextBudget.Fitted("host-0;host-1;host-2;", 0, false));

        TextBudget.Fitted fitted = TextBudget.fit(t, group(1000), 100);
        assertThat(fitted.text()).hasSizeLessThanOrEqualTo(100).startsWith("host-0;host-1;")
                .endsWith("\n" + TextBudget.moreLine(fitted.omitted()));
        int listed = fitted.text().split(";").length - 1;
        assertThat(fitted.omitted()).isEqualTo(1000 - listed);
        assertThat(TextBudget.moreLine(1)).isEqualTo("… and 1 more alert");
        assertThat(TextBudget.moreLine(4987)).isEqualTo("… and 4,987 more alerts");
    }

    @Test
    void aTextThatDoesNotShrinkWithFewerAlertsIsCutAndMarked() {
        MessageTemplate t = TemplateEngine.plain().compile("{{ 'z' | abbreviate(1) }}{% for i in range(1, 500) %}word {% endfor %}");
        TextBudget.Fitted fitted = TextBudget.fit(t, group(2), 100);
        assertThat(fitted.cut()).isTrue();
        assertThat(fitted.text()).hasSize(100).endsWith("…");
    }

    @Test
    void cutsNeverSplitASurrogatePairAndSplitAtLineBreaks() {
        String emoji = "\uD83D\uDD25";
        assertThat(TextBudget.cut("ab" + emoji + "cd", 4)).isEqualTo("ab…");
        assertThat(TextBudget.cut("abc", 3)).isEqualTo("abc");
        assertThat(TextBudget.split("aaa\nbbb\ncc", 7)).containsExactly("aaa\nbbb", "cc");
        assertThat(TextBudget.split("a".repeat(10), 4)).containsExactly("aaaa", "aaaa", "aa");
        assertThat(TextBudget.split("", 4)).isEmpty();
        assertThat(TextBudget.cut("line one\nline two\nline three", 30, s -> TextBudget.split(s, 9).size() <= 2))
                .isEqualTo("line one\nline two…");
    }

    @Test
    void sizeIsNeverAnErrorEvenForRunawayTemplatesAndNestedMacroOutput() {
        Notification n = group(5000);
        // 25 million iterations: stopped at the budget, not rendered in full
        MessageTemplate nested = TemplateEngine.plain().compile(
                "{% for a in alerts %}{% for b in alerts %}{{ a.fingerprint }}{% endfor %}{% endfor %}");
        Rendered r = nested.render(TemplateData.of(n), 3000);
        assertThat(r.cut()).isTrue();
        assertThat(r.text()).hasSize(3000);
        // A macro renders into Pebble's own buffer, bounded by its runaway guard: that too is a cut, not an error.
        MessageTemplate macro = TemplateEngine.plain().compile("{% macro m(xs) %}{% for a in xs %}{% for b in xs %}"
                + "{{ a.fingerprint }}{% endfor %}{% endfor %}{% endmacro %}{{ m(alerts) }}");
        Rendered m = macro.render(TemplateData.of(n), 3000);
        assertThat(m.cut()).isTrue();
        assertThat(m.text().length()).isLessThanOrEqualTo(3000);
        assertThat(TextBudget.fit(macro, n, 3000).text()).hasSizeLessThanOrEqualTo(3000);
    }

    @Test
    void trailingWhitespaceBeyondTheBudgetIsNotACut() {
        MessageTemplate t = TemplateEngine.plain().compile("{{ 'abc' }}\n\n\n   ");
        assertThat(t.render(Map.of(), 3)).isEqualTo(new Rendered("abc", false));
    }
}
