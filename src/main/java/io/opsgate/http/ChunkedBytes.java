package io.opsgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An output stream into off-heap chunks of a fixed size, handed over as {@link SharedBytes} without copying.
 * A rendering never needs one array the size of its body: the heap holds at most the format writer's own
 * buffer, where a single body-sized array (28 MB for the issue #9 benchmark fleet, 32 MB once grown) did not fit
 * next to the snapshot in the shipped heap (see BENCHMARKS.md). The chunks are unpooled: a rendering lives
 * for a whole collection interval, and a pool would keep its arenas resident after it is freed.
 */
final class ChunkedBytes extends OutputStream {
    private final int chunkBytes;
    private final List<ByteBuf> chunks = new ArrayList<>();
    private ByteBuf current;
    private boolean handedOver;

    ChunkedBytes(int chunkBytes) {
        this.chunkBytes = chunkBytes;
    }

    @Override
    public void write(int b) {
        writable().writeByte(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            ByteBuf into = writable();
            int n = Math.min(len, into.writableBytes());
            into.writeBytes(b, off, n);
            off += n;
            len -= n;
        }
    }

    private ByteBuf writable() {
        if (handedOver) {
            throw new IllegalStateException("already handed over");
        }
        if (current == null || !current.isWritable()) {
            current = Unpooled.directBuffer(chunkBytes, chunkBytes);
            chunks.add(current);
        }
        return current;
    }

    /** The bytes written, now owned by the result; the last chunk is cut to its length. */
    SharedBytes toSharedBytes() {
        handedOver = true;
        if (current != null && current.writableBytes() > 0) {
            ByteBuf exact = Unpooled.directBuffer(current.readableBytes(), current.readableBytes()).writeBytes(current);
            current.release();
            chunks.set(chunks.size() - 1, exact);
        }
        current = null;
        return SharedBytes.of(chunks);
    }

    /** Frees what was written, for a rendering that failed half-way. */
    void discard() {
        if (!handedOver) {
            handedOver = true;
            chunks.forEach(ByteBuf::release);
            chunks.clear();
            current = null;
        }
    }
}
