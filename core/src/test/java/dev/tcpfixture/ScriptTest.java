package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScriptTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeTcpServer server = FakeTcpServer.start();

    @AfterEach
    void closeServer() {
        server.close();
        assertThat(server.liveThreadCount()).isZero();
    }

    @Test
    void sendsLinesWithCrlfByDefaultAndTextAndBytesAsGiven() throws Exception {
        server.enqueue(Script.create().sendLine("one").send("two").send(new byte[] {0, (byte) 0xff}).close());

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readAll()).isEqualTo(new byte[] {'o', 'n', 'e', '\r', '\n', 't', 'w', 'o', 0, (byte) 0xff});
        }
        server.verify();
    }

    @Test
    void lineEndingIsConfigurable() throws Exception {
        server.enqueue(Script.create().sendLine("crlf").withLineEnding("\n").sendLine("lf").close());

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readAllText()).isEqualTo("crlf\r\nlf\n");
        }
    }

    @Test
    void expectLineAcceptsCrlfAndLf() throws Exception {
        server.enqueue(Script.create().expectLine("first").expectLine("second").sendLine("ok").close());

        try (TestClient client = TestClient.connect(server)) {
            client.send("first\r\nsecond\n");
            assertThat(client.readLine()).isEqualTo("ok");
        }
        server.verify();
    }

    @Test
    void conversationOfSeparateRoundTrips() throws Exception {
        server.enqueue(Script.create()
                .sendLine("220 ready")
                .expectLine("HELO client.test")
                .sendLine("250 hello")
                .expectLine("QUIT")
                .sendLine("221 bye")
                .close());

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("220 ready");
            client.send("HELO client.test\r\n");
            assertThat(client.readLine()).isEqualTo("250 hello");
            client.send("QUIT\r\n");
            assertThat(client.readLine()).isEqualTo("221 bye");
            assertThat(client.readLine()).isNull();
        }
        server.verify();
    }

    @Test
    void linesSplitAcrossManyWritesAreReassembled() throws Exception {
        server.enqueue(Script.create().expectLine("abcdef").expectLine("gh").sendLine("ok").close());

        try (TestClient client = TestClient.connect(server)) {
            client.socket().setTcpNoDelay(true);
            for (String piece : new String[] {"ab", "cd", "ef\r", "\ng", "h", "\n"}) {
                client.send(piece);
            }
            assertThat(client.readLine()).isEqualTo("ok");
        }
        server.verify();
    }

    @Test
    void expectLineWithPredicateAndRegex() throws Exception {
        server.enqueue(Script.create()
                .expectLine(line -> line.startsWith("HELO "), "starts with \"HELO \"")
                .expectLineMatching("MAIL FROM:<[^>]+>")
                .sendLine("250 ok")
                .close());

        try (TestClient client = TestClient.connect(server)) {
            client.send("HELO client.test\r\nMAIL FROM:<a@b.test>\r\n");
            assertThat(client.readLine()).isEqualTo("250 ok");
        }
        server.verify();
    }

    @Test
    void expectExactBytesAndText() throws Exception {
        server.enqueue(Script.create().expect(new byte[] {1, 2, 3}).expect("PING").send("PONG").close());

        try (TestClient client = TestClient.connect(server)) {
            client.send(new byte[] {1, 2, 3}).send("PING");
            assertThat(client.readAllText()).isEqualTo("PONG");
        }
        server.verify();
    }

    @Test
    void skipsLinesAndBytes() throws Exception {
        server.enqueue(Script.create()
                .skipLine()
                .skipBytes(4)
                .skipLinesThrough("")
                .expectLine("body")
                .sendLine("done")
                .close());

        try (TestClient client = TestClient.connect(server)) {
            client.send("GET / HTTP/1.0\r\nXXXXHost: a\r\nAccept: */*\r\n\r\nbody\r\n");
            assertThat(client.readLine()).isEqualTo("done");
        }
        server.verify();
    }

    @Test
    void pauseDelaysTheReply() throws Exception {
        server.enqueue(Script.create().expectLine("ask").pause(Duration.ofMillis(300)).sendLine("answer").close());

        try (TestClient client = TestClient.connect(server)) {
            client.send("ask\n");
            long start = System.nanoTime();
            assertThat(client.readLine()).isEqualTo("answer");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
        server.verify();
    }

    @Test
    void answerLinesRepliesThroughTheFunctionUntilTheClientCloses() throws Exception {
        server.enqueue(Script.create().sendLine("ready").answerLines(line -> line.equals("skip") ? null : line.toUpperCase()));

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("ready");
            client.send("abc\r\nskip\r\nxyz\r\n");
            assertThat(client.readLine()).isEqualTo("ABC");
            assertThat(client.readLine()).isEqualTo("XYZ");
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.awaitClosed(WAIT)).isTrue();
        assertThat(connection.closedFirstBy()).contains(Side.CLIENT);
        server.verify();
    }

    @Test
    void echoSendsBackEverything() throws Exception {
        server.enqueue(Script.create().echo());
        byte[] payload = new byte[100_000];
        new java.util.Random(7).nextBytes(payload);

        try (TestClient client = TestClient.connect(server)) {
            Thread writer = new Thread(() -> {
                try {
                    client.send(payload);
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            assertThat(client.readAll()).isEqualTo(payload);
            writer.join(WAIT.toMillis());
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.awaitClosed(WAIT)).isTrue();
        assertThat(connection.receivedByteCount()).isEqualTo(payload.length);
        assertThat(connection.sentByteCount()).isEqualTo(payload.length);
        server.verify();
    }

    @Test
    void customHandlerUsesRecordedStreams() throws Exception {
        server.enqueue(Script.create().sendLine("length-prefixed please").handle(exchange -> {
            DataInputStream in = new DataInputStream(exchange.input());
            byte[] message = new byte[in.readInt()];
            in.readFully(message);
            DataOutputStream out = new DataOutputStream(exchange.output());
            out.writeInt(message.length * 2);
            out.write(message);
            out.write(message);
        }).close());

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("length-prefixed please");
            client.send(new byte[] {0, 0, 0, 2, 'h', 'i'});
            assertThat(client.readAll()).isEqualTo(new byte[] {0, 0, 0, 4, 'h', 'i', 'h', 'i'});
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.received()).isEqualTo(new byte[] {0, 0, 0, 2, 'h', 'i'});
        server.verify();
    }

    @Test
    void handlerReadLineSeesBytesLeftByEarlierSteps() throws Exception {
        server.enqueue(Script.create().expectLine("one").handle(exchange -> {
            exchange.sendLine("got " + exchange.readLine());
        }).close());

        try (TestClient client = TestClient.connect(server)) {
            client.send("one\ntwo\n");
            assertThat(client.readLine()).isEqualTo("got two");
        }
        server.verify();
    }

    @Test
    void shutdownOutputGivesTheClientEndOfStreamWhileItCanStillSend() throws Exception {
        server.enqueue(Script.create().sendLine("bye soon").shutdownOutput().expectLine("still here").close());

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("bye soon");
            assertThat(client.read()).isEqualTo(-1);
            client.send("still here\n");
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.awaitClosed(WAIT)).isTrue();
        assertThat(connection.receivedLines()).containsExactly("still here");
        assertThat(connection.events()).extracting(TranscriptEvent::kind).contains(TranscriptEvent.Kind.SERVER_HALF_CLOSED);
        server.verify();
    }

    @Test
    void closeSendsFinAndIsRecordedAsServerFirst() throws Exception {
        server.enqueue(Script.create().sendLine("bye").close());

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("bye");
            assertThat(client.read()).isEqualTo(-1);
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.closedFirstBy()).contains(Side.SERVER);
        assertThat(connection.isClientConnected()).isFalse();
    }

    @Test
    void resetGivesConnectionReset() throws Exception {
        server.enqueue(Script.create().expectLine("hello").reset());

        try (TestClient client = TestClient.connect(server)) {
            client.send("hello\n");
            assertThatThrownBy(() -> {
                for (int i = 0; i < 1_000 && client.read() >= 0; i++) {
                    // read until the reset arrives
                }
            }).isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.events()).extracting(TranscriptEvent::kind).contains(TranscriptEvent.Kind.SERVER_RESET);
        server.verify();
    }

    @Test
    void stallNeverAnswersSoTheClientReadTimesOut() throws Exception {
        server.enqueue(Script.create().sendLine("hello").stall());

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("hello");
            client.socket().setSoTimeout(200);
            client.send("anyone there?\n");
            assertThatThrownBy(client::read).isInstanceOf(SocketTimeoutException.class);
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.awaitClosed(WAIT)).isTrue();
        assertThat(connection.receivedLines()).containsExactly("anyone there?");
        assertThat(connection.closedFirstBy()).contains(Side.CLIENT);
        server.verify();
    }

    @Test
    void scriptsAreUsedInOrderThenTheDefault() throws Exception {
        server.enqueue(Script.create().sendLine("first").close())
                .enqueue(Script.create().sendLine("second").close())
                .defaultScript(Script.create().sendLine("default").close());

        for (String expected : new String[] {"first", "second", "default", "default"}) {
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.readLine()).isEqualTo(expected);
            }
        }
        assertThat(server.queuedScripts()).isZero();
        assertThat(server.connectionCount()).isEqualTo(4);
    }

    @Test
    void emptyDefaultScriptRecordsUntilTheClientCloses() throws Exception {
        try (TestClient client = TestClient.connect(server)) {
            client.send("hello\nworld\n");
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.awaitClosed(WAIT)).isTrue();
        assertThat(connection.receivedLines()).containsExactly("hello", "world");
        assertThat(connection.closedFirstBy()).contains(Side.CLIENT);
        assertThat(connection.sentByteCount()).isZero();
    }

    @Test
    void scriptsAreImmutableAndDescribeThemselves() {
        Script base = Script.create().sendLine("hi");
        Script longer = base.expectLine("x");

        assertThat(base.describeSteps()).containsExactly("send line \"hi\"");
        assertThat(longer.describeSteps()).containsExactly("send line \"hi\"", "expect line \"x\"");
        assertThat(Script.create().describeSteps()).isEmpty();
    }

    @Test
    void noStepMayFollowAFinalStep() {
        assertThatThrownBy(() -> Script.create().close().sendLine("x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("\"close\"");
        assertThatThrownBy(() -> Script.create().stall().close()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Script.create().echo().close()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidArgumentsAreRejectedWhenBuilding() {
        assertThatThrownBy(() -> Script.create().pause(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Script.create().drip(0, Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Script.create().fragment()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Script.create().skipBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Script.create().sendLine(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void textUsesTheServersCharset() throws Exception {
        try (FakeTcpServer latin = FakeTcpServer.builder().charset(StandardCharsets.ISO_8859_1).start()) {
            latin.enqueue(Script.create().send("é").close());
            try (TestClient client = TestClient.connect(latin)) {
                assertThat(client.readAll()).isEqualTo(new byte[] {(byte) 0xe9});
            }
        }
    }
}
