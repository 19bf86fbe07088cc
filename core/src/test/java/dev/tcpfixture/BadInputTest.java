package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Input that could never work is rejected at once, with a message that says why. */
class BadInputTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aClosedServerTakesNoScripts() {
        FakeTcpServer server = FakeTcpServer.start();
        server.close();
        assertThatThrownBy(() -> server.enqueue(Script.create().sendLine("late")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("fake TCP server " + server.authority() + " is closed: a script queued now would never run");
        assertThatThrownBy(() -> server.defaultScript(Script.create()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> server.mode(ConnectionMode.REFUSE)).isInstanceOf(IllegalStateException.class)
                .hasMessage("fake TCP server " + server.authority() + " is closed: its mode cannot change");
        assertThat(server.queuedScripts()).isZero();
        server.verify();
    }

    @Test
    void negativeTimeoutsAreRejected() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            assertThatThrownBy(() -> server.takeConnection(Duration.ofSeconds(-5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must not be negative, was -5 s");
            assertThatThrownBy(() -> server.awaitUntil(() -> true, Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must not be negative, was -1 s");
            assertThat(server.awaitUntil(() -> true, Duration.ZERO)).as("zero checks once").isTrue();
            assertThatThrownBy(() -> server.takeConnection(Duration.ZERO)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("within 0 ms, but none came");

            TestClient.connect(server).close();
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThatThrownBy(() -> connection.awaitClosed(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> connection.awaitUntil(() -> true, Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void meaninglessDurationsOfStepsAreRejected() {
        Script script = Script.create();
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1))) {
            assertThatThrownBy(() -> script.pause(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> script.drip(1, bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> script.withStepTimeout(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> FakeTcpServer.builder().stepTimeout(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anExpectedLineWithALineEndingIsRejectedWhenTheScriptIsBuilt() {
        assertThatThrownBy(() -> Script.create().expectLine("a\nb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expectLine takes one line without its line ending, but \"a\\nb\" holds a \\n, so no "
                        + "line the client sends could equal it; use expect(...) for text across lines");
        assertThatThrownBy(() -> Script.create().expectLine("QUIT\r\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Script.create().expectLine("QUIT\r")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends with \\r");
        assertThatThrownBy(() -> Script.create().skipLinesThrough("\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("skipLinesThrough takes one line");
    }

    @Test
    void aCarriageReturnInsideALineCanBeExpected() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().expectLine("a\rb").sendLine("ok"));
            try (TestClient client = TestClient.connect(server)) {
                client.send("a\rb\r\n");
                assertThat(client.readLine()).isEqualTo("ok");
            }
            server.verify();
        }
    }

    @Test
    void anExpectedLineLongerThanTheLineLimitIsRejectedWhenQueued() {
        try (FakeTcpServer server = FakeTcpServer.builder().lineLimit(10).start()) {
            Script script = Script.create().sendLine("hello").expectLine("ééééé!"); // 11 bytes in UTF-8
            assertThatThrownBy(() -> server.enqueue(script)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the step expect line \"\\xC3\\xA9\\xC3\\xA9\\xC3\\xA9\\xC3\\xA9\\xC3\\xA9!\" expects a "
                            + "line of 11 bytes in UTF-8, longer than the server's line limit of 10 bytes, so no "
                            + "client could meet it; raise the limit with FakeTcpServer.builder().lineLimit(...)");
            assertThatThrownBy(() -> server.defaultScript(Script.create().skipLinesThrough("x".repeat(11))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line limit of 10 bytes");
            assertThat(server.queuedScripts()).isZero();
            server.enqueue(Script.create().expectLine("x".repeat(10))); // exactly the limit is fine
            assertThat(server.queuedScripts()).isEqualTo(1);
        }
        try (FakeTcpServer latin = FakeTcpServer.builder().lineLimit(10).charset(StandardCharsets.ISO_8859_1)
                .allowUnusedScripts().start()) {
            latin.enqueue(Script.create().expectLine("éééééééééé")); // 10 bytes in ISO-8859-1
        }
        try (FakeTcpServer server = FakeTcpServer.builder().lineLimit(10).allowUnusedScripts().start()) {
            // the charset a step sets counts, not the server's
            server.enqueue(Script.create().withCharset(StandardCharsets.ISO_8859_1).expectLine("éééééééééé"));
            assertThatThrownBy(() -> server.enqueue(Script.create().withCharset(StandardCharsets.ISO_8859_1)
                    .withCharset(StandardCharsets.UTF_8).expectLine("éééééééééé")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line of 20 bytes in UTF-8");
        }
    }

    @Test
    void aScriptOfTwentyThousandStepsBuildsWithoutCopyingAndRunsInOrder() throws Exception {
        Script prefix = Script.create().sendLine("start");
        Script script = prefix;
        for (int i = 0; i < 20_000; i++) {
            script = script.sendLine(Integer.toString(i));
        }
        Script longer = script.close();

        assertThat(prefix.describeSteps()).containsExactly("send line \"start\"");
        assertThat(script.describeSteps()).hasSize(20_001).endsWith("send line \"19999\"");
        assertThat(longer.describeSteps()).hasSize(20_002).endsWith("send line \"19999\"", "close");
        assertThat(longer.steps()).as("the steps are made once").isSameAs(longer.steps());
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(longer);
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.readLine()).isEqualTo("start");
                for (int i = 0; i < 20_000; i++) {
                    assertThat(client.readLine()).isEqualTo(Integer.toString(i));
                }
                assertThat(client.readLine()).isNull();
            }
            server.verify();
        }
    }
}
