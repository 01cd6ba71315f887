package io.opsgate.alerts.template;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.pebbletemplates.pebble.utils.LimitedSizeWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A compiled template; thread-safe, render as often as needed. */
public final class MessageTemplate {
    /** The limit of {@link #render(Map)}: far above any destination's, far below what would strain the heap. */
    public static final int DEFAULT_MAX_CHARS = 256 * 1024;

    private final PebbleTemplate template;

    MessageTemplate(PebbleTemplate template) {
        this.template = template;
    }

    /** {@link #render(Map, int)} with {@link #DEFAULT_MAX_CHARS}, for callers that only need the text. */
    public String render(Map<String, Object> context) {
        return render(context, DEFAULT_MAX_CHARS).text();
    }

    /**
     * Renders with {@code context} (see {@link TemplateData}) into at most {@code maxChars} characters, trimming
     * surrounding whitespace. A template that writes more is stopped there and its output marked
     * {@link Rendered#cut() cut}: size is never an error, whatever the template and however many alerts it loops
     * over.
     *
     * @throws TemplateException when the template fails on this data (e.g. a filter given the wrong type): a
     *                           permanent error, the same on every attempt
     */
    public Rendered render(Map<String, Object> context, int maxChars) {
        BoundedWriter out = new BoundedWriter(maxChars);
        try {
            template.evaluate(out, context);
        } catch (BoundedWriter.Full full) {
            // the output is complete up to the limit
        } catch (PebbleException e) {
            if (!isSizeLimit(e)) {
                throw new TemplateException(e);
            }
            out.markCut();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(out.text().strip(), out.cut());
    }

    /**
     * Pebble's own runaway guard ({@code maxRenderedSize}, counted over nested macro and block output too) or our
     * writer's stop, seen through whatever Pebble wrapped around it.
     */
    private static boolean isSizeLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BoundedWriter.Full) {
                return true;
            }
            StackTraceElement[] frames = t.getStackTrace();
            if (t instanceof PebbleException && frames.length > 0
                    && frames[0].getClassName().equals(LimitedSizeWriter.class.getName())) {
                return true;
            }
        }
        return false;
    }
}
