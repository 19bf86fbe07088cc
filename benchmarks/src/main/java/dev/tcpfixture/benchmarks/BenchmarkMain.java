package dev.tcpfixture.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
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
 * Runs every comparison of the fake server with the raw {@link java.net.ServerSocket} floor and MockWebServer,
 * then prints a summary with the ratios and the issue's targets.
 *
 * <p>The machine is shared, so its speed drifts. The JMH benchmarks therefore run in rounds: each round runs
 * every server once (one fork each, the order reversed every other round), so that every server is measured
 * as often early as late. Scores pool the measured iterations of all rounds (mean and 99.9% confidence
 * interval, as JMH computes them across forks); ratios are also given per round, where both servers met the
 * same conditions.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar            the full run (about 8 minutes)
 *   java -jar benchmarks/target/benchmarks.jar --quick    a smoke run of a few seconds: checks, not figures
 *   --parts=lifecycle,throughput,tls,held,phases,proxy    only some parts
 *   --servers=fake,raw,raw-pooled,mockwebserver,fake-tls,mockwebserver-tls-nodelay,mockwebserver-tls
 *                                                         only some servers
 *   --rounds=N                                            more or fewer rounds
 * </pre>
 */
public final class BenchmarkMain {

    static final double LIFECYCLE_TARGET = 1.3;
    static final double THROUGHPUT_TARGET = 0.8;
    static final double THROUGHPUT_VS_MWS_EXPECTED = 2.0;
    static final List<String> JMH_JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g");
    static final List<ServerKind> HELD_AND_PHASE_SERVERS = List.of(ServerKind.FAKE, ServerKind.RAW,
            ServerKind.MOCKWEBSERVER);

    /** How long and how often: the full run and a smoke run. */
    record Settings(String name, int rounds, int warmupIterations, int warmupMillis, int measurementIterations,
            int measurementMillis, int heldConnections, int heldRepeats, int phaseWarmUp, int phaseCycles) {

        static final Settings FULL = new Settings("full", 3, 12, 1_000, 5, 1_000, 2_000, 3, 8_000, 2_000);
        static final Settings QUICK = new Settings("quick (smoke test, not figures)", 1, 1, 200, 2, 200, 200, 1,
                20, 50);

        Settings withRounds(int count) {
            return new Settings(name, count, warmupIterations, warmupMillis,
                    measurementIterations, measurementMillis, heldConnections, heldRepeats, phaseWarmUp, phaseCycles);
        }

        String describe() {
            return String.format(Locale.ROOT, "JMH 1.37, %s: %d round(s), each 1 fork per server of %d warm-up x %d ms"
                    + " + %d measured x %d ms iterations; error = 99.9%% confidence interval over the pooled"
                    + " iterations; fork JVM options %s; GC profiler on", name, rounds, warmupIterations, warmupMillis,
                    measurementIterations, measurementMillis, String.join(" ", JMH_JVM_OPTIONS));
        }
    }

    /** A JMH part of the run. */
    enum Part {
        LIFECYCLE("lifecycle", LifecycleBenchmark.class, List.of(ServerKind.FAKE, ServerKind.RAW,
                ServerKind.MOCKWEBSERVER)),
        THROUGHPUT("throughput", SequentialConnectionsBenchmark.class, List.of(ServerKind.FAKE, ServerKind.RAW,
                ServerKind.RAW_POOLED, ServerKind.MOCKWEBSERVER)),
        TLS("tls", TlsLifecycleBenchmark.class, List.of(ServerKind.FAKE_TLS, ServerKind.MOCKWEBSERVER_TLS_NODELAY,
                ServerKind.MOCKWEBSERVER_TLS));

        final String id;
        final Class<?> benchmark;
        final List<ServerKind> kinds;

        Part(String id, Class<?> benchmark, List<ServerKind> kinds) {
            this.id = id;
            this.benchmark = benchmark;
            this.kinds = kinds;
        }
    }

