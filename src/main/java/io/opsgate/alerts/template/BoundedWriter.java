package io.opsgate.alerts.template;

import java.io.IOException;
import java.io.Writer;

/**
 * Keeps the first {@code max} characters written to it and stops the template at the first one beyond them by
 * throwing {@link Full}, so that rendering a 5,000-alert group for a 3,000-character destination costs 3,000
 * characters, not the whole text. Whitespace beyond the limit is swallowed without stopping, since the rendered
 * text is stripped anyway: only visible text past the limit makes the output cut.
 */
final class BoundedWriter extends Writer {
    /** Thrown through Pebble's evaluation to end it; never seen outside {@link MessageTemplate}. */
    static final class Full extends IOException {
        Full() {
            super("rendered text reached its limit");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // control flow, not a failure: no trace to collect
        }
    }

    private final StringBuilder out = new StringBuilder();
    private final int max;
    private boolean cut;

    BoundedWriter(int max) {
        this.max = Math.max(0, max);
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        int room = max - out.length();
        if (len <= room) {
            out.append(chars, off, len);
            return;
        }
        out.append(chars, off, room);
        for (int i = off + room; i < off + len; i++) {
            if (!Character.isWhitespace(chars[i])) {
                cut = true;
                throw new Full();
            }
        }
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        write(s.toCharArray(), off, len);
    }

    void markCut() {
        cut = true;
    }

    boolean cut() {
        return cut;
    }

    String text() {
        return out.toString();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
