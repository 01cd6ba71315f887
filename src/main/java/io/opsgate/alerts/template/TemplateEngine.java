package io.opsgate.alerts.template;

import io.opsgate.config.ConfigException;
import io.opsgate.config.ConfigOrigin;
import io.opsgate.alerts.model.Notification;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.escaper.EscapingStrategy;
import io.pebbletemplates.pebble.loader.StringLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Compiles message templates with Pebble (Jinja/Twig syntax: {@code {{ commonLabels.alertname }}},
 * {@code {% for alert in firing %}}, filters such as {@code upper}, {@code join}, {@code default},
 * {@code abbreviate}).
 *
 * <p>Why Pebble: among the template libraries on our mirror (JMustache, Handlebars.java, Pebble) it is the only one
 * with expressions and comparisons ({@code {% if status == "firing" %}}) and a rich filter set without custom
 * helpers, which Alertmanager users expect coming from Go templates; it compiles ahead of rendering and reports
 * errors with a line number, so a broken template fails at config load, not at 3 a.m.; it is actively released
 * and has a single small dependency (unbescape). Escaping is per destination: none for plain text and JSON (Jackson
 * escapes), Slack's {@code & < >} for mrkdwn.
 */
public final class TemplateEngine {
    /**
     * Pebble's own cap, counted over everything a render writes including nested macro output: a guard against a
     * runaway template filling the heap. Destination limits are far lower and are kept by
     * {@link MessageTemplate#render(java.util.Map, int)}, which also reads this cap as a cut, never as an error.
     */
    private static final int RUNAWAY_GUARD_CHARS = 4 * 1024 * 1024;
    private static final String RESOURCES = "/io/opsgate/alerts/template/";

    private final PebbleEngine engine;

    private TemplateEngine(PebbleEngine engine) {
        this.engine = engine;
    }

    /** Output used as plain text or placed into JSON: nothing is escaped. */
    public static TemplateEngine plain() {
        return new TemplateEngine(builder().autoEscaping(false).build());
    }

    /** Output placed into HTML (an email's HTML part): values are HTML-escaped unless marked {@code | raw}. */
    public static TemplateEngine html() {
        return new TemplateEngine(builder().autoEscaping(true).defaultEscapingStrategy("html").build());
    }

    /** Output placed into Slack mrkdwn: values get {@code & < >} escaped, as Slack requires, unless marked {@code | raw}. */
    public static TemplateEngine slack() {
        EscapingStrategy slack = TemplateEngine::escapeSlack;
        return new TemplateEngine(builder().autoEscaping(true)
                .addEscapingStrategy("slack", slack).defaultEscapingStrategy("slack").build());
    }

    private static PebbleEngine.Builder builder() {
        // Missing labels render as empty text, as Alertmanager's templates render a missing label.
        return new PebbleEngine.Builder().loader(new StringLoader()).strictVariables(false)
                .newLineTrimming(true).maxRenderedSize(RUNAWAY_GUARD_CHARS).cacheActive(false);
    }

    /**
     * Compiles {@code source}.
     *
     * @throws TemplateException with the template's line, e.g. {@code line 2 of the template: Unexpected end of template}
     */
    public MessageTemplate compile(String source) {
        try {
            return new MessageTemplate(engine.getTemplate(source));
        } catch (PebbleException e) {
            throw new TemplateException(e);
        }
    }

    /** A template shipped in the jar under {@code io/opsgate/alerts/template/<name>.peb}. */
    public MessageTemplate shipped(String name) {
        return compile(resource(name));
    }

    /** The text of a shipped template, for documentation and tests. */
    public static String resource(String name) {
        String path = RESOURCES + name + ".peb";
        try (InputStream in = TemplateEngine.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks that {@code source} compiles and renders a sample notification (Pebble finds unknown filters and
     * functions only when rendering); the message of the exception names the line within the template.
     */
    public static void check(String source) {
        MessageTemplate template = plain().compile(source);
        Notification sample = SampleNotification.create();
        template.render(TemplateData.of(sample));
        template.render(TemplateData.forAlert(sample, sample.alerts().get(0)));
    }

    /**
     * {@link #check(String)} for a template read from config: a broken one fails with its place in the file, and
     * for a literal block ({@code |}) the file line of the template line at fault.
     */
    public static void check(String source, ConfigOrigin at) throws ConfigException {
        try {
            check(source);
        } catch (TemplateException e) {
            String fileLine = "";
            if (e.line().isPresent() && at.fileLine(e.line().getAsInt()).isPresent()) {
                fileLine = " (line " + at.fileLine(e.line().getAsInt()).getAsInt() + " of the file)";
            }
            throw at.error("invalid template" + fileLine + ": " + e.getMessage());
        }
    }

    static String describe(PebbleException e) {
        String message = e.getPebbleMessage() != null ? e.getPebbleMessage() : String.valueOf(e.getMessage());
        Integer line = e.getLineNumber();
        return (line != null ? "line " + line + " of the template: " : "template: ") + message.strip();
    }

    static String escapeSlack(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
