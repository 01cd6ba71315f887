package io.opsgate.http;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Writes metric snapshots with the Prometheus client library's own format writers, in pieces that can
 * be concatenated: OpenMetrics output is cut before its {@code # EOF}, which the endpoint appends once.
 */
final class ExpositionWriter {
    static final String TEXT_CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    static final String OPENMETRICS_CONTENT_TYPE = OpenMetricsTextFormatWriter.CONTENT_TYPE;
    static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.UTF_8);

    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final OpenMetricsTextFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

    boolean wantsOpenMetrics(String acceptHeader) {
        return acceptHeader != null && openMetrics.accepts(acceptHeader);
    }

    byte[] text(MetricSnapshots snapshots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        writeText(snapshots, out);
        return out.toByteArray();
    }

    void writeText(MetricSnapshots snapshots, OutputStream out) {
        try {
            text.write(out, snapshots, EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes to {@code out} everything but the final {@code # EOF}, so that more can follow. */
    void writeOpenMetricsWithoutEof(MetricSnapshots snapshots, OutputStream out) {
        WithoutEof trimmed = new WithoutEof(out);
        try {
            openMetrics.write(trimmed, snapshots, EscapingScheme.UNDERSCORE_ESCAPING);
            trimmed.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Holds back the last bytes written until it is known whether they are the final {@code # EOF}. */
    private static final class WithoutEof extends OutputStream {
        private final OutputStream out;
        private final byte[] held = new byte[EOF.length];
        private int heldLength;

        WithoutEof(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len >= held.length) {
                out.write(held, 0, heldLength);
                out.write(b, off, len - held.length);
                System.arraycopy(b, off + len - held.length, held, 0, held.length);
                heldLength = held.length;
                return;
            }
            int overflow = heldLength + len - held.length;
            if (overflow > 0) {
                out.write(held, 0, overflow);
                System.arraycopy(held, overflow, held, 0, heldLength - overflow);
                heldLength -= overflow;
            }
            System.arraycopy(b, off, held, heldLength, len);
            heldLength += len;
        }

        /** Drops the held bytes if they are {@code # EOF}, else writes them. */
        void finish() throws IOException {
            if (!(heldLength == EOF.length && Arrays.equals(held, EOF))) {
                out.write(held, 0, heldLength);
            }
            heldLength = 0;
        }
    }

    byte[] openMetricsWithoutEof(MetricSnapshots snapshots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            openMetrics.write(out, snapshots, EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        int cut = bytes.length - EOF.length;
        if (cut >= 0 && Arrays.equals(bytes, cut, bytes.length, EOF, 0, EOF.length)) {
            return Arrays.copyOf(bytes, cut);
        }
        return bytes;
    }

    /**
     * One gzip member. Members concatenate into a valid gzip stream (RFC 1952 §2.2), which is how the
     * pre-compressed snapshot and the live part are joined without compressing the snapshot per scrape.
     */
    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, plain.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
