package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.TranscriptEvent.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy without faults: forwarding, the record, the modes of its own port, an upstream that is down. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpProxyTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static List<Kind> kinds(RecordedConnection connection) {
        return connection.events().stream().map(TranscriptEvent::kind).filter(kind -> kind != Kind.NOTE).toList();
    }

    @Test
    void forwardsBothWaysAndRecordsWhatTheClientSentAndWhatItGot() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().sendLine("220 hello").expectLine("PING").sendLine("PONG")
                    .expectLine("QUIT").close());
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                assertThat(client.readLine()).isEqualTo("220 hello");
                client.send("PING\r\n");
                assertThat(client.readLine()).isEqualTo("PONG");
                client.send("QUIT\r\n");
                assertThat(client.read()).isEqualTo(-1);
            }
            RecordedConnection connection = proxy.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(proxy.awaitQuiet()).isTrue();
            assertThat(connection.receivedLines()).containsExactly("PING", "QUIT");
            assertThat(connection.sentText()).isEqualTo("220 hello\r\nPONG\r\n");
            assertThat(connection.closedFirstBy()).contains(Side.SERVER);
            assertThat(kinds(connection)).startsWith(Kind.ACCEPTED).contains(Kind.SERVER_HALF_CLOSED)
                    .endsWith(Kind.SERVER_CLOSED);
            assertThat(connection.transcript()).contains("forwarding to upstream " + upstream.authority())
                    .contains("client> \"PING\\r\\n\"").contains("server> \"PONG\\r\\n\"");
            proxy.verify();
            upstream.verify();
        }
    }

    @Test
    void aClientThatClosesFirstIsRecordedAsClosingFirstAndTheUpstreamSeesItsEnd() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().expectLine("BYE"));
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("BYE\n");
            }
            assertThat(proxy.awaitQuiet()).isTrue();
            RecordedConnection connection = proxy.takeConnection(WAIT);
            assertThat(connection.receivedLines()).containsExactly("BYE");
            assertThat(connection.closedFirstBy()).contains(Side.CLIENT);
            RecordedConnection atUpstream = upstream.takeConnection(WAIT);
            assertThat(atUpstream.awaitClosed(WAIT)).isTrue();
            assertThat(atUpstream.closedFirstBy()).contains(Side.CLIENT);
            upstream.verify();
            proxy.verify();
        }
    }

    @Test
    void recordsExactlyWhatAFireAndForgetClientSent() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            for (int i = 0; i < 50; i++) {
                try (Socket socket = new Socket()) {
                    socket.connect(proxy.address(), 2_000);
                    socket.getOutputStream().write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
                assertThat(proxy.awaitQuiet()).isTrue();
                RecordedConnection connection = proxy.takeConnection(Duration.ZERO);
                assertThat(connection.receivedText()).isEqualTo("line " + i + "\n");
                assertThat(connection.closedFirstBy()).contains(Side.CLIENT);
            }
            proxy.verify();
        }
    }

    @Test
    void theProxysOwnPortHasTheFakeServersModes() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            proxy.mode(ConnectionMode.REFUSE);
            assertThatThrownBy(() -> ProxyClient.connect(proxy)).isInstanceOf(ConnectException.class);

            proxy.mode(ConnectionMode.CONNECT_TIMEOUT);
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(proxy.address(), 200);
                }
            }).isInstanceOf(SocketTimeoutException.class);

            proxy.mode(ConnectionMode.ACCEPT_THEN_CLOSE);
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                assertThat(client.read()).isEqualTo(-1);
            }

            proxy.mode(ConnectionMode.ACCEPT_THEN_RESET);
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("hello\n");
                assertThatThrownBy(client::read).isInstanceOf(SocketException.class)
                        .hasMessageContaining("Connection reset");
            }

            proxy.mode(ConnectionMode.ACCEPT);
            upstream.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("PING\n");
                assertThat(client.readLine()).isEqualTo("PONG");
            }
            assertThat(upstream.connectionCount()).isEqualTo(1); // the modes never reached the upstream
            proxy.verify();
            upstream.verify();
        }
    }

    @Test
    void anUpstreamThatRefusesGetsTheClientResetAtItsReadAfterATimedOrUntimedConnect() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.builder().mode(ConnectionMode.REFUSE).start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            for (boolean timed : new boolean[] {true, false}) {
                for (int i = 0; i < 20; i++) {
                    try (Socket socket = new Socket()) {
                        if (timed) {
                            socket.connect(proxy.address(), 2_000);
                        } else {
                            socket.connect(proxy.address());
                        }
                        socket.setSoTimeout(5_000);
                        socket.getOutputStream().write("PING\n".getBytes(StandardCharsets.UTF_8));
                        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class)
                                .hasMessageContaining("Connection reset");
                    }
                }
            }
            RecordedConnection connection = proxy.takeConnection(WAIT);
            assertThat(connection.transcript()).contains("upstream " + upstream.authority()
                    + " did not accept the connection").contains("Connection refused")
                    .contains("proxy reset the connection (upstream " + upstream.authority() + " down)");
            assertThat(connection.receivedText()).isEqualTo("PING\n");
            assertThat(kinds(connection)).containsExactly(Kind.ACCEPTED, Kind.RECEIVED, Kind.SERVER_RESET);
            proxy.verify(); // a down upstream is what the test set up: noted, not a failure
        }
    }

    @Test
    void withoutAnUpstreamTheClientIsResetAndTheProxyFails() throws Exception {
        try (TcpProxy proxy = TcpProxy.builder().start()) {
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("PING\n");
                assertThatThrownBy(client::read).isInstanceOf(SocketException.class);
            }
            assertThatThrownBy(proxy::verify).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expected no failures on TCP proxy " + proxy.authority())
                    .hasMessageContaining("the proxy has none: set it with proxy.upstream(host, port)");
        }
    }

    @Test
    void aLongListOfTheProxysFailuresSaysWhereTheRestAre() throws Exception {
        try (TcpProxy proxy = TcpProxy.builder().start()) {
            for (int i = 0; i <= 20; i++) { // one more than a message lists
                try (ProxyClient client = ProxyClient.connect(proxy)) {
                    client.send("PING\n");
                    assertThatThrownBy(client::read).isInstanceOf(SocketException.class);
                }
            }
            assertThat(proxy.awaitQuiet()).isTrue();
            assertThat(proxy.failures()).hasSize(21);
            assertThatThrownBy(proxy::verify).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expected no failures on TCP proxy " + proxy.authority()
                            + ", but there were 21 failures:")
                    .hasMessageEndingWith("... and 1 more failure; all of them: proxy.failures()");
        }
    }

    @Test
    void theUpstreamCanChangeForNewConnections() throws Exception {
        try (FakeTcpServer first = FakeTcpServer.start(); FakeTcpServer second = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(first.address())) {
            first.enqueue(Script.create().sendLine("first"));
            second.enqueue(Script.create().sendLine("second"));
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                assertThat(client.readLine()).isEqualTo("first");
                proxy.upstream(second.host(), second.port());
                try (ProxyClient other = ProxyClient.connect(proxy)) {
                    assertThat(other.readLine()).isEqualTo("second");
                }
            }
            assertThat(proxy.upstream()).isEqualTo(second.address());
            proxy.verify();
        }
    }

    @Test
    void aResolverSetAfterAFixedUpstreamIsWhatTheProxyReports() throws Exception {
        try (FakeTcpServer first = FakeTcpServer.start(); FakeTcpServer second = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(first.address())) {
            second.enqueue(Script.create().sendLine("second"));
            proxy.upstream(second::address);
            assertThat(proxy.upstream()).isNull(); // not asked yet; the fixed address is not where connections go
            assertThat(proxy.toString()).contains("no upstream");
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                assertThat(client.readLine()).isEqualTo("second");
            }
            assertThat(proxy.upstream()).isEqualTo(second.address());
            assertThat(first.connectionCount()).isZero();
            proxy.verify();
            second.verify();
        }
    }

    @Test
    void anUpstreamOffLoopbackIsRejected() {
        assertThatThrownBy(() -> TcpProxy.builder().upstream(new InetSocketAddress("0.0.0.0", 80)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        try (TcpProxy proxy = TcpProxy.builder().start()) {
            assertThatThrownBy(() -> proxy.upstream("upstream.invalid", 80)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("loopback");
            assertThatThrownBy(() -> proxy.upstream("0.0.0.0", 80)).isInstanceOf(IllegalArgumentException.class);
            proxy.upstream("localhost", 1);
            proxy.upstream("::1", 1);
            assertThat(proxy.upstream().getAddress().isLoopbackAddress()).isTrue();
            proxy.upstream("[::1]", 2);
            assertThat(proxy.upstream().getPort()).isEqualTo(2);
            proxy.upstream("127.0.0.2", 3);
            assertThat(proxy.upstream()).isEqualTo(new InetSocketAddress("127.0.0.2", 3));
        }
    }

    @Test
    void anUpstreamHostThatIsNotALiteralIsRejectedWithoutALookup() {
        try (TcpProxy proxy = TcpProxy.builder().start()) {
            // host names made of hex digits, and the short IPv4 forms InetAddress would accept
            for (String host : List.of("cafe", "deadbeef", "abc.def", "127.1", "127.0.1", "0x7f.0.0.1", "127.0.0.256",
                    "127.0.0.1.5", "zz::1", "")) {
                assertThatThrownBy(() -> proxy.upstream(host, 80)).as(host)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
            }
            assertThat(proxy.upstream()).isNull();
        }
    }

    @Test
    void anUpstreamResetResetsTheClient() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().expectLine("PING").reset());
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("PING\n");
                assertThatThrownBy(client::read).isInstanceOf(SocketException.class)
                        .hasMessageContaining("Connection reset");
            }
            RecordedConnection connection = proxy.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(kinds(connection)).endsWith(Kind.SERVER_RESET);
            assertThat(connection.transcript()).contains("upstream reset the connection");
            proxy.verify();
        }
    }

    @Test
    void aClientResetResetsTheUpstream() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().expectLine("PING").sendLine("PONG").expectLine("never"));
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("PING\n");
                assertThat(client.readLine()).isEqualTo("PONG");
                client.reset();
            }
            assertThat(proxy.awaitQuiet()).isTrue();
            RecordedConnection connection = proxy.takeConnection(WAIT);
            assertThat(kinds(connection)).contains(Kind.CLIENT_RESET);
            upstream.awaitQuiet();
            assertThat(upstream.failures()).singleElement().extracting(ScriptFailure::message).asString()
                    .contains("the client reset the connection");
            proxy.verify();
        }
    }
}
