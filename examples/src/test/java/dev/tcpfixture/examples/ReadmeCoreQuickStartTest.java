package dev.tcpfixture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The core quick start of README.md, as written there. */
class ReadmeCoreQuickStartTest {

    @Test
    void quickStart() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create()
                    .sendLine("220 mail.test ESMTP")
                    .expectLine("HELO client.test")
                    .sendLine("250 hello")
                    .expectLine("QUIT")
                    .sendLine("221 bye")
                    .close());

            SmtpLikeClient.Session session = new SmtpLikeClient(server.host(), server.port(), 2_000).hello("client.test");

            assertThat(session.greeting()).isEqualTo("220 mail.test ESMTP");
            RecordedConnection connection = server.takeConnection(Duration.ofSeconds(2));
            assertThat(connection.receivedLines()).containsExactly("HELO client.test", "QUIT");
            server.verify(); // throws AssertionError with the transcript if the client broke the script
        }
    }
}
