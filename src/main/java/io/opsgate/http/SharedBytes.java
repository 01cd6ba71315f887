package io.opsgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rendered bytes written to many responses at once, held off-heap. A socket write from heap memory first
 * copies the whole body into a native buffer; for a 10 MB snapshot and several concurrent scrapers that
 * copy cost more CPU than the write itself, and the freed native buffers stayed in the process as RSS (see
 * BENCHMARKS.md).
 *
 * <p>The memory is counted, not left to the garbage collector: it is freed as soon as its renderer has
 * {@link #retire() retired} it and the last response that {@link #borrow() borrowed} it has been written.
 * Left to the collector, each retired rendering (10 MB and more) stayed allocated until a full GC, because
 * its small {@code DirectByteBuffer} owner had long been promoted to the old generation.
 *
 * <p>The bytes are a sequence of chunks ({@link ChunkedBytes}); each response gets its own composite view of
 * them, so that no buffer object with reader state is shared between the threads writing responses.
 */
final class SharedBytes {
    static final SharedBytes EMPTY = new SharedBytes(Unpooled.EMPTY_BUFFER, Integer.MAX_VALUE / 2);

    private final List<ByteBuf> chunks;
    private final int length;
    /** The renderer's reference plus one per response being written; the memory is freed when it reaches 0. */
    private final AtomicInteger users;

    private SharedBytes(List<ByteBuf> chunks, int users) {
        this.chunks = List.copyOf(chunks);
        this.length = this.chunks.stream().mapToInt(ByteBuf::readableBytes).sum();
        this.users = new AtomicInteger(users);
    }

    private SharedBytes(ByteBuf bytes, int users) {
        this(List.of(bytes), users);
    }

    static SharedBytes copyOf(byte[] source, int offset, int length) {
        if (length == 0) {
            return EMPTY;
        }
        return new SharedBytes(Unpooled.directBuffer(length, length).writeBytes(source, offset, length), 1);
    }

    /** Takes ownership of the chunks: they are released when this is freed. */
    static SharedBytes of(List<ByteBuf> chunks) {
        if (chunks.isEmpty()) {
            return EMPTY;
        }
        return new SharedBytes(chunks, 1);
    }

    int length() {
        return length;
    }

    /**
     * A view for one response (its own indices over the same memory), or null once the memory is freed:
     * the caller then reads the newer rendering. Every view must be given back with {@link #release()}
     * after the response is written or has failed.
     */
    Buffer borrow() {
        int n;
        do {
            n = users.get();
            if (n == 0) {
                return null;
            }
        } while (!users.compareAndSet(n, n + 1));
        // Unreleasable: whatever Netty or Vert.x release after a write, only this counter frees the memory.
        if (chunks.size() == 1) {
            return BufferInternal.buffer(Unpooled.unreleasableBuffer(chunks.get(0).duplicate()));
        }
        ByteBuf[] views = new ByteBuf[chunks.size()];
        for (int i = 0; i < views.length; i++) {
            views[i] = Unpooled.unreleasableBuffer(chunks.get(i).duplicate());
        }
        // As many components as chunks: past its maximum a composite consolidates, copying the whole body.
        return BufferInternal.buffer(Unpooled.wrappedBuffer(views.length, views));
    }

    void release() {
        if (users.decrementAndGet() == 0) {
            chunks.forEach(ByteBuf::release);
        }
    }

    /** The renderer's reference: called once, when a newer rendering replaces this one. */
    void retire() {
        if (this != EMPTY) {
            release();
        }
    }

    /** For tests: whether the memory has been freed. */
    boolean freed() {
        return users.get() == 0 && chunks.stream().allMatch(c -> c.refCnt() == 0);
    }

    /** For tests. */
    int chunkCount() {
        return chunks.size();
    }
}
