package io.opsgate.alerts.template;

import io.pebbletemplates.pebble.error.PebbleException;
import java.util.OptionalInt;

/** A template that does not compile or fails to render; the message names the line within the template. */
public final class TemplateException extends IllegalArgumentException {
    private final Integer line;

    TemplateException(PebbleException cause) {
        super(TemplateEngine.describe(cause), cause);
        this.line = cause.getLineNumber();
    }

    /** The 1-based line within the template, when Pebble knows it. */
    public OptionalInt line() {
        return line == null || line < 1 ? OptionalInt.empty() : OptionalInt.of(line);
    }
}
