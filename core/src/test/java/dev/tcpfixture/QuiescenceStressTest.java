package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The "fire and forget" client of issue 7: it connects, writes a wrong line and closes at once. Whatever the
 * test asks next ({@code verify()}, {@code failures()}, or {@code takeConnection(...)} then {@code verify()}),
 * the failure must be there, every time, while two busy threads load the CPU. A correct client, interleaved,
 * must never be blamed. Each round has its own server.
 */
class QuiescenceStressTest {

    private static final int ROUNDS = 2_000;
    /** One correct client every this many rounds. */
    private static final int INNOCENT_EVERY = 100;
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** A round that hits the quiet bound costs a step timeout; after this many the outcome is clear. */
    private static final int SLOW_ROUNDS_BEFORE_GIVING_UP = 5;

    private static final String CAUGHT = "caught";
    private static final String LOST = "lost";
    private static final String CLEAN = "clean";
    private static final String QUIET_BOUND_HIT = "quiet bound hit";
    private static final String QUIET_MESSAGE = "expected the server to become quiet";

    private enum Check { VERIFY, FAILURES_AT_ONCE, TAKE_CONNECTION_THEN_VERIFY }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void verifyAlwaysFailsAfterAFireAndForgetClient() throws Exception {
        stress(Check.VERIFY);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void failuresAtOnceAlwaysHoldTheFailureOfAFireAndForgetClient() throws Exception {
        stress(Check.FAILURES_AT_ONCE);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void takeConnectionThenVerifyAlwaysFailsAfterAFireAndForgetClient() throws Exception {
        stress(Check.TAKE_CONNECTION_THEN_VERIFY);
    }

    private static void stress(Check check) throws Exception {
        Tally guilty = new Tally();
        Tally innocent = new Tally();
        int rounds = 0;
        long start = System.nanoTime();
        try (BusyLoad load = BusyLoad.start(2)) {
            while (rounds < ROUNDS && !Thread.currentThread().isInterrupted()
                    && guilty.count(QUIET_BOUND_HIT) < SLOW_ROUNDS_BEFORE_GIVING_UP) {
                rounds++;
                guiltyRound(check, rounds, guilty);
                if (rounds % INNOCENT_EVERY == INNOCENT_EVERY / 2) {
                    innocentRound(check, rounds, innocent);
                }
            }
        }
        System.out.printf("fire and forget, then %s: %d rounds in %d ms under load; guilty %s, innocent %s%n", check,
                rounds, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), guilty.counts, innocent.counts);

        assertThat(guilty.count(LOST)).as("failures lost in %d rounds of fire-and-forget then %s (all outcomes %s)%s",
                rounds, check, guilty.counts, guilty.examples()).isZero();
        assertThat(guilty.counts).as("fire-and-forget then %s%s", check, guilty.examples())
                .isEqualTo(Map.of(CAUGHT, ROUNDS));
        assertThat(innocent.counts).as("correct clients then %s%s", check, innocent.examples())
                .isEqualTo(Map.of(CLEAN, ROUNDS / INNOCENT_EVERY));
    }

    /** Connects, writes a wrong line, closes at once; then asks the server. */
    private static void guiltyRound(Check check, int round, Tally tally) {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            try (Socket client = new Socket()) {
                client.connect(server.address(), CONNECT_TIMEOUT_MILLIS);
                client.getOutputStream().write("PONG?\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                tally.add("client failed", round, e.toString());
                return;
            }
            switch (check) {
                case VERIFY -> classifyVerify(server, round, tally);
                case FAILURES_AT_ONCE -> classifyFailures(server.failures(), round, tally);
                case TAKE_CONNECTION_THEN_VERIFY -> {
                    try {
                        server.takeConnection(WAIT);
                    } catch (AssertionError e) {
                        tally.add("no connection taken", round, e.getMessage());
                        return;
                    }
                    classifyVerify(server, round, tally);
                }
            }
        }
    }

    private static void classifyVerify(FakeTcpServer server, int round, Tally tally) {
        try {
            server.verify();
            tally.add(LOST);
        } catch (AssertionError e) {
            classifyReport(e.getMessage(), round, tally);
        }
    }

    private static void classifyFailures(List<ScriptFailure> failures, int round, Tally tally) {
        if (failures.isEmpty()) {
            tally.add(LOST);
        } else if (failures.size() > 1 || failures.get(0).connectionId() != 1) {
            StringBuilder all = new StringBuilder();
            failures.forEach(failure -> all.append(failure.describe()).append(System.lineSeparator()));
            if (all.indexOf(QUIET_MESSAGE) >= 0) {
                tally.add(QUIET_BOUND_HIT, round, all.toString());
            } else {
                tally.add("unexpected failures", round, all.toString());
            }
        } else {
            classifyReport(failures.get(0).describe(), round, tally);
        }
    }

    /** The one failure must be the wrong line of the client, not a server that gave up waiting. */
    private static void classifyReport(String report, int round, Tally tally) {
        if (report.contains(QUIET_MESSAGE)) {
            tally.add(QUIET_BOUND_HIT, round, report);
        } else if (report.contains("PONG?")) {
            tally.add(CAUGHT);
        } else {
            tally.add("failure without the wrong line", round, report);
        }
    }

    /** A correct client: writes PING, reads PONG, closes; then nothing may be reported. */
    private static void innocentRound(Check check, int round, Tally tally) {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            try (TestClient client = TestClient.connect(server)) {
                client.send("PING\r\n");
                String answer = client.readLine();
                if (!"PONG".equals(answer)) {
                    tally.add("client read something else", round, String.valueOf(answer));
                    return;
                }
            } catch (IOException e) {
                tally.add("client failed", round, e.toString());
                return;
            }
            try {
                switch (check) {
                    case VERIFY -> server.verify();
                    case FAILURES_AT_ONCE -> {
                        List<ScriptFailure> failures = server.failures();
                        if (!failures.isEmpty()) {
                            tally.add("failures reported", round, failures.get(0).describe());
                            return;
                        }
                    }
                    case TAKE_CONNECTION_THEN_VERIFY -> {
                        server.takeConnection(WAIT);
                        server.verify();
                    }
                }
                tally.add(CLEAN);
            } catch (AssertionError e) {
                tally.add("failure reported", round, e.getMessage());
            }
        }
    }

    /** Outcomes counted by kind, with the first few unexpected ones kept for the failure message. */
    private static final class Tally {

        final Map<String, Integer> counts = new TreeMap<>();
        private final List<String> firstExamples = new ArrayList<>();

        void add(String kind) {
            counts.merge(kind, 1, Integer::sum);
        }

        void add(String kind, int round, String detail) {
            add(kind);
            if (firstExamples.size() < 3) {
                firstExamples.add("round " + round + ", " + kind + ": " + detail);
            }
        }

        int count(String kind) {
            return counts.getOrDefault(kind, 0);
        }

        String examples() {
            return firstExamples.isEmpty() ? "" : System.lineSeparator() + "first examples:" + System.lineSeparator()
                    + String.join(System.lineSeparator(), firstExamples);
        }
    }
}
