package dev.tcpfixture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/** The TLS quick start without JUnit of {@code README.md}, run as written there (ReadmeDocumentTest compares). */
class ReadmeTlsQuickStartTest {

    @Test
    void tlsQuickStartWithoutJUnit() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls().start()) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            SSLSocketFactory factory = server.tlsClient().socketFactory();

            try (Socket socket = factory.createSocket(server.host(), server.port())) {
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine()).isEqualTo("PONG");
            }
            server.verify(); // over TLS as in plaintext: the recording is the plaintext
        }
    }
}
