package dev.tcpfixture.junit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Gives the server's threads a moment to record what they just did before an assertion fails.
 *
 * <p>A server thread records bytes it sent, and a close, right after doing it; the acceptor records a
 * connection right after accepting it. So a client can see the reply, the end of stream or its connect succeed
 * a moment before the recording shows it. An assertion that does not hold at once reads the state again for up
 * to {@link #GRACE} before it fails; one that holds returns at once.
 */
final class Settling {

    /** How long an assertion that does not hold yet keeps reading the state again: 200 ms. */
    static final Duration GRACE = Duration.ofMillis(200);

    private static final long POLL_NANOS = Duration.ofMillis(2).toNanos();

    private Settling() {
    }

    /**
     * Reads the state until it satisfies {@code holds} or {@link #GRACE} has passed, and returns the last read.
     *
     * @param read reads the live state
     * @param holds the check of the assertion
     * @param <T> the type of the state
     * @return the first state that satisfies {@code holds}, or the last one read
     */
    static <T> T settle(Supplier<T> read, Predicate<? super T> holds) {
        T value = read.get();
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (!holds.test(value) && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(POLL_NANOS);
            value = read.get();
        }
        return value;
    }
}
