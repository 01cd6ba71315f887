package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;
import static io.opsgate.alerts.notify.Fixtures.instanceDown;
import static io.opsgate.alerts.notify.Fixtures.notification;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.config.OpsGateConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LogChannelTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogChannel channel(String text) {
        TemplateEngine plain = TemplateEngine.plain();
        return new LogChannel("log/log[0]", new OpsGateConfig.LogConfig(text,
                new OpsGateConfig.Delivery(true, Optional.empty(), Duration.ofSeconds(1))),
                text == null ? plain.shipped("log") : plain.compile(text), lines::add);
    }

    @Test
    void writesOneLinePerAlert() throws Exception {
        Alert multiline = Fixtures.firing("fp-x", Map.of("alertname", "Disk", "severity", "warning"),
                Map.of("summary", "line one\nline two"));
        DeliveryOutcome outcome = await(channel(null).deliver(
                notification(9, List.of(instanceDown("a:9100"), Fixtures.resolved(instanceDown("b:9100")), multiline))));
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(lines).containsExactly(
                "alert receiver=team route=0.1 notification=9 fingerprint=fp-a:9100 FIRING alertname=\"InstanceDown\""
                        + " instance=\"a:9100\" job=\"node\" severity=\"critical\" summary=\"a:9100 is down\"",
                "alert receiver=team route=0.1 notification=9 fingerprint=fp-b:9100 RESOLVED alertname=\"InstanceDown\""
                        + " instance=\"b:9100\" job=\"node\" severity=\"critical\" summary=\"b:9100 is down\"",
                "alert receiver=team route=0.1 notification=9 fingerprint=fp-x FIRING alertname=\"Disk\""
                        + " severity=\"warning\" summary=\"line one\\nline two\"");
    }

    @Test
    void controlCharactersFromLabelValuesAreEscaped() throws Exception {
        Alert hostile = Fixtures.firing("fp-\u001b[2J", Map.of("alertname", "Disk\u0000", "severity", "\u001b[31mred"),
                Map.of("summary", "bell\u0007 del\u007f sep\u2028 c1\u009b"));
        await(channel(null).deliver(notification(3, List.of(hostile))));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]")
                .contains("fingerprint=fp-\\u001b[2J", "alertname=\"Disk\\u0000\"", "severity=\"\\u001b[31mred\"",
                        "bell\\u0007 del\\u007f sep\\u2028 c1\\u009b");
    }

    @Test
    void customTextAndTemplateFailuresArePermanent() throws Exception {
        await(channel("{{ status }}: {{ commonLabels.instance }}").deliver(notification(1, List.of(instanceDown("a:1")))));
        assertThat(lines).containsExactly("alert receiver=team route=0.1 notification=1 fingerprint=fp-a:1 firing: a:1");

        LogChannel broken = channel("{{ alerts | first | abs }}");
        assertThat(await(broken.deliver(notification(1, List.of(instanceDown("a:1"))))))
                .isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
                        f -> assertThat(f.reason()).startsWith("template error: line 1 of the template"));
    }
}