    /** What the rounds measured for one server in one part. */
    static final class Samples {
        final List<Double> iterations = new ArrayList<>();
        final List<Double> rounds = new ArrayList<>();
        final List<Double> alloc = new ArrayList<>();
        String unit = "";

        double mean() {
            return statistics().getMean();
        }

        /** The median of the pooled iterations: unlike the mean, it does not follow a few slow seconds. */
        double median() {
            return statistics().getPercentile(50);
        }

        double error() {
            return iterations.size() > 1 ? statistics().getMeanErrorAt(0.999) : Double.NaN;
        }

        double relativeError() {
            double error = error();
            return Double.isNaN(error) ? 0 : error / mean();
        }

        private ListStatistics statistics() {
            ListStatistics statistics = new ListStatistics();
            iterations.forEach(statistics::addValue);
            return statistics;
        }

        String describe() {
            StringBuilder perRound = new StringBuilder();
            for (double round : rounds) {
                perRound.append(perRound.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.0f", round));
            }
            return String.format(Locale.ROOT, "mean %8.1f ± %-7.1f median %8.1f %-6s alloc %,7.0f B/op   rounds: %s",
                    mean(), error(), median(), unit,
                    alloc.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), perRound);
        }
    }

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.FULL;
        Set<String> parts = new LinkedHashSet<>(List.of("lifecycle", "throughput", "tls", "held", "phases", "proxy"));
        List<String> servers = List.of();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                settings = Settings.QUICK;
            } else if (arg.startsWith("--parts=")) {
                parts = new LinkedHashSet<>(List.of(arg.substring("--parts=".length()).split(",")));
            } else if (arg.startsWith("--servers=")) {
                servers = List.of(arg.substring("--servers=".length()).split(","));
                servers.forEach(ServerKind::byId);
            } else if (arg.startsWith("--rounds=")) {
                settings = settings.withRounds(Integer.parseInt(arg.substring("--rounds=".length())));
            } else {
                System.err.println("usage: java -jar benchmarks.jar [--quick] [--rounds=N]"
                        + " [--parts=lifecycle,throughput,tls,held,phases,proxy] [--servers=fake,raw,raw-pooled,mockwebserver]");
                System.exit(2);
                return;
            }
        }
        long began = System.nanoTime();
        List<String> summary = new ArrayList<>();
        summary.add("machine: " + machine());
        summary.add("settings: " + settings.describe());

        List<Part> jmhParts = new ArrayList<>();
        for (Part part : Part.values()) {
            if (parts.contains(part.id)) {
                jmhParts.add(part);
            }
        }
        Map<Part, Map<ServerKind, Samples>> measured = runRounds(jmhParts, settings, servers);
        if (measured.containsKey(Part.LIFECYCLE)) {
            summarizeLifecycle(measured.get(Part.LIFECYCLE), summary);
        }
        if (measured.containsKey(Part.THROUGHPUT)) {
            summarizeThroughput(measured.get(Part.THROUGHPUT), summary);
        }
        if (measured.containsKey(Part.TLS)) {
            summarizeTls(measured.get(Part.TLS), summary);
        }
        if (parts.contains("held")) {
            held(settings, kinds(servers, HELD_AND_PHASE_SERVERS), summary);
        }
        if (parts.contains("phases")) {
            phases(settings, kinds(servers, HELD_AND_PHASE_SERVERS), summary);
        }
        if (parts.contains("proxy")) {
            ProxyComparison.run(settings, summary);
        }

        System.out.println();
        System.out.println("==================== tcpfixture benchmark summary ====================");
        summary.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "whole run: %.0f s%n", (System.nanoTime() - began) / 1e9);
    }

    private static List<ServerKind> kinds(List<String> chosen, List<ServerKind> all) {
        return chosen.isEmpty() ? all : all.stream().filter(kind -> chosen.contains(kind.id())).toList();
    }

    // ---- JMH rounds ----

    private static Map<Part, Map<ServerKind, Samples>> runRounds(List<Part> parts, Settings settings,
            List<String> servers) throws RunnerException {
        Map<Part, Map<ServerKind, Samples>> measured = new EnumMap<>(Part.class);
        for (int round = 0; round < settings.rounds(); round++) {
            for (Part part : parts) {
                List<ServerKind> kinds = new ArrayList<>(kinds(servers, part.kinds));
                if (round % 2 == 1) {
                    Collections.reverse(kinds);
                }
                for (ServerKind kind : kinds) {
                    System.out.printf(Locale.ROOT, "%n# ===== round %d of %d: %s, %s =====%n", round + 1,
                            settings.rounds(), part.id, kind.id());
                    RunResult result = runJmh(part.benchmark, kind, settings);
                    Samples samples = measured.computeIfAbsent(part, p -> new EnumMap<>(ServerKind.class))
                            .computeIfAbsent(kind, k -> new Samples());
                    add(samples, result);
                }
            }
        }
        return measured;
    }

    private static RunResult runJmh(Class<?> benchmark, ServerKind kind, Settings settings) throws RunnerException {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
                .param("server", kind.id())
                .forks(1)
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.warmupMillis()))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(TimeValue.milliseconds(settings.measurementMillis()))
                .jvmArgsAppend(JMH_JVM_OPTIONS.toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        if (results.size() != 1) {
            throw new IllegalStateException("expected one JMH result, got " + results.size());
        }
        return results.iterator().next();
    }

    @SuppressWarnings("rawtypes") // JMH's secondary results are a map of raw Result
    private static void add(Samples samples, RunResult run) {
        for (BenchmarkResult benchmark : run.getBenchmarkResults()) {
            for (IterationResult iteration : benchmark.getIterationResults()) {
                samples.iterations.add(iteration.getPrimaryResult().getScore());
            }
        }
        samples.rounds.add(run.getPrimaryResult().getScore());
        samples.unit = run.getPrimaryResult().getScoreUnit();
        for (var secondary : run.getSecondaryResults().entrySet()) {
            if (secondary.getKey().endsWith("gc.alloc.rate.norm")) {
                samples.alloc.add(secondary.getValue().getScore());
            }
        }
    }

    // ---- summaries ----

    private static void summarizeLifecycle(Map<ServerKind, Samples> scores, List<String> summary) {
        summary.add("");
        summary.add("LIFECYCLE: start + connect + one exchange + client close + server close (time per cycle, lower"
                + " is better)");
        scores.forEach((kind, samples) -> summary.add(String.format(Locale.ROOT, "  %-14s %s", kind.id(),
                samples.describe())));
        Samples fake = scores.get(ServerKind.FAKE);
        Samples raw = scores.get(ServerKind.RAW);
        Samples mws = scores.get(ServerKind.MOCKWEBSERVER);
        if (fake != null && raw != null) {
            summary.add(ratioLine("fake/raw", fake, raw));
            summary.add("  target fake/raw <= " + LIFECYCLE_TARGET + ": by the means " + atMost(fake.mean() / raw.mean(),
                    LIFECYCLE_TARGET) + "; by the medians " + atMost(fake.median() / raw.median(), LIFECYCLE_TARGET));
        }
        if (fake != null && mws != null) {
            summary.add(ratioLine("fake/mockwebserver", fake, mws) + "   (below 1: the fake is faster)");
        }

    }

    private static void summarizeTls(Map<ServerKind, Samples> scores, List<String> summary) {
        summary.add("");
        summary.add("TLS LIFECYCLE: start + connect + handshake + one exchange + client close + server close (time per"
                + " cycle, lower is better)");
        scores.forEach((kind, samples) -> summary.add(String.format(Locale.ROOT, "  %-25s %s", kind.id(),
                samples.describe())));
        Samples fake = scores.get(ServerKind.FAKE_TLS);
        Samples noDelay = scores.get(ServerKind.MOCKWEBSERVER_TLS_NODELAY);
        Samples shipped = scores.get(ServerKind.MOCKWEBSERVER_TLS);
        if (fake != null && noDelay != null) {
            summary.add(ratioLine("fake-tls/mws-tls-nodelay", fake, noDelay) + "   (the servers compared)");
            summary.add("  target fake-tls/mockwebserver-tls-nodelay <= 1.0: by the means "
                    + atMost(fake.mean() / noDelay.mean(), 1.0) + "; by the medians "
                    + atMost(fake.median() / noDelay.median(), 1.0));
        }
        if (fake != null && shipped != null) {
            summary.add(ratioLine("fake-tls/mws-tls", fake, shipped) + "   (MockWebServer as shipped, Nagle on:"
                    + " two delayed ACKs per connection; not the servers' own cost)");
        }
    }

    private static void summarizeThroughput(Map<ServerKind, Samples> scores, List<String> summary) {
        summary.add("");
        summary.add("SEQUENTIAL SHORT CONNECTIONS: " + SequentialConnectionsBenchmark.CONNECTIONS
                + " per fresh server, one after another (connections per second, higher is better)");
        scores.forEach((kind, samples) -> summary.add(String.format(Locale.ROOT, "  %-14s %s", kind.id(),
                samples.describe())));
        Samples fake = scores.get(ServerKind.FAKE);
        Samples raw = scores.get(ServerKind.RAW);
        Samples pooled = scores.get(ServerKind.RAW_POOLED);
        Samples mws = scores.get(ServerKind.MOCKWEBSERVER);
        if (fake != null && raw != null) {
            summary.add(ratioLine("fake/raw", fake, raw));
            summary.add("  target fake/raw >= " + THROUGHPUT_TARGET + ": by the means " + atLeast(fake.mean() / raw.mean(),
                    THROUGHPUT_TARGET) + "; by the medians " + atLeast(fake.median() / raw.median(), THROUGHPUT_TARGET));
        }
        if (fake != null && pooled != null) {
            summary.add(ratioLine("fake/raw-pooled", fake, pooled) + "   (reference: a floor with a thread pool)");
        }
        if (fake != null && mws != null) {
            summary.add(ratioLine("fake/mockwebserver", fake, mws));
            summary.add("  expected fake/mockwebserver about " + THROUGHPUT_VS_MWS_EXPECTED + ": by the means "
                    + atLeast(fake.mean() / mws.mean(), THROUGHPUT_VS_MWS_EXPECTED) + "; by the medians "
                    + atLeast(fake.median() / mws.median(), THROUGHPUT_VS_MWS_EXPECTED));
        }
    }

    private static String atMost(double ratio, double target) {
        return String.format(Locale.ROOT, "%.2f, %s", ratio, ratio <= target ? "MET" : String.format(Locale.ROOT,
                "MISSED by %.0f%%", (ratio / target - 1) * 100));
    }

    private static String atLeast(double ratio, double target) {
        return String.format(Locale.ROOT, "%.2f, %s", ratio, ratio >= target ? "MET" : String.format(Locale.ROOT,
                "MISSED by %.0f%%", (1 - ratio / target) * 100));
    }

    /**
     * A ratio of pooled means, its error (relative errors of independent terms added in quadrature) and the
     * ratios of the single rounds.
     */
    private static String ratioLine(String name, Samples a, Samples b) {
        double ratio = a.mean() / b.mean();
        double error = ratio * Math.hypot(a.relativeError(), b.relativeError());
        StringBuilder perRound = new StringBuilder();
        for (int i = 0; i < Math.min(a.rounds.size(), b.rounds.size()); i++) {
            perRound.append(i == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.2f",
                    a.rounds.get(i) / b.rounds.get(i)));
        }
        return String.format(Locale.ROOT, "  %-18s = %5.2f ± %.2f (means), %5.2f (medians); per round: %s", name, ratio,
                error, a.median() / b.median(), perRound);
    }

    // ---- held connections ----

    private static void held(Settings settings, List<ServerKind> kinds, List<String> summary)
            throws IOException, InterruptedException {
        int connections = settings.heldConnections();
        summary.add("");
        summary.add("HELD CONNECTIONS: " + connections + " open at once, each after one exchange; server in its own"
                + " JVM (" + String.join(" ", HeldConnections.SERVER_JVM_OPTIONS) + "), measured after GC");
        long limit = HeldConnections.openFileLimit();
        long needed = connections + 512L;
        if (limit >= 0 && limit < needed) {
            String message = "  SKIPPED: the open-file limit is " + limit + ", and " + connections
                    + " connections need about " + needed + " descriptors in each process. Raise it in this shell"
                    + " first (ulimit -n 8192) and run again.";
            System.out.println(message);
            summary.add(message);
            return;
        }
        summary.add(String.format(Locale.ROOT, "  %-14s %16s %16s %14s %34s", "server", "heap B/conn", "RSS B/conn",
                "threads added", "server threads alive after close()"));
        Map<ServerKind, List<HeldConnections.Result>> all = new EnumMap<>(ServerKind.class);
        for (int repeat = 0; repeat < settings.heldRepeats(); repeat++) {
            for (ServerKind kind : kinds) {
                System.out.println("# held connections: " + kind.id() + ", run " + (repeat + 1));
                HeldConnections.Result result = HeldConnections.measure(kind, connections);
                all.computeIfAbsent(kind, k -> new ArrayList<>()).add(result);
                summary.add(String.format(Locale.ROOT, "  %-14s %,16.0f %,16.0f %14d %34d", kind.id() + " #"
                        + (repeat + 1), result.heapPerConnection(), result.rssPerConnection(),
                        result.threadsAdded(), result.threadsAfterClose()));
            }
        }
        if (!all.containsKey(ServerKind.FAKE)) {
            return;
        }
        double fakeHeap = mean(all.get(ServerKind.FAKE), HeldConnections.Result::heapPerConnection);
        double fakeRss = mean(all.get(ServerKind.FAKE), HeldConnections.Result::rssPerConnection);
        for (ServerKind other : List.of(ServerKind.RAW, ServerKind.MOCKWEBSERVER)) {
            if (!all.containsKey(other)) {
                continue;
            }
            double heap = mean(all.get(other), HeldConnections.Result::heapPerConnection);
            double rss = mean(all.get(other), HeldConnections.Result::rssPerConnection);
            summary.add(String.format(Locale.ROOT, "  fake/%-13s heap per connection %5.2f, RSS per connection %5.2f"
                    + " (means of the runs)", other.id(), fakeHeap / heap, fakeRss / rss));
        }
    }

    private static double mean(List<HeldConnections.Result> results,
            java.util.function.ToDoubleFunction<HeldConnections.Result> value) {
        return results.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    // ---- phases ----

    private static void phases(Settings settings, List<ServerKind> kinds, List<String> summary) throws Exception {
        summary.add("");
        summary.add("LIFECYCLE PHASES (diagnostic, in the launcher JVM, median and p90 in µs over "
                + settings.phaseCycles() + " cycles after " + settings.phaseWarmUp() + " warm-up cycles)");
        for (ServerKind kind : kinds) {
            System.out.println("# lifecycle phases: " + kind.id());
            summary.add(LifecyclePhases.measure(kind, settings.phaseWarmUp(), settings.phaseCycles()).describe());
        }
    }

    // ---- the machine ----

    private static String machine() {
        String cpu = "unknown CPU";
        long memoryKb = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memoryKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave what is unknown
        }
        return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB, %s %s, %s %s, %s",
                Runtime.getRuntime().availableProcessors(), cpu, memoryKb / 1024.0 / 1024.0,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }
}
