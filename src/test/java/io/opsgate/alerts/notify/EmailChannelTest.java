package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;
import static io.opsgate.alerts.notify.Fixtures.instanceDown;
import static io.opsgate.alerts.notify.Fixtures.notification;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.config.Origins;
import io.vertx.core.Vertx;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Email through a real SMTP server (GreenMail): AUTH, both parts, headers, STARTTLS policy, failures. */
class EmailChannelTest {
    private static final String PASSWORD = "smtp-Pa55word-secret";
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(smtpSetup()).withPerMethodLifecycle(false);
    static Vertx vertx;

    private static ServerSetup smtpSetup() {
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        setup.setServerStartupTimeout(20_000); // the shared machine is slow to start threads under load
        return setup;
    }

    @BeforeAll
    static void start() {
        SMTP.setUser("alerts@example.com", "opsgate", PASSWORD);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
    }

    static OpsGateConfig.EmailConfig config(int port, OpsGateConfig.StartTls startTls, String user, String password,
                                            boolean insecure) {
        return new OpsGateConfig.EmailConfig("oncall@example.com, {{ commonLabels.team | default('ops') }}@example.com",
                "OpsGate <alerts@example.com>", "127.0.0.1", port, "opsgate.test", startTls, user, password, null,
                insecure, null, null, null,
                new OpsGateConfig.Delivery(true, Optional.empty(), Duration.ofSeconds(10)), Origins.NONE);
    }

    static EmailChannel channel(OpsGateConfig.EmailConfig c) {
        TemplateEngine plain = TemplateEngine.plain();
        return new EmailChannel("team/email[0]", c, plain.compile(c.to()), plain.compile(c.from()),
                plain.shipped("title"), TemplateEngine.html().shipped("email-html"), plain.shipped("text"), vertx,
                SecretRedactor.of(List.of(PASSWORD)));
    }

    static int smtpPort() {
        return SMTP.getSmtp().getPort();
    }

    @Test
    void sendsTextAndHtmlPartsWithTemplatedHeadersAndTheIdempotencyKeyAsMessageId() throws Exception {
        SMTP.purgeEmailFromAllMailboxes();
        Alert sneaky = Fixtures.firing("fp-x", Map.of("alertname", "Disk<Full>", "severity", "warning"),
                Map.of("summary", "<script>alert(1)</script> at 95%"));
        Notification n = notification(7, List.of(instanceDown("a:9100"), sneaky));
        try (EmailChannel channel = channel(config(smtpPort(), OpsGateConfig.StartTls.OPTIONAL, "opsgate", PASSWORD,
                false))) {
            assertThat(await(channel.deliver(n))).isEqualTo(new DeliveryOutcome.Delivered(250));
        }
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).as("one message per recipient mailbox").hasSize(2);
        MimeMessage m = received[0];
        assertThat(m.getSubject()).isEqualTo("[FIRING:2] InstanceDown");
        assertThat(m.getFrom()[0].toString()).isEqualTo("OpsGate <alerts@example.com>");
        assertThat(List.of(m.getAllRecipients()).stream().map(Object::toString))
                .containsExactly("oncall@example.com", "ops@example.com");
        assertThat(m.getHeader("Message-ID", null)).isEqualTo("<" + n.idempotencyKey() + "@opsgate>");
        assertThat(m.getHeader(EmailChannel.IDEMPOTENCY_HEADER, null)).isEqualTo(n.idempotencyKey());
        assertThat(m.getContentType()).startsWith("multipart/alternative");
        Multipart parts = (Multipart) m.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        Part text = parts.getBodyPart(0);
        Part html = parts.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain");
        assertThat((String) text.getContent()).contains("*InstanceDown* (critical) firing: a:9100 is down")
                .contains("<script>alert(1)</script> at 95%");
        assertThat(html.getContentType()).startsWith("text/html");
        assertThat((String) html.getContent()).contains("<b>InstanceDown</b> (critical) firing: a:9100 is down")
                .contains("Disk&lt;Full&gt;").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>")
                .contains("<a href=\"http://prometheus.local:9090/graph?g0.expr=up+%3D%3D+0\">source</a>");
    }

    @Test
    void aResendCarriesTheSameMessageId() throws Exception {
        SMTP.purgeEmailFromAllMailboxes();
        Notification n = notification(8, List.of(instanceDown("a:9100")));
        try (EmailChannel channel = channel(config(smtpPort(), OpsGateConfig.StartTls.NONE, "opsgate", PASSWORD, false))) {
            await(channel.deliver(n));
            await(channel.deliver(n.withAttempt(1)));
        }
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(4);
        assertThat(received[0].getMessageID()).isEqualTo(received[3].getMessageID())
                .isEqualTo(EmailChannel.messageId(n.idempotencyKey()));
    }

    @Test
    void startTlsRequiredNeverFallsBackToClearText() throws Exception {
        SMTP.purgeEmailFromAllMailboxes();
        Notification n = notification(9, List.of(instanceDown("a:9100")));
        // GreenMail's SMTP port does not offer STARTTLS: "required" must not fall back to clear text.
        try (EmailChannel channel = channel(config(smtpPort(), OpsGateConfig.StartTls.REQUIRED, "opsgate", PASSWORD,
                false))) {
            DeliveryOutcome outcome = await(channel.deliver(n));
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Failed.class);
            assertThat(((DeliveryOutcome.Failed) outcome).reason()).contains("STARTTLS");
        }
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void authenticationFailureIsPermanentAndNeverShowsThePassword() throws Exception {
        try (EmailChannel channel = channel(config(smtpPort(), OpsGateConfig.StartTls.OPTIONAL, "opsgate",
                "wrong-" + PASSWORD, false))) {
            DeliveryOutcome outcome = await(channel.deliver(notification(10, List.of(instanceDown("a:9100")))));
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Failed.class);
            assertThat(((DeliveryOutcome.Failed) outcome).reason()).startsWith("SMTP 535").doesNotContain(PASSWORD);
        }
    }

    @Test
    void aServerThatIsDownIsRetried() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (EmailChannel channel = channel(config(closed, OpsGateConfig.StartTls.OPTIONAL, null, null, false))) {
            DeliveryOutcome outcome = await(channel.deliver(notification(11, List.of(instanceDown("a:9100")))));
            assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
            assertThat(((DeliveryOutcome.RetryLater) outcome).retryAfter()).isEmpty();
        }
    }
}
