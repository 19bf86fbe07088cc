package dev.tcpfixture.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * A diagnostic, not a JMH benchmark: times the three phases of the lifecycle separately (start, roundtrip,
 * close) with {@link System#nanoTime()}, to show where a server spends its lifecycle time. Medians and 90th
 * percentiles over many cycles after a warm-up; no error margins.
 */
final class LifecyclePhases {

    record Result(ServerKind kind, int cycles, long[] startNanos, long[] roundtripNanos, long[] closeNanos) {

        String describe() {
            return String.format(Locale.ROOT, "  %-14s start %7.1f (p90 %7.1f)   roundtrip %7.1f (p90 %7.1f)   "
                    + "close %7.1f (p90 %7.1f)", kind.id(),
                    micros(percentile(startNanos, 50)), micros(percentile(startNanos, 90)),
                    micros(percentile(roundtripNanos, 50)), micros(percentile(roundtripNanos, 90)),
                    micros(percentile(closeNanos, 50)), micros(percentile(closeNanos, 90)));
        }
    }

    private LifecyclePhases() {
    }

    static Result measure(ServerKind kind, int warmUp, int cycles) throws Exception {
        long[] start = new long[cycles];
        long[] roundtrip = new long[cycles];
        long[] close = new long[cycles];
        for (int i = -warmUp; i < cycles; i++) {
            long t0 = System.nanoTime();
            BenchServer server = kind.startForOneExchange();
            long t1 = System.nanoTime();
            long t2;
            try {
                Client.roundtrip(kind.protocol(), server.address());
                t2 = System.nanoTime();
            } finally {
                server.close();
            }
            long t3 = System.nanoTime();
            if (i >= 0) {
                start[i] = t1 - t0;
                roundtrip[i] = t2 - t1;
                close[i] = t3 - t2;
            }
        }
        return new Result(kind, cycles, start, roundtrip, close);
    }

    static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.round(percent / 100.0 * (sorted.length - 1)));
        return sorted[index];
    }

    static double micros(long nanos) {
        return nanos / 1_000.0;
    }
}
