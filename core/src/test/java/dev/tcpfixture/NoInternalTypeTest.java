package dev.tcpfixture;

import static dev.tcpfixture.ExchangeContractTest.assertNoInternalType;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What user code can observe (toString of what it is given, exceptions, the causes of failures) names no type
 * of {@code dev.tcpfixture.internal}.
 */
class NoInternalTypeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void whatUserCodeIsGivenDescribesItselfWithoutInternalTypes() throws Exception {
        List<String> descriptions = new ArrayList<>();
        AtomicReference<String> fromHandler = new AtomicReference<>();
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().handle("look", exchange -> fromHandler.set(exchange + " "
                    + exchange.input() + " " + exchange.output() + " " + exchange.connection())).expectLine("x"));
            descriptions.add(server.toString());
            descriptions.add(FakeTcpServer.builder().toString());
            descriptions.add(Script.create().sendLine("a").handle(exchange -> { }).toString());
            try (TestClient client = TestClient.connect(server)) {
                client.send("y\n");
                assertThat(client.read()).isEqualTo(-1);
            }
            RecordedConnection connection = server.takeConnection(WAIT);
            descriptions.add(connection.toString());
            descriptions.add(connection.transcript());
            descriptions.add(server.transcript());
            for (ScriptFailure failure : server.failures()) {
                descriptions.add(failure.toString());
                descriptions.add(failure.describe());
            }
        }
        descriptions.add(fromHandler.get());
        assertThat(descriptions).hasSizeGreaterThan(8).allSatisfy(text -> assertThat(text)
                .doesNotContain("dev.tcpfixture.internal").doesNotContain("ServerSettings")
                .doesNotContain("ConnectionRecorder").doesNotContain("SessionExchange"));
    }

    @Test
    void theCausesOfFailuresAreTheUsersOwnOrTheJdks() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().lineLimit(4).start()) {
            server.enqueue(Script.create().handle("checked", exchange -> {
                throw new Exception("checked");
            }));
            server.enqueue(Script.create().handle("unchecked", exchange -> {
                throw new IllegalStateException("unchecked");
            }));
            server.enqueue(Script.create().handle("read too long", exchange -> exchange.readLine()));
            server.enqueue(Script.create().handle("wrapped end", exchange -> {
                exchange.readLine();
                try {
                    exchange.output().write(new byte[1]);
                    exchange.socket().close();
                    exchange.output().write(new byte[1]);
                } catch (IOException e) {
                    throw new IllegalStateException("after close", e);
                }
            }));
            server.enqueue(Script.create().answerLines(line -> {
                throw new UnsupportedOperationException(line);
            }));
            for (String line : List.of("a", "b", "toolong", "d", "e")) {
                try (TestClient client = TestClient.connect(server)) {
                    client.send(line + "\n");
                    client.readAll(); // until the server closes the connection
                }
            }
            List<ScriptFailure> failures = server.failures();
            assertThat(failures).extracting(ScriptFailure::connectionId).contains(1, 2, 3, 5);
            for (ScriptFailure failure : failures) {
                if (failure.cause() != null) {
                    assertNoInternalType(failure.cause());
                }
                assertThat(failure.message()).doesNotContain("dev.tcpfixture.internal");
            }
            assertThat(failures.get(0).cause()).isExactlyInstanceOf(Exception.class).hasMessage("checked");
            assertThat(failures.get(2).cause()).isExactlyInstanceOf(IOException.class)
                    .hasMessageStartingWith("the client sent a line longer than the line limit of 4 bytes");
            assertThat(failures).extracting(ScriptFailure::connectionId).as("a handler that ended because the "
                    + "server's side was closed is no failure").doesNotContain(4);
        }
    }
}
