package dev.tcpfixture.examples;

import static dev.tcpfixture.junit.TcpAssertions.assertClientClosed;
import static dev.tcpfixture.junit.TcpAssertions.assertClientFails;
import static dev.tcpfixture.junit.TcpAssertions.assertConnects;
import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.WithTcpServer;
import java.net.ProtocolException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A line protocol client (greeting, HELO, QUIT on what would be port 25) against a scripted server. */
@WithTcpServer
class SmtpLikeClientTest {

    private SmtpLikeClient client;

    @BeforeEach
    void createClient(@TcpServer FakeTcpServer server) {
        client = new SmtpLikeClient(server.host(), server.port(), 2_000);
    }

    @Test
    void greetsAndLeavesPolitely(@TcpServer FakeTcpServer server) {
        server.enqueue(Script.create()
                .sendLine("220 mail.test ESMTP")
                .expectLine("HELO client.test")
                .sendLine("250 mail.test")
                .expectLine("QUIT")
                .sendLine("221 Bye")); // no close(): the client must close its socket itself
        SmtpLikeClient.Session[] session = new SmtpLikeClient.Session[1];

        RecordedConnection connection = assertConnects(server, () -> session[0] = client.hello("client.test"));

        assertThat(session[0]).isEqualTo(new SmtpLikeClient.Session("220 mail.test ESMTP", "250 mail.test", "221 Bye"));
        assertThat(connection).receivedLinesExactly("HELO client.test", "QUIT");
        assertClientClosed(connection);
    }

    @Test
    void rejectsAServerThatIsNotReady(@TcpServer FakeTcpServer server) {
        server.enqueue(Script.create().sendLine("554 no service here").close());

        ProtocolException failure = assertClientFails(ProtocolException.class, () -> client.hello("client.test"));

        assertThat(failure).hasMessage("expected a 220 reply, got: 554 no service here");
    }

    @Test
    void reportsAServerThatHangsUpAfterTheGreeting(@TcpServer FakeTcpServer server) {
        server.enqueue(Script.create().sendLine("220 hi").expectLine("HELO client.test").close());

        ProtocolException failure = assertClientFails(ProtocolException.class, () -> client.hello("client.test"));

        assertThat(failure).hasMessageContaining("server closed the connection while a 250 reply was expected");
    }

    @Test
    void answersWhateverTheServerAsksLineByLine(@TcpServer FakeTcpServer server) throws Exception {
        server.enqueue(Script.create()
                .sendLine("220 ready")
                .answerLines(line -> line.startsWith("HELO ") ? "250 hi " + line.substring(5) : "221 bye"));

        SmtpLikeClient.Session session = client.hello("a.test");

        assertThat(session.heloReply()).isEqualTo("250 hi a.test");
        assertThat(server).hasConnectionCount(1).hasNoFailures();
    }
}
