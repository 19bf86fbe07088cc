package dev.tcpfixture.internal;

import java.time.Duration;

/**
 * Deadlines in {@link System#nanoTime()} terms, and durations in nanoseconds, saturated so that a timeout of
 * {@code Duration.ofDays(10_000)} or {@code Duration.ofSeconds(Long.MAX_VALUE)} means "no deadline" instead of
 * overflowing. Messages show durations through {@link Messages#duration}.
 */
final class Deadlines {

    /** The deadline of waits that only an event ends (the client, a close, a shutdown). */
    static final long NONE = Long.MAX_VALUE;

    private Deadlines() {
    }

    /**
     * Returns the duration in nanoseconds, or {@link Long#MAX_VALUE} ({@link Long#MIN_VALUE}) if it is longer
     * (more negative) than that.
     */
    static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Returns the deadline {@code timeout} from now, or {@link #NONE} if that is beyond the clock's range. */
    static long after(Duration timeout) {
        long nanos = nanos(timeout);
        long now = System.nanoTime();
        return nanos >= Long.MAX_VALUE / 2 ? NONE : now + nanos;
    }

    /** Returns the nanoseconds left until {@code deadline}; at most a day for {@link #NONE}, never negative. */
    static long remaining(long deadline) {
        if (deadline == NONE) {
            return 86_400_000_000_000L;
        }
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Returns the milliseconds left, rounded up so that a wait never ends early; at least 1. */
    static long remainingMillis(long deadline) {
        return Math.max(1, (remaining(deadline) + 999_999) / 1_000_000);
    }

    /** Whether the deadline has passed. */
    static boolean passed(long deadline) {
        return deadline != NONE && deadline - System.nanoTime() <= 0;
    }
}
