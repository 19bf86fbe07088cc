package dev.tcpfixture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record, then replay: the SMTP-like client recorded once against the mail server, its side saved in
 * {@code src/test/resources/smtp-hello.script}, then run against the file without the server. The first test
 * is how the file was made; the second is what every run does.
 */
class SmtpLikeClientReplayTest {

    private static final Path RECORDING = Path.of("src/test/resources/smtp-hello.script");

    /**
     * Stands in for the real mail server here. In a project of your own, the client would talk to the real
     * server, through a proxy that records, or to whatever test server it can reach.
     */
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
    void recordsTheConversationWithTheMailServer(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("smtp-hello.script");
        try (FakeTcpServer mailServer = startMailServer()) {
            new SmtpLikeClient(mailServer.host(), mailServer.port(), 2_000).hello("client-1");

            RecordedConnection recorded = mailServer.takeConnection(Duration.ofSeconds(2));
            assertThat(recorded.awaitClosed(Duration.ofSeconds(2))).isTrue();
            recorded.toScript().withLinesMatching("HELO client-\\d+").save(file);
        }

        // the checked-in file is this recording, with comments added by hand
        assertThat(Script.load(file).format()).isEqualTo(Script.load(RECORDING).format());
    }

    @Test
    void replaysTheRecordingWithoutTheMailServer() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.load(Path.of("src/test/resources/smtp-hello.script")));
            String name = "client-" + ProcessHandle.current().pid(); // changes from run to run

            SmtpLikeClient.Session session = new SmtpLikeClient(server.host(), server.port(), 2_000).hello(name);

            assertThat(session.greeting()).isEqualTo("220 mail.test ESMTP");
            assertThat(session.quitReply()).isEqualTo("221 Bye");
            server.verify(); // the client said what the recording says, in the same order
        }
    }

    @Test
    void theReadmeShowsThisCodeAndThisFile() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf("## Record, then replay");
        assertThat(section).as("the section Record, then replay of README.md").isNotNegative();

        int code = readme.indexOf("```java\n", section) + "```java\n".length();
        List<String> shown = codeLines(readme.substring(code, readme.indexOf("```\n", code)));
        String source = Files.readString(Path.of("src/test/java/dev/tcpfixture/examples/SmtpLikeClientReplayTest.java"));
        assertThat(shown).hasSizeGreaterThan(5);
        assertThat(Collections.indexOfSubList(codeLines(source), shown)).as("README's code, line for line, here")
                .isNotNegative();

        int file = readme.indexOf("```text\n", section) + "```text\n".length();
        assertThat(readme.substring(file, readme.indexOf("```\n", file))).isEqualTo(Files.readString(RECORDING));
    }

    private static List<String> codeLines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
