package dev.tcpfixture.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The direct buffers of one proxy's pipes, reused: a connection's pipes give theirs back when they end, so that
 * many short connections do not each allocate (and leave to the garbage collector) native memory. At most
 * {@value #KEPT} idle buffers are kept; the others are left to the collector.
 */
final class BufferPool {

    static final int KEPT = 32;

    /** Passed to the recorder in place of bytes it will not keep (beyond the recording limit): never read. */
    static final byte[] UNRECORDED = new byte[ProxyPipe.BUFFER_SIZE];

    private final BlockingQueue<ByteBuffer> idle = new ArrayBlockingQueue<>(KEPT);

    /** Returns an idle buffer, or a new one. */
    ByteBuffer take() {
        ByteBuffer buffer = idle.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(ProxyPipe.BUFFER_SIZE);
    }

    /** Takes back a buffer no one uses any more; kept if there is room. */
    void give(ByteBuffer buffer) {
        idle.offer(buffer);
    }
}
