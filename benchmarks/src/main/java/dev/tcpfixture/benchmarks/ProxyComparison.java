package dev.tcpfixture.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The proxy part of the run: {@link ProxyBenchmark} directly and through the proxy, in rounds (the order reversed
 * every other round, as the other parts), then the ratios against the targets: at least 0.7 of the direct
 * bulk throughput, under 100 µs added per round trip.
 */
final class ProxyComparison {

    static final double BULK_TARGET = 0.7;
    static final double ADDED_ROUND_TRIP_TARGET_MICROS = 100;

    private ProxyComparison() {
    }

    static void run(BenchmarkMain.Settings settings, List<String> summary) throws RunnerException {
        int warmups = Math.min(settings.warmupIterations(), 6);
        Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>(); // method -> path -> iterations
        for (int round = 0; round < settings.rounds(); round++) {
            List<String> paths = round % 2 == 0 ? List.of("direct", "proxy") : List.of("proxy", "direct");
            for (String path : paths) {
                System.out.printf(Locale.ROOT, "%n# ===== round %d of %d: proxy, %s =====%n", round + 1,
                        settings.rounds(), path);
                Options options = new OptionsBuilder()
                        .include("^" + Pattern.quote(ProxyBenchmark.class.getName()) + "\\.")
                        .param("path", path)
                        .forks(1)
                        .warmupIterations(warmups)
                        .warmupTime(TimeValue.milliseconds(settings.warmupMillis()))
                        .measurementIterations(settings.measurementIterations())
                        .measurementTime(TimeValue.milliseconds(settings.measurementMillis()))
                        .jvmArgsAppend(BenchmarkMain.JMH_JVM_OPTIONS.toArray(String[]::new))
                        .shouldFailOnError(true)
                        .build();
                Collection<RunResult> results = new Runner(options).run();
                for (RunResult result : results) {
                    String method = result.getParams().getBenchmark();
                    method = method.substring(method.lastIndexOf('.') + 1);
                    for (BenchmarkResult benchmark : result.getBenchmarkResults()) {
                        for (IterationResult iteration : benchmark.getIterationResults()) {
                            scores.computeIfAbsent(method, m -> new LinkedHashMap<>())
                                    .computeIfAbsent(path, p -> new ArrayList<>())
                                    .add(iteration.getPrimaryResult().getScore());
                        }
                    }
                }
            }
        }
        summary.add("");
        summary.add("PROXY: the same client directly against a plain upstream, and through a TcpProxy with no fault"
                + " (recording on); " + warmups + " warm-up iterations per fork");
        Map<String, List<Double>> bulk = scores.get("bulk");
        if (bulk != null && bulk.containsKey("direct") && bulk.containsKey("proxy")) {
            double direct = mbPerSecond(bulk.get("direct"));
            double proxied = mbPerSecond(bulk.get("proxy"));
            summary.add(String.format(Locale.ROOT, "  bulk 100 MB: direct %s ms (%.0f MB/s), proxy %s ms (%.0f MB/s);"
                    + " proxy/direct throughput %.2f, target >= %.1f: %s", describe(bulk.get("direct")), direct,
                    describe(bulk.get("proxy")), proxied, proxied / direct, BULK_TARGET,
                    proxied / direct >= BULK_TARGET ? "MET" : "MISSED"));
        }
        Map<String, List<Double>> roundTrip = scores.get("roundTrip");
        if (roundTrip != null && roundTrip.containsKey("direct") && roundTrip.containsKey("proxy")) {
            double added = mean(roundTrip.get("proxy")) - mean(roundTrip.get("direct"));
            summary.add(String.format(Locale.ROOT, "  round trip 32 B: direct %s µs, proxy %s µs; added %.1f µs,"
                    + " target < %.0f µs: %s", describe(roundTrip.get("direct")), describe(roundTrip.get("proxy")),
                    added, ADDED_ROUND_TRIP_TARGET_MICROS, added < ADDED_ROUND_TRIP_TARGET_MICROS ? "MET" : "MISSED"));
        }
    }

    private static double mean(List<Double> values) {
        return statistics(values).getMean();
    }

    private static double mbPerSecond(List<Double> millisPerTransfer) {
        return ProxyBenchmark.BULK_BYTES / 1e6 / (mean(millisPerTransfer) / 1000);
    }

    private static String describe(List<Double> values) {
        ListStatistics statistics = statistics(values);
        return String.format(Locale.ROOT, "%.1f ± %.1f (median %.1f)", statistics.getMean(),
                values.size() > 1 ? statistics.getMeanErrorAt(0.999) : Double.NaN, statistics.getPercentile(50));
    }

    private static ListStatistics statistics(List<Double> values) {
        ListStatistics statistics = new ListStatistics();
        values.forEach(statistics::addValue);
        return statistics;
    }
}
