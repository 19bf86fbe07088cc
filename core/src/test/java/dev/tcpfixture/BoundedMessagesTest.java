package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Failure messages are true (they show the bytes the client sent) and bounded (whatever the payloads, about
 * 100 KB at most).
 */
class BoundedMessagesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int ABOUT_100_KB = 100_000;
    private static final int TEN_MB = 10 * 1024 * 1024;

    @Test
    void aTenMegabyteExpectLineMetByATenMegabyteLineGivesABoundedMessage() throws Exception {
        String expected = "a".repeat(TEN_MB);
        Script script = Script.create().expectLine(expected);
        assertThat(script.describeSteps().get(0)).hasSizeLessThan(400)
                .isEqualTo("expect line \"" + "a".repeat(128) + "\" ... " + (TEN_MB - 256) + " bytes omitted ... \""
                        + "a".repeat(128) + '"');
        try (FakeTcpServer server = FakeTcpServer.builder().lineLimit(TEN_MB + 1).start()) {
            server.enqueue(script);
            byte[] line = new byte[TEN_MB + 1];
            Arrays.fill(line, (byte) 'a');
            line[TEN_MB - 1] = 'b'; // differs at the very end
            line[TEN_MB] = '\n';
            try (TestClient client = TestClient.connect(server)) {
                client.send(line);
                assertThat(client.read()).as("closed after the failure").isEqualTo(-1);
            }

            AssertionError error = (AssertionError) catchThrowable(server::verify);
            String message = error.getMessage();
            System.out.println("10 MB expectLine met by a 10 MB line: verify() message of " + message.length()
                    + " characters (was 20,007,959)");
            assertThat(message.length()).isLessThan(ABOUT_100_KB);
            assertThat(message).contains("expected line \"" + "a".repeat(128) + "\" ... " + (TEN_MB - 256)
                    + " bytes omitted ... \"" + "a".repeat(128) + "\", but received line \"" + "a".repeat(128)
                    + "\" ... " + (TEN_MB - 256) + " bytes omitted ... \"" + "a".repeat(127) + "b\"");
            ScriptFailure failure = server.failures().get(0);
            assertThat(failure.message().length()).isLessThan(2_000);
            assertThat(failure.step().length()).isLessThan(400);
            assertThat(failure.describe().length()).isLessThan(ABOUT_100_KB);
            assertThat(failure.toString().length()).isLessThan(3_000);
        }
    }

    @Test
    void aFiveMegabyteSendLineIsDescribedByItsStartAndEnd() {
        String payload = "x".repeat(5 * 1024 * 1024);
        Script script = Script.create().sendLine(payload).send(payload).send(payload.getBytes(StandardCharsets.US_ASCII));
        String text = script.toString();
        System.out.println("Script with a 5 MB sendLine, send(String) and send(byte[]): toString() of "
                + text.length() + " characters (was 5,000,020 for the sendLine alone)");
        assertThat(text.length()).isLessThan(1_500);
        assertThat(script.describeSteps()).allSatisfy(step -> assertThat(step.length()).isLessThan(400));
        assertThat(script.describeSteps().get(0)).startsWith("send line \"xxx")
                .contains("\" ... " + (5 * 1024 * 1024 - 256) + " bytes omitted ... \"");
        assertThat(script.describeSteps().get(2)).startsWith("send 5242880 bytes \"xxx");
    }

    @Test
    void aFailureShowsTheBytesTheClientReallySent() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().expectLine("café"));
            try (TestClient client = TestClient.connect(server)) {
                client.send(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'}); // ISO-8859-1, not UTF-8
                assertThat(client.read()).isEqualTo(-1);
            }
            assertThat(server.failures()).singleElement().extracting(ScriptFailure::message)
                    .isEqualTo("expected line \"caf\\xC3\\xA9\", but received line \"caf\\xE9\"");
            assertThat(server.transcript()).contains("client> \"caf\\xE9\\n\"");
        }
    }

    @Test
    void anExpectationIsShownInTheServersCharset() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().charset(StandardCharsets.ISO_8859_1).start()) {
            server.enqueue(Script.create().expectLine("café").expect("né"));
            try (TestClient client = TestClient.connect(server)) {
                client.send(new byte[] {'c', 'a', 'f', (byte) 0xE8, '\n'});
                assertThat(client.read()).isEqualTo(-1);
            }
            assertThat(server.failures()).singleElement().extracting(ScriptFailure::message)
                    .isEqualTo("expected line \"caf\\xE9\", but received line \"caf\\xE8\"");
        }
        try (FakeTcpServer server = FakeTcpServer.builder().charset(StandardCharsets.ISO_8859_1).start()) {
            server.enqueue(Script.create().expect("né"));
            try (TestClient client = TestClient.connect(server)) {
                client.send(new byte[] {'n', (byte) 0xE8});
                assertThat(client.read()).isEqualTo(-1);
            }
            assertThat(server.failures()).singleElement().extracting(ScriptFailure::message)
                    .isEqualTo("expected text \"n\\xE9\", but received \"n\\xE8\"");
        }
    }

    @Test
    void twoHundredFailingConnectionsWithLongTranscriptsGiveABoundedMessage() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().lineLimit(200 * 1024).start()) {
            server.defaultScript(Script.create().expectLine("never"));
            byte[] chunk = new byte[100 * 1024];
            Arrays.fill(chunk, (byte) 'q');
            for (int i = 0; i < 200; i++) {
                try (Socket socket = new Socket(server.host(), server.port())) {
                    socket.getOutputStream().write(chunk); // no line end: the step fails when the client leaves
                }
            }
            AssertionError error = (AssertionError) catchThrowable(server::verify);
            String message = error.getMessage();
            System.out.println("200 failing connections of 100 KB each: verify() message of " + message.length()
                    + " characters");
            assertThat(message.length()).isLessThan(ABOUT_100_KB);
            assertThat(message).startsWith("Expected no failures on fake TCP server " + server.authority()
                    + ", but there were 200 failures:")
                    .contains(System.lineSeparator() + "20) connection #20: expected line \"never\", but the client "
                            + "closed the connection after sending the partial line \"qqq")
                    .doesNotContain("21) connection")
                    .endsWith("... and 180 more failures; all of them: server.failures()")
                    .contains("characters omitted (the whole record: server.transcript() or connection.received())");
        }
    }

    @Test
    void aHugeExceptionMessageOfAHandlerIsShortened() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().handle("explode", exchange -> {
                throw new IllegalStateException("z".repeat(TEN_MB));
            }));
            TestClient.connect(server).close();
            assertThat(server.takeConnection(WAIT).awaitClosed(WAIT)).isTrue();
            String message = catchThrowable(server::verify).getMessage();
            assertThat(message.length()).isLessThan(ABOUT_100_KB);
            assertThat(message).contains("but it failed with java.lang.IllegalStateException: zzz")
                    .contains("characters omitted");
        }
    }

    @Test
    void aScriptOfTwentyThousandStepsIsDescribedByItsFirstAndLastTen() {
        Script script = Script.create();
        for (int i = 0; i < 20_000; i++) {
            script = script.sendLine(Integer.toString(i));
        }
        assertThat(script.toString()).startsWith("Script[send line \"0\", send line \"1\", ")
                .contains("send line \"9\", ... 19980 steps omitted ..., send line \"19990\"")
                .endsWith("send line \"19999\"]")
                .hasSizeLessThan(500);
    }

    @Test
    void descriptionsCountWithTheRightNoun() {
        assertThat(Script.create().skipBytes(1).skipBytes(2).closeAfterSending(1).sendRandomBytes(1, 7)
                .drip(1, Duration.ofMillis(1500)).send(new byte[] {7}).describeSteps()).containsExactly(
                        "skip 1 byte", "skip 2 bytes", "close after sending 1 more byte",
                        "send 1 random byte (seed 7)", "deliver 1 byte every 1.5 s", "send 1 byte \"\\x07\"");
        assertThatThrownBy(() -> Script.create().pause(Duration.ofMillis(-250)))
                .hasMessage("duration must be positive, was -250 ms");
    }
}
