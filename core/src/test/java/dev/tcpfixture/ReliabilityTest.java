package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Many cycles, floods and misbehaving clients: the server never hangs, never leaks a thread or a file
 * descriptor, keeps its memory bounded, and reports every failure.
 */
class ReliabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static int openFileDescriptors() {
        String[] entries = new File("/proc/self/fd").list();
        return entries == null ? -1 : entries.length;
    }

    private static long liveServerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("tcpfixture-") && thread.isAlive())
                .count();
    }

    private static void roundTrip(FakeTcpServer server) throws IOException {
        server.enqueue(Script.create().expectLine("ping").sendLine("pong").close());
        try (TestClient client = TestClient.connect(server)) {
            client.send("ping\n");
            assertThat(client.readLine()).isEqualTo("pong");
        }
    }

    @Test
    void thousandStartStopCyclesLeaveNoThreadOrFileDescriptor() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(openFileDescriptors() > 0, "needs /proc/self/fd (Linux)");
        for (int i = 0; i < 20; i++) { // warm up the JDK's own lazily opened descriptors
            try (FakeTcpServer server = FakeTcpServer.start()) {
                roundTrip(server);
                server.mode(ConnectionMode.REFUSE);
                server.mode(ConnectionMode.CONNECT_TIMEOUT);
            }
        }
        long threadsBefore = liveServerThreads();
        long start = System.nanoTime();
        int descriptorsBefore = openFileDescriptors();

        for (int i = 0; i < 1_000; i++) {
            try (FakeTcpServer server = FakeTcpServer.start()) {
                roundTrip(server);
                if (i % 10 == 0) {
                    server.mode(ConnectionMode.CONNECT_TIMEOUT);
                    server.mode(ConnectionMode.REFUSE);
                }
                server.verify();
            }
        }

        System.out.printf("1000 start/round-trip/stop cycles in %d ms: %d server threads and %d file descriptors "
                + "before, %d and %d after%n", (System.nanoTime() - start) / 1_000_000, threadsBefore, descriptorsBefore,
                liveServerThreads(), openFileDescriptors());
        assertThat(liveServerThreads()).isEqualTo(threadsBefore).isZero();
        assertThat(openFileDescriptors()).isEqualTo(descriptorsBefore);
    }

    @Test
    void hundredMegabyteFloodIsCountedAndRecordedWithinTheLimit() throws Exception {
        long total = 100L * 1024 * 1024;
        long start = System.nanoTime();
        try (FakeTcpServer server = FakeTcpServer.start()) {
            try (Socket socket = new Socket(server.host(), server.port())) {
                OutputStream out = socket.getOutputStream();
                byte[] chunk = new byte[256 * 1024];
                Arrays.fill(chunk, (byte) 'z');
                for (long sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk);
                }
            }
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitClosed(Duration.ofSeconds(30))).isTrue();
            assertThat(connection.receivedByteCount()).isEqualTo(total);
            assertThat(connection.received()).hasSize(FakeTcpServer.DEFAULT_RECORDING_LIMIT);
            assertThat(connection.receivedTruncated()).isTrue();
            assertThat(connection.transcript()).contains("recording limit of 1048576 received bytes reached");
            server.verify();
            System.out.printf("100 MB flood in %d ms: %d bytes counted, %d recorded, truncation reported%n",
                    (System.nanoTime() - start) / 1_000_000, connection.receivedByteCount(), connection.received().length);
        }
    }

    /** What a misbehaving client does. */
    private enum Misbehaviour {
        RESET_AT_ONCE, RESET_MID_LINE, HALF_CLOSE, PARTIAL_LINE_THEN_CLOSE, BINARY_JUNK, NEVER_READ, CONNECT_AND_LEAVE,
        BEHAVE
    }

    @Test
    void randomizedMisbehaviourNeverHangsAndEveryFailureIsReported() {
        long seed = Long.getLong("tcpfixture.seed", 20261125L);
        Random random = new Random(seed);
        List<String> log = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int round = 0; round < 150; round++) {
                Misbehaviour misbehaviour = Misbehaviour.values()[random.nextInt(Misbehaviour.values().length)];
                log.add(round + ":" + misbehaviour);
                runRound(misbehaviour, random.nextLong());
            }
        }, () -> "seed " + seed + ", rounds " + log);
        assertThat(liveServerThreads()).isZero();
        System.out.printf("randomized misbehaviour (seed %d): %d rounds, no hang, every failure reported, no thread left%n",
                seed, log.size());
    }

    private static void runRound(Misbehaviour misbehaviour, long seed) throws Exception {
        FakeTcpServer server = FakeTcpServer.builder().stepTimeout(Duration.ofMillis(200)).recordingLimit(4096).start();
        server.enqueue(Script.create()
                .sendLine("hello")
                .expectLine("HELLO")
                .sendRandomBytes(2 * 1024 * 1024, seed)
                .sendLine("")
                .expectLine("BYE")
                .close());
        try {
            Socket socket = new Socket();
            socket.connect(server.address(), 2_000);
            socket.setSoTimeout(2_000);
            try {
                misbehave(misbehaviour, socket, seed);
            } catch (SocketException expected) {
                // the server may close or reset first; that is part of the game
            } finally {
                socket.close();
            }
            RecordedConnection connection = server.takeConnection(WAIT);
            boolean ended = connection.awaitClosed(WAIT);
            assertThat(ended || misbehaviour == Misbehaviour.NEVER_READ).as("%s ended", misbehaviour).isTrue();
        } finally {
            long start = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close after %s", misbehaviour)
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(server.liveThreadCount()).isZero();
        }
        List<ScriptFailure> failures = server.failures();
        if (misbehaviour == Misbehaviour.BEHAVE) {
            assertThat(failures).as("a well-behaved client").isEmpty();
        } else {
            assertThat(failures).as("failures for %s", misbehaviour).hasSize(1);
            assertThat(failures.get(0).transcript()).contains("accepted from");
        }
    }

    private static void misbehave(Misbehaviour misbehaviour, Socket socket, long seed) throws IOException {
        java.io.InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        switch (misbehaviour) {
            case RESET_AT_ONCE -> {
                socket.setSoLinger(true, 0);
            }
            case RESET_MID_LINE -> {
                out.write("HEL".getBytes());
                socket.setSoLinger(true, 0);
            }
            case HALF_CLOSE -> {
                socket.shutdownOutput();
                in.readNBytes(7);
            }
            case PARTIAL_LINE_THEN_CLOSE -> out.write("HELLO\nBY".getBytes());
            case BINARY_JUNK -> {
                byte[] junk = new byte[10_000];
                new Random(seed).nextBytes(junk);
                out.write(junk);
            }
            case NEVER_READ -> out.write("HELLO\n".getBytes());
            case CONNECT_AND_LEAVE -> {
                // connect and close without a word
            }
            case BEHAVE -> {
                in.readNBytes(7);
                out.write("HELLO\n".getBytes());
                byte[] junk = in.readNBytes(2 * 1024 * 1024 + 2);
                assertThat(junk).hasSize(2 * 1024 * 1024 + 2);
                out.write("BYE\n".getBytes());
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }
}
