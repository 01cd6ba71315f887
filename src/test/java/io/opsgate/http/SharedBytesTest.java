package io.opsgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SharedBytesTest {
    private static final byte[] BYTES = "aws_ebs_volume_info{volume_id=\"vol-1\"} 1\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void memoryIsFreedWhenRetiredAndTheLastViewIsGivenBack() {
        SharedBytes shared = SharedBytes.copyOf(BYTES, 0, BYTES.length);
        ByteBuf view = shared.borrow();
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
        ByteBuf first = shared.borrow();
        ByteBuf second = shared.borrow();
        assertThat(first.readableBytes()).isEqualTo(BYTES.length);
        assertThat(ByteBufUtil.getBytes(second)).isEqualTo(BYTES);
        shared.release();
        shared.release();
        shared.retire();
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
