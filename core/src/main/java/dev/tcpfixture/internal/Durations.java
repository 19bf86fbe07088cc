package dev.tcpfixture.internal;

import java.time.Duration;

/**
 * Duration arithmetic that saturates instead of overflowing, for timeouts such as
 * {@code Duration.ofSeconds(Long.MAX_VALUE)}.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * Returns the duration in nanoseconds, or {@link Long#MAX_VALUE} if it is longer than that.
     *
     * @param duration a non-negative duration
     * @return the nanoseconds, saturated
     */
    public static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Describes a timeout for messages in milliseconds, for example {@code 250 ms}.
     *
     * @param duration the duration
     * @return the description
     */
    public static String describe(Duration duration) {
        long nanos = nanos(duration);
        if (nanos == Long.MAX_VALUE) {
            return "forever";
        }
        return nanos / 1_000_000 + " ms";
    }
}
