package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A script queued for a connection that never came fails the test that queued it, naming the script (the core
 * finds them); a server may allow them, from its element, the extension's builder or a configuration parameter.
 */
class UnusedScriptsTest {

    /** Queues a script for a retry that never happens: one connection, two scripts. */
    static void oneConnectionTwoScripts(FakeTcpServer server) throws IOException {
        server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());
        server.enqueue(Script.create().expectLine("RETRY").sendLine("PONG again").close());
        assertThat(TestKit.converse(server.address(), "PING")).containsExactly("PONG");
    }

    @UserTests
    static class ByDefault {

        @Test
        void retryNeverCame(@TcpServer FakeTcpServer server) throws IOException {
            oneConnectionTwoScripts(server);
        }
    }

    @Test
    void anUnusedScriptFailsTheTestNamingTheScript() {
        EngineExecutionResults results = TestKit.run(ByDefault.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(TestKit.failureOf(results, "retryNeverCame"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected fake TCP server 127.0.0.1:")
                .hasMessageContaining("to record no failures, but it recorded 1 failure:")
                .hasMessageContaining("expected a connection for each queued script, but ")
                .hasMessageContaining("RETRY");
    }

    @UserTests
    static class AllowedOnTheElement {

        @Test
        void retryNeverCame(@TcpServer(allowUnusedScripts = true) FakeTcpServer server) throws IOException {
            oneConnectionTwoScripts(server);
        }
    }

    @UserTests
    static class AllowedByTheExtension {

        @RegisterExtension
        static TcpServerExtension extension = TcpServerExtension.builder().allowUnusedScripts().build();

        @Test
        void retryNeverCame(@TcpServer FakeTcpServer server) throws IOException {
            oneConnectionTwoScripts(server);
        }
    }

    @Test
    void theElementTheExtensionOrAConfigurationParameterMayAllowThem() {
        TestKit.run(AllowedOnTheElement.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        TestKit.run(AllowedByTheExtension.class).testEvents()
                .assertStatistics(stats -> stats.started(1).succeeded(1));
        TestKit.run(Map.of("tcpfixture.server.allowUnusedScripts", "true"), ByDefault.class).testEvents()
                .assertStatistics(stats -> stats.started(1).succeeded(1));
        TestKit.run(Map.of("tcpfixture.server.allowUnusedScripts", "false"), ByDefault.class).testEvents()
                .assertStatistics(stats -> stats.started(1).failed(1));
    }

    @UserTests
    static class Conflicting {

        @TcpServer
        FakeTcpServer field;

        @Test
        void test(@TcpServer(allowUnusedScripts = true) FakeTcpServer server) {
        }
    }

    @Test
    void aLaterElementMustNotAllowWhatTheFirstDidNot() {
        EngineExecutionResults results = TestKit.run(Conflicting.class);

        assertThat(TestKit.failureOf(results, "test"))
                .hasMessageContaining("allowUnusedScripts = true, but it was created with the default "
                        + "allowUnusedScripts");
    }
}
