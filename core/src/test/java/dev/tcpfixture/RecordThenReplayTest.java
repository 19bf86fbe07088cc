package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RecordedConnection#toScript()}: a recorded conversation replayed without the server that took part. */
class RecordThenReplayTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String HEADER = "# tcpfixture script: one step per line (see Script.parse)\n";

    /** The "real" server: lines, a binary exchange, a line with another ending, a prompt without one. */
    private static final Script REAL = Script.create()
            .sendLine("220 mail.test ESMTP")
            .expectLine("HELO client.test")
            .sendLine("250-mail.test")
            .sendLine("250 SIZE 1000")
            .expect(new byte[] {0, 1, 2, (byte) 0xff})
            .send(new byte[] {(byte) 0x80, 0, 'o', 'k', '\n'})
            .expectLine("MODE unix")
            .withLineEnding("\n")
            .sendLine("unix line")
            .send("prompt> ")
            .expectLine("QUIT")
            .withLineEnding("\r\n")
            .sendLine("221 Bye")
            .close();

    /** What the client under test does, the same on every run; returns what it read. */
    private static String converse(FakeTcpServer server) throws IOException {
        try (TestClient client = TestClient.connect(server)) {
            StringBuilder seen = new StringBuilder(client.readLine()).append('|');
            client.send("HELO client.test\r\n");
            seen.append(client.readLine()).append('|').append(client.readLine()).append('|');
            client.send(new byte[] {0, 1, 2, (byte) 0xff});
            seen.append(java.util.Arrays.toString(client.readBytes(5))).append('|');
            client.send("MODE unix\n");
            seen.append(client.readLine()).append('|');
            seen.append(new String(client.readBytes(8), StandardCharsets.UTF_8)).append('|');
            client.send("QUIT\r\n");
            seen.append(client.readLine()).append('|').append(client.read());
            return seen.toString();
        }
    }

    @Test
    void aRecordingBecomesTheServersSideAndReplaysToTheSameRecording() throws Exception {
        RecordedConnection original;
        String seenOriginally;
        try (FakeTcpServer real = FakeTcpServer.start()) {
            real.enqueue(REAL);
            seenOriginally = converse(real);
            original = real.takeConnection(WAIT);
            assertThat(original.awaitClosed(WAIT)).isTrue();
            real.verify();
        }

        Script script = original.toScript();

        assertThat(script.format()).isEqualTo(HEADER
                + "server> line \"220 mail.test ESMTP\"\n"
                + "client> line \"HELO client.test\"\n"
                + "server> line \"250-mail.test\"\n"
                + "server> line \"250 SIZE 1000\"\n"
                + "client> \"\\x00\\x01\\x02\\xFF\"\n"
                + "server> \"\\x80\\x00ok\\n\"\n"
                + "client> line \"MODE unix\"\n"
                + "line ending \"\\n\"\n"
                + "server> line \"unix line\"\n"
                + "server> text \"prompt> \"\n"
                + "client> line \"QUIT\"\n"
                + "line ending \"\\r\\n\"\n"
                + "server> line \"221 Bye\"\n"
                + "close\n");
        try (FakeTcpServer replay = FakeTcpServer.start()) {
            replay.enqueue(script);
            assertThat(converse(replay)).isEqualTo(seenOriginally);
            RecordedConnection replayed = replay.takeConnection(WAIT);
            assertThat(replayed.awaitClosed(WAIT)).isTrue();
            replay.verify();
            assertThat(replayed.received()).isEqualTo(original.received());
            assertThat(replayed.sent()).isEqualTo(original.sent());
            assertThat(replayed.closedFirstBy()).isEqualTo(original.closedFirstBy()).contains(Side.SERVER);
            assertThat(replayed.toScript().format()).isEqualTo(script.format());
        }
    }

    /** A line client whose greeting carries a session id that changes from run to run. */
    private static String session(FakeTcpServer server, int sessionId) throws IOException {
        try (TestClient client = TestClient.connect(server)) {
            String greeting = client.readLine();
            client.send("HELO client-" + sessionId + "\r\n");
            String hello = client.readLine();
            client.send("QUIT\r\n");
            String bye = client.readLine();
            if (bye == null) {
                throw new IOException("the server hung up before its answer to QUIT");
            }
            return greeting + "|" + hello + "|" + bye;
        }
    }

    @Test
    void aLineClientRecordedOnceRunsFromTheSavedFileWithoutTheServer(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("smtp-greeting.script");
        try (FakeTcpServer real = FakeTcpServer.start()) {
            real.enqueue(Script.create()
                    .sendLine("220 real.test ready")
                    .expectLineMatching("HELO client-\\d+")
                    .sendLine("250 hello")
                    .expectLine("QUIT")
                    .sendLine("221 bye")
                    .close());
            assertThat(session(real, 1)).isEqualTo("220 real.test ready|250 hello|221 bye");
            RecordedConnection recorded = real.takeConnection(WAIT);
            assertThat(recorded.awaitClosed(WAIT)).isTrue();
            real.verify();
            recorded.toScript().save(file);
        } // the real server is gone from here on

        // the same session id: the file replays as it is
        try (FakeTcpServer replay = FakeTcpServer.start()) {
            replay.enqueue(Script.load(file));
            assertThat(session(replay, 1)).isEqualTo("220 real.test ready|250 hello|221 bye");
            replay.verify();
        }

        // another session id: the recorded line does not match, and the test says so
        try (FakeTcpServer replay = FakeTcpServer.start()) {
            replay.enqueue(Script.load(file));
            assertThatThrownBy(() -> session(replay, 2)).isInstanceOf(IOException.class);
            assertThatThrownBy(replay::verify)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("expected line \"HELO client-1\", but received line \"HELO client-2\"");
        }

        // the same file, loosened in the test: the changing line passes whatever its id
        try (FakeTcpServer replay = FakeTcpServer.start()) {
            replay.enqueue(Script.load(file).withLinesMatching("HELO client-\\d+"));
            assertThat(session(replay, 2)).isEqualTo("220 real.test ready|250 hello|221 bye");
            replay.verify();
        }

        // or loosened in the file, by hand
        String text = Files.readString(file);
        assertThat(text).contains("client> line \"HELO client-1\"\n");
        Files.writeString(file, text.replace("client> line \"HELO client-1\"",
                "# the id changes on every run\nclient> line matching /HELO client-\\d+/"));
        try (FakeTcpServer replay = FakeTcpServer.start()) {
            replay.enqueue(Script.load(file));
            assertThat(session(replay, 3)).isEqualTo("220 real.test ready|250 hello|221 bye");
            replay.verify();
            assertThat(replay.takeConnection(WAIT).receivedLines()).containsExactly("HELO client-3", "QUIT");
        }
    }

    @Test
    void aTruncatedRecordingCannotBecomeAScript() throws Exception {
        RecordedConnection connection;
        try (FakeTcpServer server = FakeTcpServer.builder().recordingLimit(10).start()) {
            server.enqueue(Script.create().skipBytes(100).sendLine("ok").close());
            try (TestClient client = TestClient.connect(server)) {
                client.send(new byte[100]);
                assertThat(client.readLine()).isEqualTo("ok");
            }
            connection = server.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
        }

        assertThatThrownBy(connection::toScript)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Expected a complete recording to make a script of, but the recording of connection #1 "
                        + "is truncated: the client sent 100 bytes, of which 10 are in its events (the recording "
                        + "limit); raise the limit to at least 100 bytes with recordingLimit(...) on the builder "
                        + "of the server or proxy that recorded it, for example FakeTcpServer.builder()"
                        + ".recordingLimit(100), and record again");
    }

    @Test
    void theServersResetAndHalfCloseBecomeSteps() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().sendLine("bye").shutdownOutput().expectLine("last").reset());
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.readLine()).isEqualTo("bye");
                assertThat(client.read()).isEqualTo(-1);
                client.send("last\n");
                RecordedConnection connection = server.takeConnection(WAIT);
                assertThat(connection.awaitClosed(WAIT)).isTrue();

                assertThat(connection.toScript().format()).isEqualTo(HEADER
                        + "server> line \"bye\"\n"
                        + "shutdown output\n"
                        + "client> line \"last\"\n"
                        + "reset\n");
            }
        }
    }

    @Test
    void aCloseAfterTheClientsNeedsNoStep() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().sendLine("hi"));
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.readLine()).isEqualTo("hi");
                client.send("partial, no line end");
            }
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.closedFirstBy()).contains(Side.CLIENT);

            assertThat(connection.toScript().format()).isEqualTo(HEADER
                    + "server> line \"hi\"\n"
                    + "client> text \"partial, no line end\"\n");
        }
    }

    @Test
    void textIsReadInTheServersCharsetAndReplaysItsBytesOnAnyServer() throws Exception {
        byte[] latin = {'c', 'a', 'f', (byte) 0xe9, '\r', '\n'};
        Script recorded;
        try (FakeTcpServer server = FakeTcpServer.builder().charset(StandardCharsets.ISO_8859_1).start()) {
            server.enqueue(Script.create().sendLine("hi").expectLine("caf\u00e9").sendLine("caf\u00e9").close());
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.readLine()).isEqualTo("hi");
                client.send(latin);
                assertThat(client.readBytes(6)).isEqualTo(latin);
            }
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            recorded = connection.toScript();
        }
        // plain ASCII needs no charset; the first text that is not names the one it was recorded in
        assertThat(recorded.format()).isEqualTo(HEADER + "server> line \"hi\"\ncharset ISO-8859-1\n"
                + "client> line \"caf\u00e9\"\nserver> line \"caf\u00e9\"\nclose\n");

        try (FakeTcpServer utf8 = FakeTcpServer.start()) { // UTF-8 by default: the script's charset wins
            utf8.enqueue(Script.parse(recorded.format()));
            try (TestClient client = TestClient.connect(utf8)) {
                assertThat(client.readLine()).isEqualTo("hi");
                client.send(latin);
                assertThat(client.readBytes(6)).isEqualTo(latin);
            }
            utf8.verify();
        }
    }

    /** A binary client: a header and a random nonce in one write, then it reads the server's two-byte answer. */
    private static byte[] binaryHello(FakeTcpServer server, long seed) throws IOException {
        byte[] hello = new byte[12];
        new java.util.Random(seed).nextBytes(hello);
        System.arraycopy(new byte[] {1, 2, 0, 8}, 0, hello, 0, 4);
        try (TestClient client = TestClient.connect(server)) {
            client.send(hello);
            return client.readBytes(2);
        }
    }

    @Test
    void aBinaryTurnThatChangesPassesOnlyWhenItsBytesAreSkipped() throws Exception {
        Script script;
        try (FakeTcpServer real = FakeTcpServer.start()) {
            real.enqueue(Script.create().expect(new byte[] {1, 2, 0, 8}).skipBytes(8).send(new byte[] {6, 0}).close());
            assertThat(binaryHello(real, 1)).containsExactly(6, 0);
            RecordedConnection recorded = real.takeConnection(WAIT);
            assertThat(recorded.awaitClosed(WAIT)).isTrue();
            real.verify();
            script = recorded.toScript();
        }
        assertThat(script.describeSteps()).hasSize(3).last().isEqualTo("close");

        try (FakeTcpServer replay = FakeTcpServer.start()) {
            replay.enqueue(script);
            assertThatThrownBy(() -> binaryHello(replay, 2)).isInstanceOf(IOException.class);
            assertThatThrownBy(replay::verify).isInstanceOf(AssertionError.class).hasMessageContaining("expected bytes");
        }
        Script skipping = script.withExpectedBytesSkipped();
        assertThat(skipping.format()).isEqualTo(HEADER + "client> skip 12 bytes\nserver> \"\\x06\\x00\"\nclose\n");
        try (FakeTcpServer replay = FakeTcpServer.start()) {
            replay.enqueue(skipping);
            assertThat(binaryHello(replay, 2)).containsExactly(6, 0);
            replay.verify();
        }
    }

    @Test
    void aRecordingMadeElsewhereBecomesAScriptFromItsEventsAlone() {
        ListedConnection proxied = new ListedConnection()
                .add(TranscriptEvent.Kind.ACCEPTED, "accepted")
                .add(TranscriptEvent.Kind.RECEIVED, "GET / HTTP/1.0\r\n")
                .add(TranscriptEvent.Kind.RECEIVED, "\r\n")
                .add(TranscriptEvent.Kind.NOTE, "upstream 127.0.0.1:5432")
                .add(TranscriptEvent.Kind.SENT, "HTTP/1.0 200 OK\r\n\r\n\u00e9t\u00e9")
                .add(TranscriptEvent.Kind.SERVER_HALF_CLOSED, "upstream closed its side")
                .add(TranscriptEvent.Kind.CLIENT_CLOSED, "client closed")
                .add(TranscriptEvent.Kind.SERVER_CLOSED, "proxy closed the connection");

        assertThat(proxied.toScript().format()).isEqualTo(HEADER
                + "client> line \"GET / HTTP/1.0\"\n"
                + "client> line \"\"\n"
                + "charset UTF-8\n" // for the turn with text that is not plain ASCII: replays its UTF-8 bytes
                + "server> line \"HTTP/1.0 200 OK\"\n"
                + "server> line \"\"\n"
                + "server> text \"\u00e9t\u00e9\"\n"
                + "shutdown output\n"
                + "close\n");
        assertThatThrownBy(() -> proxied.uncounted(1).toScript())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Expected a complete recording to make a script of, but the recording of "
                        + "connection #7 is truncated: the client sent 19 bytes, of which 18 are in its events");
    }

    @Test
    void linesThatNoLineStepCouldMatchStayText() {
        String longLine = "x".repeat(64 * 1024 + 1);
        ListedConnection recorded = new ListedConnection()
                .add(TranscriptEvent.Kind.RECEIVED, "ends in CR\r\r\n")
                .add(TranscriptEvent.Kind.SENT, "unix\nmixed\r\n")
                .add(TranscriptEvent.Kind.RECEIVED, longLine + "\n")
                .add(TranscriptEvent.Kind.SENT, "tab\tand \u00e9\r\n")
                .add(TranscriptEvent.Kind.RECEIVED, "\u0000binary\n");

        assertThat(recorded.toScript().format()).isEqualTo(HEADER
                + "client> text \"ends in CR\\r\\r\\n\"\n"
                + "line ending \"\\n\"\n"
                + "server> line \"unix\"\n"
                + "line ending \"\\r\\n\"\n"
                + "server> line \"mixed\"\n"
                + "client> text \"" + longLine + "\\n\"\n"
                + "charset UTF-8\n"
                + "server> line \"tab\\tand \u00e9\"\n"
                + "client> \"\\x00binary\\n\"\n");
    }

    @Test
    void aLineSplitByTheServersTurnReplays() throws Exception {
        Script script;
        try (FakeTcpServer real = FakeTcpServer.start()) {
            real.enqueue(Script.create().expect("HEL").send("?").expectLine("O").sendLine("!").close());
            assertThat(splitHello(real)).isEqualTo("?|!");
            RecordedConnection recorded = real.takeConnection(WAIT);
            assertThat(recorded.awaitClosed(WAIT)).isTrue();
            real.verify();
            script = recorded.toScript();
        }

        assertThat(script.format()).isEqualTo(HEADER + "client> text \"HEL\"\nserver> text \"?\"\n"
                + "client> line \"O\"\nserver> line \"!\"\nclose\n");
        try (FakeTcpServer replay = FakeTcpServer.start()) {
            replay.enqueue(script);
            assertThat(splitHello(replay)).isEqualTo("?|!");
            replay.verify();
        }
    }

    private static String splitHello(FakeTcpServer server) throws IOException {
        try (TestClient client = TestClient.connect(server)) {
            client.send("HEL");
            String first = new String(client.readBytes(1), StandardCharsets.UTF_8);
            client.send("O\r\n");
            return first + "|" + client.readLine();
        }
    }
}
