package dev.tcpfixture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.TcpProxy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record through the proxy, then replay without the upstream: the SMTP-like client talks to a mail server through a
 * {@link TcpProxy}; the proxy's recording becomes a script saved to a file; the upstream and the proxy are closed;
 * the client then runs against a fake server playing the file, and sees the same conversation.
 */
class ProxyRecordThenReplayTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The upstream: a mail server that answers whatever HELO name it gets (a fake here; in your project, a real one). */
    private static FakeTcpServer startMailServer() {
        FakeTcpServer mailServer = FakeTcpServer.start();
        mailServer.enqueue(Script.create()
                .sendLine("220 mail.test ESMTP")
                .expectLineMatching("HELO \\S+")
                .sendLine("250 mail.test")
                .expectLine("QUIT")
                .sendLine("221 Bye")
                .close());
        return mailServer;
    }

    @Test
    void recordedThroughTheProxyAndReplayedFromTheFileWithoutTheUpstream(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("mail.script");
        SmtpLikeClient.Session recordedSession;
        try (FakeTcpServer mailServer = startMailServer();
                TcpProxy proxy = TcpProxy.start(mailServer.address())) {
            recordedSession = new SmtpLikeClient(proxy.host(), proxy.port(), 2_000).hello("client-1");

            RecordedConnection recorded = proxy.takeConnection(WAIT);
            assertThat(recorded.awaitClosed(WAIT)).isTrue();
            assertThat(proxy.awaitQuiet()).isTrue();
            proxy.verify();
            mailServer.verify();
            recorded.toScript().withLinesMatching("HELO client-\\d+").save(file);
        }

        try (FakeTcpServer replay = FakeTcpServer.start()) {
            replay.enqueue(Script.load(file));
            SmtpLikeClient.Session replayed = new SmtpLikeClient(replay.host(), replay.port(), 2_000).hello("client-2");

            assertThat(replayed.greeting()).isEqualTo(recordedSession.greeting()).isEqualTo("220 mail.test ESMTP");
            assertThat(replayed.quitReply()).isEqualTo(recordedSession.quitReply()).isEqualTo("221 Bye");
            replay.verify();
            assertThat(replay.takeConnection(WAIT).receivedLines()).containsExactly("HELO client-2", "QUIT");
        }
    }
}
