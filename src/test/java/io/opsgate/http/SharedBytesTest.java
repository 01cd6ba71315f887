package io.opsgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SharedBytesTest {
    private static final byte[] BYTES = "aws_ebs_volume_info{volume_id=\"vol-1\"} 1\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void memoryIsFreedWhenRetiredAndTheLastViewIsGivenBack() {
        SharedBytes shared = SharedBytes.copyOf(BYTES, 0, BYTES.length);
        Buffer view = shared.borrow();
        shared.retire();
        assertThat(shared.freed()).isFalse();
        assertThat(view.toString(StandardCharsets.UTF_8)).isEqualTo(new String(BYTES, StandardCharsets.UTF_8));
        shared.release();
        assertThat(shared.freed()).isTrue();
    }

    @Test
    void noViewOnceFreed() {
        SharedBytes shared = SharedBytes.copyOf(BYTES, 0, BYTES.length);
        shared.retire();
        assertThat(shared.freed()).isTrue();
        assertThat(shared.borrow()).isNull();
    }

    @Test
    void viewsHaveTheirOwnIndices() {
        SharedBytes shared = SharedBytes.copyOf(BYTES, 0, BYTES.length);
        Buffer first = shared.borrow();
        Buffer second = shared.borrow();
        assertThat(first.length()).isEqualTo(BYTES.length);
        assertThat(second.getBytes()).isEqualTo(BYTES);
        shared.release();
        shared.release();
        shared.retire();
        assertThat(shared.freed()).isTrue();
    }

    @Test
    void everyChunkIsFreedWhenRetiredAndTheLastViewIsGivenBack() {
        ChunkedBytes out = new ChunkedBytes(16);
        for (int i = 0; i < 10; i++) {
            out.write(BYTES, 0, BYTES.length);
        }
        SharedBytes shared = out.toSharedBytes();
        assertThat(shared.chunkCount()).isGreaterThan(1);
        assertThat(shared.length()).isEqualTo(10 * BYTES.length);
        Buffer view = shared.borrow();
        shared.retire();
        assertThat(shared.freed()).isFalse();
        assertThat(view.toString(StandardCharsets.UTF_8)).isEqualTo(new String(BYTES, StandardCharsets.UTF_8).repeat(10));
        shared.release();
        assertThat(shared.freed()).isTrue();
    }

    @Test
    void emptyIsNeverFreed() {
        SharedBytes.EMPTY.retire();
        assertThat(SharedBytes.EMPTY.borrow()).isNotNull();
        SharedBytes.EMPTY.release();
        assertThat(SharedBytes.EMPTY.freed()).isFalse();
    }
}
