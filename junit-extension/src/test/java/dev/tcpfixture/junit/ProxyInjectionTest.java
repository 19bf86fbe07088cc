package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.ProxyFault;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.TcpProxy;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @Proxy}: injection, the upstream by name or set in the test, closing and verification after the test. */
class ProxyInjectionTest {

    static final List<TcpProxy> SEEN = new CopyOnWriteArrayList<>();

    @UserTests
    static class ByName {

        @Proxy(upstream = "web")
        TcpProxy field;

        @TcpServer("web")
        FakeTcpServer web;

        @BeforeEach
        void remember(@Proxy("other") TcpProxy other) {
            SEEN.add(other);
        }

        @Test
        void parameterBeforeTheServer(@Proxy(value = "p", upstream = "web") TcpProxy proxy,
                @TcpServer("web") FakeTcpServer server) throws IOException {
            SEEN.add(proxy);
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());
            assertThat(TestKit.converse(proxy.address(), "PING")).containsExactly("PONG");
            RecordedConnection connection = proxy.takeConnection(Duration.ofSeconds(2));
            assertThat(connection.receivedLines()).containsExactly("PING");
        }

        @Test
        void fieldWithLatency() throws IOException {
            SEEN.add(field);
            web.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());
            field.add(ProxyFault.latency(Duration.ofMillis(100)));
            long start = System.nanoTime();
            assertThat(TestKit.converse(field.address(), "PING")).containsExactly("PONG");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(100);
        }

        @Test
        void sameNameSameProxy(@Proxy("other") TcpProxy other, @TcpServer("web") FakeTcpServer server)
                throws IOException {
            assertThat(SEEN).contains(other);
            other.upstream(server.address());
            server.enqueue(Script.create().sendLine("hi").close());
            assertThat(TestKit.converse(other.address())).containsExactly("hi");
        }
    }

    @Test
    void injectsProxiesThatForwardToTheNamedServerAndClosesThemAfterEachTest() {
        SEEN.clear();
        EngineExecutionResults results = TestKit.run(ByName.class);
        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        assertThat(SEEN).hasSizeGreaterThanOrEqualTo(5).allSatisfy(proxy -> {
            assertThat(proxy.isClosed()).isTrue();
            assertThat(proxy.liveThreadCount()).isZero();
        });
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    @UserTests
    static class Failing {

        @Test
        void noUpstream(@Proxy TcpProxy proxy) {
            try {
                TestKit.converse(proxy.address(), "PING");
            } catch (IOException expected) {
                // the client is reset: the proxy has nowhere to forward to
            }
        }

        @Test
        void unknownUpstream(@Proxy(upstream = "nope") TcpProxy proxy) {
        }

        @Test
        void notVerified(@Proxy(verify = false) TcpProxy proxy) throws IOException {
            try {
                TestKit.converse(proxy.address(), "PING");
            } catch (SocketException expected) {
                // reset
            }
        }

        @Test
        void wrongType(@Proxy String proxy) {
        }
    }

    @Test
    void failuresOfTheProxyFailTheTest() {
        EngineExecutionResults results = TestKit.run(Failing.class);
        results.testEvents().assertStatistics(stats -> stats.started(4).succeeded(1).failed(3));
        assertThat(TestKit.failureOf(results, "noUpstream")).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected @Proxy on parameter [")
                .hasMessageContaining("to record no failures, but it recorded 1 failure:")
                .hasMessageContaining("the proxy has none: set it with proxy.upstream(host, port)");
        assertThat(TestKit.failureOf(results, "unknownUpstream")).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected a @TcpServer(\"nope\") in this test or its classes for "
                        + "@Proxy(upstream = \"nope\") on parameter [");
        assertThat(TestKit.failureOf(results, "wrongType")).isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("its type is java.lang.String, but it must be TcpProxy");
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }
}
