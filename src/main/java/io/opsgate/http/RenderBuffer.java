package io.opsgate.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Where a snapshot is rendered: sized up front from the previous rendering, so that a 10 MB exposition
 * does not grow by doubling through a chain of discarded arrays, and handed to off-heap memory (plain and
 * gzipped) straight from its own array. Rendering was the service's heap peak; see BENCHMARKS.md.
 */
final class RenderBuffer extends ByteArrayOutputStream {
    private static final int MIN_BYTES = 64 * 1024;

    RenderBuffer(int expectedBytes) {
        super(Math.max(MIN_BYTES, expectedBytes + expectedBytes / 8));
    }

    /** Forgets the last bytes if they are {@code suffix}. */
    synchronized void dropSuffix(byte[] suffix) {
        if (count >= suffix.length && Arrays.equals(buf, count - suffix.length, count, suffix, 0, suffix.length)) {
            count -= suffix.length;
        }
    }

    synchronized SharedBytes toSharedBytes() {
        return SharedBytes.copyOf(buf, 0, count);
    }

    synchronized SharedBytes gzipToSharedBytes() {
        RenderBuffer zipped = new RenderBuffer(count / 8);
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped, 64 * 1024)) {
            gz.write(buf, 0, count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zipped.toSharedBytes();
    }
}
