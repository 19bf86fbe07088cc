package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a client observes from the fault modes, every time, as the engine contract of issue 7 documents it:
 * {@code ACCEPT_THEN_RESET} and a script whose first step is {@code reset()} never reset inside
 * {@code connect()}, timed or not; a write-first client sees {@code Connection reset} at its read; a read-first
 * client sees nothing until the server's step timeout, then the reset. {@code ACCEPT_THEN_CLOSE} gives end of
 * stream, {@code REFUSE} gives {@code Connection refused}.
 *
 * <p>Outcomes are counted by kind, so that a failure shows the whole distribution.
 */
class ResetDeterminismTest {

    private static final int ROUNDS_UNDER_LOAD = 2_000;
    private static final int CLOSE_ROUNDS_UNDER_LOAD = 500;
    /** Rounds per connect kind for clients that see their outcome at once. */
    private static final int QUICK_ROUNDS = 20;
    /** Rounds per connect kind for clients that wait for a timeout (about 300 ms each). */
    private static final int SLOW_ROUNDS = 3;
    /** A client that waits for its whole read timeout costs seconds; after this many the outcome is clear. */
    private static final int READ_TIMEOUTS_BEFORE_GIVING_UP = 3;

    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final int LONG_READ_TIMEOUT_MILLIS = 5_000;
    private static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(300);

    private static final String RESET = "reset";
    private static final String END_OF_STREAM = "end of stream";
    private static final String READ_TIMED_OUT = "read timed out";
    private static final String REFUSED = "connect refused";

    /** The two ways to make the server reset a connection. */
    enum ResetServer {
        ACCEPT_THEN_RESET_MODE {
            @Override
            FakeTcpServer start(Duration stepTimeout) {
                return FakeTcpServer.builder().stepTimeout(stepTimeout).mode(ConnectionMode.ACCEPT_THEN_RESET).start();
            }
        },
        RESET_AS_FIRST_STEP {
            @Override
            FakeTcpServer start(Duration stepTimeout) {
                return FakeTcpServer.builder().stepTimeout(stepTimeout).start().defaultScript(Script.create().reset());
            }
        };

        abstract FakeTcpServer start(Duration stepTimeout);
    }

    /** How the client connects. */
    enum Connect {
        TIMED, UNTIMED;

        void connect(Socket socket, InetSocketAddress address) throws IOException {
            if (this == TIMED) {
                socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            } else {
                socket.connect(address);
            }
        }
    }

    /** How the client talks. */
    enum Client { WRITE_FIRST, READ_FIRST }

    /**
     * One client: connects, writes "HELLO" if write-first, reads one byte with the given read timeout.
     *
     * @return the kind of outcome
     */
    private static String round(InetSocketAddress address, Connect connect, Client client, int readTimeoutMillis) {
        try (Socket socket = new Socket()) {
            try {
                connect.connect(socket, address);
            } catch (ConnectException e) {
                return String.valueOf(e.getMessage()).contains("Connection refused") ? REFUSED : "connect: " + e;
            } catch (IOException e) {
                return "connect: " + e;
            }
            socket.setSoTimeout(readTimeoutMillis);
            if (client == Client.WRITE_FIRST) {
                try {
                    socket.getOutputStream().write("HELLO\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return "write: " + e;
                }
            }
            try {
                return socket.getInputStream().read() < 0 ? END_OF_STREAM : "read a byte";
            } catch (SocketTimeoutException e) {
                return READ_TIMED_OUT;
            } catch (SocketException e) {
                return String.valueOf(e.getMessage()).contains("Connection reset") ? RESET : "read: " + e;
            } catch (IOException e) {
                return "read: " + e;
            }
        } catch (IOException e) {
            return "socket: " + e;
        }
    }

    private static Map<String, Integer> rounds(InetSocketAddress address, int count, Connect connect, Client client,
            int readTimeoutMillis) {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < count && !Thread.currentThread().isInterrupted()
                && outcomes.getOrDefault(READ_TIMED_OUT, 0) < READ_TIMEOUTS_BEFORE_GIVING_UP; i++) {
            outcomes.merge(round(address, connect, client, readTimeoutMillis), 1, Integer::sum);
        }
        return outcomes;
    }

    private static Map<Connect, Map<String, Integer>> bothConnects(InetSocketAddress address, int count,
            Client client, int readTimeoutMillis) {
        Map<Connect, Map<String, Integer>> outcomes = new EnumMap<>(Connect.class);
        for (Connect connect : Connect.values()) {
            outcomes.put(connect, rounds(address, count, connect, client, readTimeoutMillis));
        }
        return outcomes;
    }

    private static Map<Connect, Map<String, Integer>> onlyOutcome(String outcome, int count) {
        return Map.of(Connect.TIMED, Map.of(outcome, count), Connect.UNTIMED, Map.of(outcome, count));
    }

    // ---- under load: 2,000 timed connects ----

