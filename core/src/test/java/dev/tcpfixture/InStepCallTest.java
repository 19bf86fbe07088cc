package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code verify()}, {@code failures()} and {@code close()} called from inside a {@code handle(...)} step do not
 * wait for the caller's own connection: they return promptly and do not report that the server "did not
 * become quiet". They still see what other connections did.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InStepCallTest {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);
    /** Far below the step timeout; the contract says milliseconds, this only catches a wait for the bound. */
    private static final Duration PROMPT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long RESULT_WAIT_SECONDS = 10;
    private static final String QUIET_MESSAGE = "expected the server to become quiet";

    /** What a call made on a server thread gave, handed back to the test thread. */
    private record Outcome(Duration took, Object returned, Throwable thrown) {
    }

    @FunctionalInterface
    private interface ServerCall {
        Object call() throws Exception;
    }

    private static Outcome timed(ServerCall call) {
        long start = System.nanoTime();
        Object returned = null;
        Throwable thrown = null;
        try {
            returned = call.call();
        } catch (Throwable t) {
            thrown = t;
        }
        return new Outcome(Duration.ofNanos(System.nanoTime() - start), returned, thrown);
    }

    private static FakeTcpServer startServer() {
        return FakeTcpServer.builder().stepTimeout(STEP_TIMEOUT).start();
    }

    /**
     * Enqueues a script that waits for "GO", makes the call inside a handler step, hands the outcome back,
     * and (if {@code answer}) then sends "DONE".
     */
    private static CompletableFuture<Outcome> callFromStep(FakeTcpServer server, ServerCall call, boolean answer) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        server.enqueue(Script.create().expectLine("GO").handle("call the server from the step", exchange -> {
            result.complete(timed(call));
            if (answer) {
                exchange.sendLine("DONE");
            }
        }));
        return result;
    }

    private static Outcome await(CompletableFuture<Outcome> result, FakeTcpServer server) throws Exception {
        try {
            return result.get(RESULT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the step did not hand back its outcome within " + RESULT_WAIT_SECONDS
                    + " s; transcript so far:" + System.lineSeparator() + server.transcript(), e);
        } catch (ExecutionException e) {
            throw new AssertionError("the step failed", e.getCause());
        }
    }

    private static void assertNoQuietFailure(List<ScriptFailure> failures) {
        assertThat(failures).as("failures").noneMatch(failure -> failure.message().contains(QUIET_MESSAGE));
    }

    @Test
    void verifyFromAStepReturnsPromptly() throws Exception {
        try (FakeTcpServer server = startServer()) {
            CompletableFuture<Outcome> result = callFromStep(server, () -> {
                server.verify();
                return null;
            }, true);

            try (TestClient client = TestClient.connect(server)) {
                client.send("GO\r\n");
                Outcome outcome = await(result, server);
                System.out.printf("verify() from a step took %d ms%n", outcome.took().toMillis());

                assertThat(outcome.thrown()).as("what verify() threw inside the step").isNull();
                assertThat(outcome.took()).as("how long verify() took inside the step").isLessThan(PROMPT);
                assertThat(client.readLine()).as("the step went on after verify()").isEqualTo("DONE");
            }
            server.verify();
        }
    }

    @Test
    void failuresFromAStepReturnsPromptly() throws Exception {
        try (FakeTcpServer server = startServer()) {
            CompletableFuture<Outcome> result = callFromStep(server, server::failures, true);

            try (TestClient client = TestClient.connect(server)) {
                client.send("GO\r\n");
                Outcome outcome = await(result, server);
                System.out.printf("failures() from a step took %d ms%n", outcome.took().toMillis());

                assertThat(outcome.thrown()).as("what failures() threw inside the step").isNull();
                assertThat(outcome.returned()).as("failures() inside the step").isEqualTo(List.of());
                assertThat(outcome.took()).as("how long failures() took inside the step").isLessThan(PROMPT);
                assertThat(client.readLine()).as("the step went on after failures()").isEqualTo("DONE");
            }
            server.verify();
        }
    }

    @Test
    void closeFromAStepReturnsPromptly() throws Exception {
        try (FakeTcpServer server = startServer()) {
            CompletableFuture<Outcome> result = callFromStep(server, () -> {
                server.close();
                return null;
            }, false);

            try (TestClient client = TestClient.connect(server)) {
                client.send("GO\r\n");
                Outcome outcome = await(result, server);
                System.out.printf("close() from a step took %d ms%n", outcome.took().toMillis());

                assertThat(outcome.thrown()).as("what close() threw inside the step").isNull();
                assertThat(outcome.took()).as("how long close() took inside the step").isLessThan(PROMPT);
                assertThat(server.isClosed()).isTrue();
            }
            assertNoQuietFailure(server.failures());
        }
    }

    @Test
    void verifyFromAStepSeesTheFailureOfAnotherBusyConnection() throws Exception {
        CompletableFuture<Void> secondHasWritten = new CompletableFuture<>();
        try (FakeTcpServer server = startServer()) {
            CompletableFuture<Outcome> result = new CompletableFuture<>();
            server.enqueue(Script.create().expectLine("FIRST").handle("verify while #2 is busy", exchange -> {
                secondHasWritten.get(RESULT_WAIT_SECONDS, TimeUnit.SECONDS);
                result.complete(timed(() -> {
                    server.verify();
                    return null;
                }));
                exchange.sendLine("DONE");
            }));
            server.enqueue(Script.create().expectLine("SECOND").sendLine("OK"));

            try (TestClient first = TestClient.connect(server)) {
                first.send("FIRST\r\n");
                assertThat(server.takeConnection(WAIT).id()).isEqualTo(1);
                try (TestClient second = TestClient.connect(server)) {
                    second.send("WRONG\r\n"); // and stays connected
                    secondHasWritten.complete(null);

                    Outcome outcome = await(result, server);
                    System.out.printf("verify() from a step, another connection failing, took %d ms%n",
                            outcome.took().toMillis());

                    assertThat(outcome.thrown()).as("what verify() threw inside the step of connection #1")
                            .isInstanceOf(AssertionError.class)
                            .hasMessageContaining("connection #2")
                            .hasMessageContaining("WRONG")
                            .hasMessageNotContaining(QUIET_MESSAGE);
                    assertThat(outcome.took()).as("how long verify() took inside the step").isLessThan(PROMPT);
                    assertThat(first.readLine()).as("the step went on after verify()").isEqualTo("DONE");
                }
            }
            List<ScriptFailure> failures = server.failures();
            assertNoQuietFailure(failures);
            assertThat(failures).extracting(ScriptFailure::connectionId).containsExactly(2);
        }
    }
}
