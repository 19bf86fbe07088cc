package dev.tcpfixture.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The direct buffers of one proxy's pipes, reused: a connection's pipes give theirs back when they end, so that
 * many short connections do not each allocate (and leave to the garbage collector) native memory. Every pipe starts
 * with a small buffer ({@value #SMALL} bytes); a pipe whose sender keeps it full may move to a large one
 * ({@value #LARGE} bytes: fewer, larger reads and writes for bulk transfers). At most {@value #LARGE_IN_USE} large
 * buffers are in use per proxy at a time, so the proxy's memory stays bounded however many connections carry bulk;
 * a pipe that finds none free keeps its small one. At most {@value #KEPT} idle small buffers are kept, and the idle
 * large ones; the others are left to the collector.
 */
final class BufferPool {

    static final int SMALL = 64 * 1024;
    static final int LARGE = 512 * 1024;
    static final int LARGE_IN_USE = 16;
    static final int KEPT = 32;

    /** Passed to the recorder in place of bytes it will not keep (beyond the recording limit): never read. */
    static final byte[] UNRECORDED = new byte[LARGE];

    private final BlockingQueue<ByteBuffer> idleSmall = new ArrayBlockingQueue<>(KEPT);
    private final BlockingQueue<ByteBuffer> idleLarge = new ArrayBlockingQueue<>(LARGE_IN_USE);
    private final Semaphore largePermits = new Semaphore(LARGE_IN_USE);

    /** Returns an idle small buffer, or a new one. */
    ByteBuffer take() {
        ByteBuffer buffer = idleSmall.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(SMALL);
    }

    /** Returns an idle large buffer, or a new one, or {@code null} if {@value #LARGE_IN_USE} are in use. */
    ByteBuffer takeLarge() {
        if (!largePermits.tryAcquire()) {
            return null;
        }
        ByteBuffer buffer = idleLarge.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(LARGE);
    }

    /** Takes back a buffer no one uses any more; kept if there is room. */
    void give(ByteBuffer buffer) {
        if (buffer.capacity() == LARGE) {
            idleLarge.offer(buffer);
            largePermits.release();
        } else {
            idleSmall.offer(buffer);
        }
    }
}
