package dev.tcpfixture.junit;

import static dev.tcpfixture.junit.TcpAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Every message of the extension stays usable in an IDE and a CI log whatever the payloads: quoted payloads,
 * transcripts and lists are cut, and the message says where the whole record is. And it shows the bytes the
 * client sent, not the text they decode to.
 */
class MessageBoundsTest {

    /** About 100 KB: what no message of the extension may exceed, whatever the payloads. */
    private static final int LIMIT = 100_000;

    private static final int CONNECTIONS = 200;
    private static final int PAYLOAD = 100 * 1024;

    /** Makes {@code count} connections that each send {@code bytes} bytes of text (lines of 100 bytes), and close. */
    static void flood(FakeTcpServer server, int count, int bytes) throws IOException {
        byte[] payload = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            payload[i] = (byte) (i % 100 == 99 ? '\n' : 'a' + i % 26);
        }
        for (int i = 0; i < count; i++) {
            try (Socket socket = new Socket(server.host(), server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(payload);
                out.flush();
            }
        }
    }

    @Test
    void aMessageAbout200ConnectionsOf100KilobytesStaysUnder100Kilobytes(@TcpServer FakeTcpServer server)
            throws IOException {
        flood(server, CONNECTIONS, PAYLOAD);
        TcpAssertions.assertThat(server).hasConnectionCount(CONNECTIONS);
        // the whole record is there, in full, for whoever asks for it
        assertThat(server.connections()).allSatisfy(connection ->
                assertThat(connection.received()).hasSize(PAYLOAD));

        assertThatThrownBy(() -> TcpAssertions.assertThat(server).hasConnectionCount(CONNECTIONS - 1))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected fake TCP server " + server.authority() + " (mode ACCEPT) to have "
                        + "accepted 199 connections, but it accepted 200")
                .hasMessageContaining("  connection #20 ")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain("  connection #21 "))
                .hasMessageContaining("... and 180 more connections; all of them: server.transcript()")
                .hasMessageContaining(" omitted ")
                .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(LIMIT));

        assertThatThrownBy(() -> assertRefused(server, () -> flood(server, 1, PAYLOAD)))
                .hasMessageContaining("to be refused, but the client code completed normally after ")
                .hasMessageContaining("1 new connection: #201")
                .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(LIMIT));
    }

    @Test
    void aMessageAboutOneLargeConnectionIsBoundedToo(@TcpServer FakeTcpServer server) throws IOException {
        flood(server, 1, 5 * 1024 * 1024);
        RecordedConnection connection = server.takeConnection(Duration.ofSeconds(5));

        assertThatThrownBy(() -> TcpAssertions.assertThat(connection).receivedText("something else"))
                .hasMessageContaining("to have received exactly the text \"something else\", but it received "
                        + "1048576 bytes \"abcdefghijklmnopqrstuvwxyz")
                .hasMessageContaining(" bytes omitted ... ")
                .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(LIMIT));
        assertThatThrownBy(() -> TcpAssertions.assertThat(connection).receivedLine("missing"))
                .hasMessageContaining("but it received 10485 lines:")
                .hasMessageContaining("... and 10465 more lines; all of them: connection.receivedLines()")
                .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(LIMIT));
        assertThatThrownBy(() -> TcpAssertions.assertThat(connection).receivedBytes(new byte[3 * 1024 * 1024]))
                .hasMessageContaining("to have received exactly 3145728 bytes \"\\x00\\x00")
                .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(LIMIT));
        assertThatThrownBy(() -> TcpAssertions.assertThat(connection).receivedLine("x".repeat(1_000_000)))
                .hasMessageContaining("to have received the line \"xxx")
                .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(LIMIT));
    }

    @Test
    void aMessageShowsTheBytesTheClientSent(@TcpServer FakeTcpServer server) throws IOException {
        try (Socket socket = new Socket(server.host(), server.port())) {
            socket.getOutputStream().write(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        }
        RecordedConnection connection = server.takeConnection(Duration.ofSeconds(5));

        // the UTF-8 server decodes \xE9 as a replacement character: the message shows the byte itself
        assertThatThrownBy(() -> TcpAssertions.assertThat(connection).receivedLine("caf\u00e9"))
                .hasMessageContaining("to have received the line \"caf\\xC3\\xA9\", but it received 1 line:"
                        + System.lineSeparator() + "  \"caf\\xE9\"")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain("\\xEF\\xBF\\xBD"));
        assertThatThrownBy(() -> TcpAssertions.assertThat(connection).receivedText("caf\u00e9\n"))
                .hasMessageContaining("but it received 5 bytes \"caf\\xE9\\n\"");
    }

    // ---- verification ----

    @UserTests
    static class ManyFailures {

        @Test
        void everyConnectionBreaksTheScript(@TcpServer FakeTcpServer server) throws IOException {
            server.defaultScript(Script.create().expectLine("HELLO"));
            byte[] line = new byte[PAYLOAD];
            Arrays.fill(line, (byte) 'z');
            line[line.length - 1] = '\n';
            for (int i = 0; i < CONNECTIONS; i++) {
                try (Socket socket = new Socket(server.host(), server.port())) {
                    socket.getOutputStream().write(line);
                }
            }
        }
    }

    @Test
    void theVerificationOf200FailuresOf100KilobytesStaysUnder100Kilobytes() {
        EngineExecutionResults results = TestKit.run(ManyFailures.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(TestKit.failureOf(results, "everyConnectionBreaksTheScript"))
                .hasMessageStartingWith("Expected fake TCP server 127.0.0.1:")
                .hasMessageContaining(" (@TcpServer, per test) to record no failures, but it recorded 200 failures:")
                .hasMessageContaining("20) connection #20")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain("21) connection #21"))
                .hasMessageContaining("... and 180 more failures; all of them: server.failures()")
                .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(LIMIT));
    }

    @Test
    void expectedTextIsQuotedAsUtf8Bytes(@TcpServer FakeTcpServer server) throws IOException {
        TestKit.converse(server.address(), "HELLO");
        RecordedConnection connection = server.takeConnection(Duration.ofSeconds(5));

        assertThatThrownBy(() -> TcpAssertions.assertThat(connection).receivedLine("gr\u00fc\u00df"))
                .hasMessageContaining("the line \"gr\\xC3\\xBC\\xC3\\x9F\"");
        assertThat("gr\u00fc\u00df".getBytes(StandardCharsets.UTF_8)).hasSize(6);
    }
}
