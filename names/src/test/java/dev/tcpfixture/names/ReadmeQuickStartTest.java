package dev.tcpfixture.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The quick start without JUnit of README.md's "Host names", as it is shown there (ReadmeDocumentTest checks). */
class ReadmeQuickStartTest {

    @Test
    void quickStart() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start();
                FakeHosts.Registration names = FakeHosts.register(
                        FakeName.resolving("data.pr4e.org", server.address().getAddress()),
                        FakeName.unknown("db.internal"))) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));

            try (Socket socket = new Socket("data.pr4e.org", server.port())) {   // the client's own host name
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine()).isEqualTo("PONG");
            }
            assertThatThrownBy(() -> new Socket("db.internal", 5432)).isInstanceOf(UnknownHostException.class);

            assertThat(names.lookupCount("data.pr4e.org")).isEqualTo(1);     // cached, or looked up again?
            server.verify();
        } // the names are real again (and never looked up outside while faked)
    }
}
