package dev.tcpfixture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void lendsAtMostSoManyLargeBuffersAtATime() {
        BufferPool pool = new BufferPool();
        List<ByteBuffer> large = new ArrayList<>();
        for (int i = 0; i < BufferPool.LARGE_IN_USE; i++) {
            ByteBuffer buffer = pool.takeLarge();
            assertThat(buffer).isNotNull();
            assertThat(buffer.isDirect()).isTrue();
            assertThat(buffer.capacity()).isEqualTo(BufferPool.LARGE);
            large.add(buffer);
        }
        assertThat(pool.takeLarge()).isNull();
        ByteBuffer returned = large.remove(0);
        returned.position(100);
        pool.give(returned);
        ByteBuffer again = pool.takeLarge();
        assertThat(again).isSameAs(returned);
        assertThat(again.position()).isZero();
        assertThat(pool.takeLarge()).isNull();
    }

    @Test
    void smallBuffersAreNotCountedAgainstTheLargeOnes() {
        BufferPool pool = new BufferPool();
        List<ByteBuffer> small = new ArrayList<>();
        for (int i = 0; i < 2 * BufferPool.LARGE_IN_USE; i++) {
            ByteBuffer buffer = pool.take();
            assertThat(buffer.capacity()).isEqualTo(BufferPool.SMALL);
            small.add(buffer);
        }
        assertThat(pool.takeLarge()).isNotNull();
        small.forEach(pool::give);
        assertThat(pool.take()).isIn(small);
    }

    @Test
    void recordsBeyondTheLimitCanStandInForAWholeLargeBuffer() {
        assertThat(BufferPool.UNRECORDED).hasSizeGreaterThanOrEqualTo(BufferPool.LARGE);
        assertThat(BufferPool.LARGE).isGreaterThan(BufferPool.SMALL);
    }
}
