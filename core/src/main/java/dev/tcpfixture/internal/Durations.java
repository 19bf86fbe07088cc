package dev.tcpfixture.internal;

import java.time.Duration;

/**
 * Duration arithmetic that saturates instead of overflowing, for timeouts such as
 * {@code Duration.ofSeconds(Long.MAX_VALUE)}. Messages show durations through {@link Messages#duration}.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * Returns the duration in nanoseconds, or {@link Long#MAX_VALUE} ({@link Long#MIN_VALUE}) if it is longer
     * (more negative) than that.
     *
     * @param duration the duration
     * @return the nanoseconds, saturated
     */
    public static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
