package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * Which test a per-class server's failure fails, under load: the guilty test, every time, and never an innocent
 * one (issue 7). Runs without parallel execution, the case where the extension promises exact blame.
 */
class BlameStressTest {

    static final int REPETITIONS = 300;

    private static final Pattern REPETITION = Pattern.compile("repetition (\\d+) of " + REPETITIONS);
    private static final Pattern GUILTY_LINE = Pattern.compile("received line \"GUILTY (\\d+)\"");

    /**
     * One server for all repetitions. Odd repetitions break its script and return at once, without waiting for
     * the server ("fire and forget"); even ones are innocent: half of them do nothing, half a correct exchange.
     */
    @UserTests
    @WithTcpServer
    static class GuiltyAndInnocent {

        @TcpServer
        static FakeTcpServer shared;

        @BeforeAll
        static void everyConnectionExpectsPing() {
            shared.defaultScript(Script.create().expectLine("PING").sendLine("PONG"));
        }

        @RepeatedTest(REPETITIONS)
        void alternate(RepetitionInfo repetition) throws IOException {
            int number = repetition.getCurrentRepetition();
            if (number % 2 == 1) {
                try (Socket client = new Socket()) {
                    client.connect(shared.address(), 1_000);
                    client.getOutputStream().write(("GUILTY " + number + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
            } else if (number % 4 == 0) {
                try (Socket client = new Socket()) {
                    client.connect(shared.address(), 1_000);
                    client.setSoTimeout(5_000);
                    client.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                            StandardCharsets.US_ASCII));
                    assertThat(in.readLine()).isEqualTo("PONG");
                }
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @SuppressWarnings("try") // the load only has to run while the tests do
    void everyGuiltyRepetitionFailsWithItsOwnTranscriptAndNoInnocentOneFails() throws InterruptedException {
        EngineExecutionResults results;
        try (BusyCores load = BusyCores.start(2)) {
            results = TestKit.run(Map.of("junit.jupiter.execution.parallel.enabled", "false"),
                    GuiltyAndInnocent.class);
        }

        Map<Integer, String> failures = new TreeMap<>();
        for (Event event : results.testEvents().failed().list()) {
            Matcher name = REPETITION.matcher(event.getTestDescriptor().getDisplayName());
            assertThat(name.matches()).as(event.getTestDescriptor().getDisplayName()).isTrue();
            Throwable failure = event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
            failures.put(Integer.parseInt(name.group(1)), String.valueOf(failure.getMessage()));
        }
        List<String> wrong = new ArrayList<>();
        for (int number = 1; number <= REPETITIONS; number++) {
            String message = failures.get(number);
            boolean guilty = number % 2 == 1;
            if (!guilty && message != null) {
                wrong.add("innocent repetition " + number + " failed: " + shorten(message));
            } else if (guilty && message == null) {
                wrong.add("guilty repetition " + number + " passed");
            } else if (guilty) {
                Set<String> blamed = new TreeSet<>();
                for (Matcher line = GUILTY_LINE.matcher(message); line.find(); ) {
                    blamed.add(line.group(1));
                }
                if (!blamed.equals(Set.of(String.valueOf(number)))
                        || !message.contains("client> \"GUILTY " + number + "\\r\\n\"")) {
                    wrong.add("guilty repetition " + number + " failed with another transcript: " + shorten(message));
                }
            }
        }
        assertThat(wrong).as("%d wrong outcomes of %d", wrong.size(), REPETITIONS).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.started(REPETITIONS).failed(REPETITIONS / 2));
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        assertThat(GuiltyAndInnocent.shared.connectionCount()).isEqualTo(REPETITIONS * 3 / 4);
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    private static String shorten(String message) {
        return message.length() <= 600 ? message : message.substring(0, 600) + "...";
    }

    /** Threads that spin until closed, to keep every core busy while the tests run. */
    static final class BusyCores implements AutoCloseable {

        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stop;

        static BusyCores start(int count) {
            BusyCores load = new BusyCores();
            for (int i = 0; i < count; i++) {
                Thread thread = new Thread(load::spin, "busy-core-" + i);
                thread.setDaemon(true);
                load.threads.add(thread);
                thread.start();
            }
            return load;
        }

        private void spin() {
            long sum = 0;
            while (!stop) {
                sum += System.nanoTime() & 1;
            }
            if (sum == 42) {
                Thread.onSpinWait(); // keeps the loop from being optimized away
            }
        }

        @Override
        public void close() {
            stop = true;
            try {
                for (Thread thread : threads) {
                    thread.join(10_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
