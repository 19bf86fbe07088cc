package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.TranscriptEvent.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeTcpServer server = FakeTcpServer.start();

    @AfterEach
    void closeServer() {
        server.close();
    }

    private static List<TranscriptEvent> sentEvents(RecordedConnection connection) {
        return connection.events().stream().filter(event -> event.kind() == Kind.SENT).toList();
    }

    @Test
    void dripSendsChunksAtIntervals() throws Exception {
        server.enqueue(Script.create().drip(2, Duration.ofMillis(40)).send("abcdef").close());

        List<byte[]> reads = new ArrayList<>();
        try (TestClient client = TestClient.connect(server)) {
            byte[] chunk;
            while ((chunk = client.readOnce(100)) != null) {
                reads.add(chunk);
            }
        }
        assertThat(reads).hasSizeGreaterThanOrEqualTo(3);
        assertThat(String.join("", reads.stream().map(String::new).toList())).isEqualTo("abcdef");

        List<TranscriptEvent> sent = sentEvents(server.takeConnection(WAIT));
        assertThat(sent).extracting(event -> new String(event.data())).containsExactly("ab", "cd", "ef");
        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i).elapsed().minus(sent.get(i - 1).elapsed()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(35));
        }
    }

    @Test
    void fragmentSplitsEachSendIntoChosenWrites() throws Exception {
        server.enqueue(Script.create().fragment(1, 3).sendLine("HTTP/1.0 200").deliverWhole().sendLine("whole").close());

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readAllText()).isEqualTo("HTTP/1.0 200\r\nwhole\r\n");
        }
        assertThat(sentEvents(server.takeConnection(WAIT))).extracting(event -> new String(event.data()))
                .containsExactly("H", "TTP", "/1.0 200\r\n", "whole\r\n");
    }

    @Test
    void closeAfterSendingCutsTheReplyShort() throws Exception {
        server.enqueue(Script.create().closeAfterSending(10).sendLine("HTTP/1.0 200 OK").sendLine("never sent"));

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readAllText()).isEqualTo("HTTP/1.0 2");
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.sentByteCount()).isEqualTo(10);
        assertThat(connection.closedFirstBy()).contains(Side.SERVER);
        server.verify();
    }

    @Test
    void closeAfterSendingCountsAcrossSends() throws Exception {
        server.enqueue(Script.create().closeAfterSending(6).send("abcd").send("efgh"));

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readAllText()).isEqualTo("abcdef");
        }
    }

    @Test
    void randomBytesAreReproducibleBySeed() throws Exception {
        server.enqueue(Script.create().sendRandomBytes(1_000, 42).close());
        byte[] expected = new byte[1_000];
        new Random(42).nextBytes(expected);

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readAll()).isEqualTo(expected);
        }
    }

    @Test
    void pauseBeforeReplyIsRecordedInTheTimeline() throws Exception {
        server.enqueue(Script.create().expectLine("q").pause(Duration.ofMillis(200)).sendLine("a").close());

        try (TestClient client = TestClient.connect(server)) {
            client.send("q\n");
            assertThat(client.readLine()).isEqualTo("a");
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.awaitClosed(WAIT)).isTrue(); // sends are recorded once written, the close before it
        TranscriptEvent received = connection.events().stream().filter(e -> e.kind() == Kind.RECEIVED).findFirst().orElseThrow();
        TranscriptEvent sent = sentEvents(connection).get(0);
        assertThat(sent.elapsed().minus(received.elapsed())).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        assertThat(sent.time()).isAfter(received.time());
    }
}
