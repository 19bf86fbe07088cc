package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailureReportingTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeTcpServer server = FakeTcpServer.builder().stepTimeout(Duration.ofMillis(300)).start();

    @AfterEach
    void closeServer() {
        server.close();
    }

    private void closeAndAwait(RecordedConnection connection) throws InterruptedException {
        assertThat(connection.awaitClosed(WAIT)).isTrue();
    }

    @Test
    void wrongLineFailsWithExpectedActualAndTranscript() throws Exception {
        server.enqueue(Script.create().sendLine("220 ready").expectLine("HELO x").sendLine("250 ok"));

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("220 ready");
            client.send("EHLO y\r\n");
            assertThat(client.read()).as("the server closes after a failure").isEqualTo(-1);
        }
        closeAndAwait(server.takeConnection(WAIT));

        assertThat(server.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.connectionId()).isEqualTo(1);
            assertThat(failure.step()).isEqualTo("expect line \"HELO x\"");
            assertThat(failure.message()).isEqualTo("expected line \"HELO x\", but received line \"EHLO y\"");
            assertThat(failure.transcript()).contains("server> \"220 ready\\r\\n\"").contains("client> \"EHLO y\\r\\n\"");
        });
        assertThatThrownBy(server::verify)
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected no failures on fake TCP server 127.0.0.1:" + server.port()
                        + ", but there was 1 failure:")
                .hasMessageContaining("connection #1: expected line \"HELO x\", but received line \"EHLO y\"")
                .hasMessageContaining("client> \"EHLO y\\r\\n\"");
    }

    @Test
    void clientClosingEarlyIsAFailure() throws Exception {
        server.enqueue(Script.create().expectLine("QUIT"));

        try (TestClient client = TestClient.connect(server)) {
            client.send("QU");
        }
        closeAndAwait(server.takeConnection(WAIT));

        assertThatThrownBy(server::verify).hasMessageContaining(
                "expected line \"QUIT\", but the client closed the connection after sending the partial line \"QU\"");
    }

    @Test
    void nothingWithinTheStepTimeoutIsAFailure() throws Exception {
        server.enqueue(Script.create().expectLine("anything"));

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.read()).as("closed after the step timeout").isEqualTo(-1);
        }

        assertThatThrownBy(server::verify).hasMessageContaining("expected line \"anything\" within 300 ms, but nothing came");
    }

    @Test
    void stepTimeoutCanBeChangedByTheScript() throws Exception {
        server.enqueue(Script.create().withStepTimeout(Duration.ofMillis(100)).expect("x"));

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.read()).isEqualTo(-1);
        }
        assertThatThrownBy(server::verify).hasMessageContaining("within 100 ms");
    }

    @Test
    void handlerExceptionIsReportedWithItsCause() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        server.enqueue(Script.create().handle(exchange -> {
            throw boom;
        }));

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.read()).isEqualTo(-1);
        }
        assertThatThrownBy(server::verify)
                .hasMessageContaining("failed with java.lang.IllegalStateException: boom")
                .satisfies(error -> assertThat(error.getSuppressed()).containsExactly(boom));
    }

    @Test
    void exceptionInAnswerFunctionIsReported() throws Exception {
        server.enqueue(Script.create().answerLines(line -> {
            throw new IllegalArgumentException("cannot answer " + line);
        }));

        try (TestClient client = TestClient.connect(server)) {
            client.send("what?\n");
            assertThat(client.read()).isEqualTo(-1);
        }
        assertThatThrownBy(server::verify).hasMessageContaining("cannot answer what?");
    }

    @Test
    void anExpectationStillWaitingWhenTheServerClosesIsAFailure() throws Exception {
        server.enqueue(Script.create().sendLine("hello").expectLine("QUIT"));
        try (FakeTcpServer patient = FakeTcpServer.start()) {
            patient.enqueue(Script.create().sendLine("hello").expectLine("QUIT"));
            try (TestClient client = TestClient.connect(patient)) {
                assertThat(client.readLine()).isEqualTo("hello");
                patient.close();
            }
            assertThatThrownBy(patient::verify)
                    .hasMessageContaining("expected line \"QUIT\", but the server was shut down first");
        }
    }

    @Test
    void bytesThatArrivedJustBeforeCloseAreStillChecked() throws Exception {
        try (FakeTcpServer quick = FakeTcpServer.start()) {
            quick.enqueue(Script.create().expectLine("right"));
            try (TestClient client = TestClient.connect(quick)) {
                client.send("wrong\n");
                quick.close();
            }
            assertThatThrownBy(quick::verify).hasMessageContaining("but received line \"wrong\"");
        }
    }

    @Test
    void aClientThatHangsUpWhileTheServerOnlySendsIsNotAFailure() throws Exception {
        server.enqueue(Script.create().pause(Duration.ofMillis(100)).sendLine("late").sendLine("later"));

        try (TestClient client = TestClient.connect(server)) {
            server.takeConnection(WAIT);
        }
        RecordedConnection connection = server.connections().get(0);
        closeAndAwait(connection);
        server.close();

        server.verify();
    }

    @Test
    void tooLongLineFailsTheStep() throws Exception {
        try (FakeTcpServer strict = FakeTcpServer.builder().lineLimit(16).start()) {
            strict.enqueue(Script.create().expectLine("short"));
            try (TestClient client = TestClient.connect(strict)) {
                client.send("x".repeat(10_000) + "\n");
                assertThat(client.read()).isEqualTo(-1);
            }
            assertThatThrownBy(strict::verify).hasMessageContaining("longer than the line limit of 16 bytes");
        }
    }

    @Test
    void verifyPassesWithoutFailures() throws Exception {
        server.enqueue(Script.create().expectLine("ok").close());
        try (TestClient client = TestClient.connect(server)) {
            client.send("ok\n");
            assertThat(client.read()).isEqualTo(-1);
        }
        server.verify();
        assertThat(server.failures()).isEmpty();
    }
}
