package io.opsgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * Rendered bytes written to many responses at once, held off-heap. A socket write from heap memory first
 * copies the whole body into a native buffer; for a 10 MB snapshot and several concurrent scrapers that
 * copy cost more CPU than the write itself, and the freed native buffers stayed in the process as RSS (see
 * BENCHMARKS.md). Each response gets its own view; views cannot release the memory, which the JVM frees
 * once the last view and this object are unreachable.
 */
final class SharedBytes {
    static final SharedBytes EMPTY = new SharedBytes(Unpooled.EMPTY_BUFFER);

    private final ByteBuf bytes;

    private SharedBytes(ByteBuf bytes) {
        this.bytes = bytes;
    }

    static SharedBytes copyOf(byte[] source, int offset, int length) {
        if (length == 0) {
            return EMPTY;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(length).put(source, offset, length).flip();
        return new SharedBytes(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct)));
    }

    int length() {
        return bytes.readableBytes();
    }

    /** A view for one response: its own indices over the same memory. */
    Buffer view() {
        return BufferInternal.buffer(bytes.duplicate());
    }
}
