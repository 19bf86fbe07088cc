package dev.tcpfixture.junit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Gives the server's threads a moment to record what the client already caused before an assertion fails.
 *
 * <p>The server learns of some things a moment after the client does them: a connect completes in the kernel
 * before the server accepts it, and bytes or a close the client sends arrive at the server's thread a little
 * later. An assertion that does not hold at once waits up to {@link #GRACE} for it to hold, woken by every
 * change of the server's record (not on a clock); one that holds returns at once.
 */
final class Settling {

    /** How long an assertion that does not hold yet waits for the record to change so that it does: 200 ms. */
    static final Duration GRACE = Duration.ofMillis(200);

    private Settling() {
    }

    /** Waits on a server's record: {@code FakeTcpServer::awaitUntil} or {@code RecordedConnection::awaitUntil}. */
    @FunctionalInterface
    interface Awaiting {
        boolean awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException;
    }

    /**
     * Reads the state until it satisfies {@code holds} or {@link #GRACE} has passed, and returns the last read.
     *
     * @param record waits for changes of the record the state comes from
     * @param read reads the live state
     * @param holds the check of the assertion
     * @param <T> the type of the state
     * @return the first state that satisfies {@code holds}, or the last one read
     */
    static <T> T settle(Awaiting record, Supplier<T> read, Predicate<? super T> holds) {
        try {
            record.awaitUntil(() -> holds.test(read.get()), GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return read.get();
    }
}
