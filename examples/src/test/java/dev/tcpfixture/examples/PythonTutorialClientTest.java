package dev.tcpfixture.examples;

import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.WithTcpServer;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The socket tutorial's own Python code ({@code socket.socket(AF_INET, SOCK_STREAM)}, connect, send, recv
 * loop) run by {@code python3} against the fake server: the toolkit tests clients in any language.
 */
@WithTcpServer
class PythonTutorialClientTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);

    @BeforeAll
    static void requirePython() {
        assertThat(PythonTutorialClient.isPythonAvailable())
                .as("python3 must be installed to run the tutorial's client (.ci/run installs it)")
                .isTrue();
    }

    @Test
    void tutorialClientPrintsWhatTheServerSends(@TcpServer FakeTcpServer server) throws Exception {
        server.enqueue(Demo.ROMEO_SERVER);

        PythonTutorialClient.Result result = PythonTutorialClient.run(server.host(), server.port(), RUN_TIMEOUT);

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.stdout()).startsWith("HTTP/1.1 200 OK").endsWith(Demo.ROMEO);
        assertThat(server.takeConnection()).receivedText(Demo.ROMEO_REQUEST + "\r\n\r\n").wasClosedByServer();
    }

    @Test
    void tutorialClientPrintsASlowAnswerWhole(@TcpServer FakeTcpServer server) throws Exception {
        server.enqueue(Script.create()
                .skipLinesThrough("")
                .sendLine("HTTP/1.0 200 OK")
                .sendLine("")
                .drip(16, Duration.ofMillis(10))
                .send(Demo.ROMEO)
                .close());

        PythonTutorialClient.Result result = PythonTutorialClient.run(server.host(), server.port(), RUN_TIMEOUT);

        assertThat(result.stdout()).isEqualTo("HTTP/1.0 200 OK\r\n\r\n" + Demo.ROMEO);
    }

    @Test
    void tutorialClientHasNoAnswerToARefusal(@TcpServer(mode = dev.tcpfixture.ConnectionMode.REFUSE) FakeTcpServer server)
            throws Exception {
        PythonTutorialClient.Result result = PythonTutorialClient.run(server.host(), server.port(), RUN_TIMEOUT);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ConnectionRefusedError");
        assertThat(server).hasNoConnections();
    }
}