    @ParameterizedTest
    @EnumSource(ResetServer.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void timedConnectsOfWriteFirstClientsUnderLoadAlwaysSeeTheResetAtTheirRead(ResetServer kind) {
        long start = System.nanoTime();
        Map<String, Integer> outcomes;
        try (FakeTcpServer server = kind.start(DEFAULT_STEP_TIMEOUT); BusyLoad load = BusyLoad.start(2)) {
            outcomes = rounds(server.address(), ROUNDS_UNDER_LOAD, Connect.TIMED, Client.WRITE_FIRST,
                    LONG_READ_TIMEOUT_MILLIS);
        }
        System.out.printf("%s, %d timed connects of write-first clients under load in %d ms: %s%n", kind,
                ROUNDS_UNDER_LOAD, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcomes);

        assertThat(outcomes).as("%s: timed connect, write, read; outcomes by kind", kind)
                .isEqualTo(Map.of(RESET, ROUNDS_UNDER_LOAD));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void acceptThenCloseUnderLoadAlwaysGivesEndOfStream() {
        long start = System.nanoTime();
        Map<String, Integer> outcomes;
        try (FakeTcpServer server = FakeTcpServer.builder().mode(ConnectionMode.ACCEPT_THEN_CLOSE).start();
                BusyLoad load = BusyLoad.start(2)) {
            outcomes = rounds(server.address(), CLOSE_ROUNDS_UNDER_LOAD, Connect.TIMED, Client.READ_FIRST,
                    LONG_READ_TIMEOUT_MILLIS);
        }
        System.out.printf("ACCEPT_THEN_CLOSE, %d timed connects under load in %d ms: %s%n", CLOSE_ROUNDS_UNDER_LOAD,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcomes);

        assertThat(outcomes).as("ACCEPT_THEN_CLOSE: timed connect, read; outcomes by kind")
                .isEqualTo(Map.of(END_OF_STREAM, CLOSE_ROUNDS_UNDER_LOAD));
    }

    // ---- the four client kinds: timed or untimed connect, write-first or read-first ----

    @ParameterizedTest
    @EnumSource(ResetServer.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void writeFirstClientSeesTheResetAtItsReadWithEitherConnect(ResetServer kind) {
        Map<Connect, Map<String, Integer>> outcomes;
        try (FakeTcpServer server = kind.start(DEFAULT_STEP_TIMEOUT)) {
            outcomes = bothConnects(server.address(), QUICK_ROUNDS, Client.WRITE_FIRST, LONG_READ_TIMEOUT_MILLIS);
        }

        assertThat(outcomes).as("%s: write-first client, outcomes by connect and kind", kind)
                .isEqualTo(onlyOutcome(RESET, QUICK_ROUNDS));
    }

    @ParameterizedTest
    @EnumSource(ResetServer.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readFirstClientWithAShorterReadTimeoutThanTheStepTimeoutTimesOut(ResetServer kind) {
        Map<Connect, Map<String, Integer>> outcomes;
        try (FakeTcpServer server = kind.start(DEFAULT_STEP_TIMEOUT)) {
            outcomes = bothConnects(server.address(), SLOW_ROUNDS, Client.READ_FIRST, (int) SHORT.toMillis());
        }

        assertThat(outcomes).as("%s, step timeout %s: read-first client with SO_TIMEOUT %s, outcomes by connect "
                + "and kind", kind, DEFAULT_STEP_TIMEOUT, SHORT).isEqualTo(onlyOutcome(READ_TIMED_OUT, SLOW_ROUNDS));
    }

    @ParameterizedTest
    @EnumSource(ResetServer.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readFirstClientOutwaitingTheStepTimeoutSeesTheReset(ResetServer kind) {
        Map<Connect, Map<String, Integer>> outcomes;
        try (FakeTcpServer server = kind.start(SHORT)) {
            outcomes = bothConnects(server.address(), SLOW_ROUNDS, Client.READ_FIRST, 10_000);
        }

        assertThat(outcomes).as("%s, step timeout %s: read-first client with SO_TIMEOUT 10 s, outcomes by connect "
                + "and kind", kind, SHORT).isEqualTo(onlyOutcome(RESET, SLOW_ROUNDS));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void refuseGivesConnectionRefusedWithEitherConnect() {
        Map<Connect, Map<String, Integer>> outcomes;
        try (FakeTcpServer server = FakeTcpServer.builder().mode(ConnectionMode.REFUSE).start()) {
            outcomes = bothConnects(server.address(), QUICK_ROUNDS, Client.WRITE_FIRST, LONG_READ_TIMEOUT_MILLIS);
        }

        assertThat(outcomes).as("REFUSE: outcomes by connect and kind").isEqualTo(onlyOutcome(REFUSED, QUICK_ROUNDS));
    }

    // ---- the other fault steps, as a script's first step ----

    /** A script whose first step is a fault, and what every client kind sees. */
    enum FirstStep {
        CLOSE(Script.create().close(), END_OF_STREAM),
        HALF_CLOSE(Script.create().shutdownOutput(), END_OF_STREAM),
        STALL(Script.create().stall(), READ_TIMED_OUT);

        final Script script;
        final String outcome;

        FirstStep(Script script, String outcome) {
            this.script = script;
            this.outcome = outcome;
        }
    }

    @ParameterizedTest
    @EnumSource(FirstStep.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyClientKindSeesTheDocumentedOutcomeOfAFirstFaultStep(FirstStep step) {
        int count = step == FirstStep.STALL ? READ_TIMEOUTS_BEFORE_GIVING_UP : 200;
        int readTimeout = step == FirstStep.STALL ? 100 : LONG_READ_TIMEOUT_MILLIS;
        Map<Client, Map<Connect, Map<String, Integer>>> outcomes = new EnumMap<>(Client.class);
        try (FakeTcpServer server = FakeTcpServer.start(); BusyLoad load = BusyLoad.start(2)) {
            server.defaultScript(step.script);
            for (Client client : Client.values()) {
                outcomes.put(client, bothConnects(server.address(), count, client, readTimeout));
            }
        }

        assertThat(outcomes).as("%s as the first step, under load: outcomes by client kind and connect", step)
                .isEqualTo(Map.of(Client.WRITE_FIRST, onlyOutcome(step.outcome, count),
                        Client.READ_FIRST, onlyOutcome(step.outcome, count)));
    }
}
