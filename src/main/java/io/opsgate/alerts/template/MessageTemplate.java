package io.opsgate.alerts.template;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/** A compiled template; thread-safe, render as often as needed. */
public final class MessageTemplate {
    private final PebbleTemplate template;

    MessageTemplate(PebbleTemplate template) {
        this.template = template;
    }

    /**
     * Renders with {@code context} (see {@link TemplateData}), trimming surrounding whitespace.
     *
     * @throws TemplateException when the template fails on this data (e.g. a filter given the wrong type)
     */
    public String render(Map<String, Object> context) {
        StringWriter out = new StringWriter();
        try {
            template.evaluate(out, context);
        } catch (PebbleException e) {
            throw new TemplateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().strip();
    }
}
