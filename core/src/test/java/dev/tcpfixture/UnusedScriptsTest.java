package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnusedScriptsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aQueuedScriptThatNoConnectionTookFailsVerifyNamingIt() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().expectLine("GET").sendLine("first"));
            server.enqueue(Script.create().expectLine("GET").sendLine("retry"));
            try (TestClient client = TestClient.connect(server)) {
                client.send("GET\n");
                assertThat(client.readLine()).isEqualTo("first");
            }

            List<ScriptFailure> failures = server.failures();
            assertThat(failures).singleElement().satisfies(failure -> {
                assertThat(failure.connectionId()).isZero();
                assertThat(failure.message()).startsWith("expected a connection for each queued script, but ")
                        .contains("1 of 2 queued scripts was not taken by any connection")
                        .contains("1 connection accepted")
                        .contains("queued script #2: [expect line \"GET\", send line \"retry\"]")
                        .doesNotContain("queued script #1");
            });
            assertThat(server.failures()).as("the same report while nothing changes")
                    .singleElement().isSameAs(failures.get(0));
            assertThatThrownBy(server::verify).isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Expected no failures on fake TCP server " + server.authority()
                            + ", but there was 1 failure:")
                    .hasMessageContaining("server: expected a connection for each queued script, but ");
        }
    }

    @Test
    void theReportNamesEveryUnusedScriptUpToTwentyAndCountsTheRest() {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            for (int i = 1; i <= 25; i++) {
                server.enqueue(Script.create().sendLine("answer " + i));
            }
            assertThat(server.failures()).singleElement().satisfies(failure -> assertThat(failure.message())
                    .contains("25 of 25 queued scripts were not taken by any connection (0 connections accepted")
                    .contains("queued script #1: [send line \"answer 1\"]")
                    .contains("queued script #20: [send line \"answer 20\"]")
                    .doesNotContain("queued script #21")
                    .endsWith("... and 5 more unused scripts"));
        }
    }

    @Test
    void theReportIsThereAfterCloseAndGoneOnceEveryScriptIsTaken() throws Exception {
        FakeTcpServer server = FakeTcpServer.start();
        server.enqueue(Script.create().sendLine("one").close());
        assertThat(server.failures()).hasSize(1);
        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("one");
        }
        assertThat(server.failures()).isEmpty();
        server.enqueue(Script.create().sendLine("two"));
        server.close();
        assertThat(server.failures()).singleElement().extracting(ScriptFailure::message).asString()
                .contains("queued script #2: [send line \"two\"]");
    }

    @Test
    void allowUnusedScriptsLetsThemGo() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().allowUnusedScripts().start()) {
            server.enqueue(Script.create().sendLine("maybe"));
            server.enqueue(Script.create().sendLine("never"));
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.readLine()).isEqualTo("maybe");
            }
            server.takeConnection(WAIT);
            server.verify();
            assertThat(server.queuedScripts()).isEqualTo(1);
        }
    }

    @Test
    void theDefaultScriptIsNeverUnused() {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.defaultScript(Script.create().sendLine("hello"));
            server.verify();
        }
    }

    @Test
    void aLongScriptIsDescribedByItsFirstAndLastSteps() {
        Script script = Script.create();
        for (int i = 1; i <= 100; i++) {
            script = script.sendLine("line " + i);
        }
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(script);
            assertThat(server.failures()).singleElement().extracting(ScriptFailure::message).asString()
                    .contains("send line \"line 10\", ... 80 steps omitted ..., send line \"line 91\"")
                    .doesNotContain("\"line 50\"");
        }
    }
}
