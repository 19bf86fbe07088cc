package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static long serverThreadsAlive(FakeTcpServer server) {
        String marker = "-port-" + server.port();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("tcpfixture-") && thread.getName().contains(marker))
                .filter(Thread::isAlive)
                .count();
    }

    @Test
    void startsOnLoopbackWithAnEphemeralPort() {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(server.address().getAddress()).isInstanceOf(Inet4Address.class);
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(server.port()).isPositive();
            assertThat(server.authority()).isEqualTo("127.0.0.1:" + server.port());
            assertThat(server.mode()).isEqualTo(ConnectionMode.ACCEPT);
        }
    }

    @Test
    void twoServersGetDifferentPorts() {
        try (FakeTcpServer one = FakeTcpServer.start(); FakeTcpServer two = FakeTcpServer.start()) {
            assertThat(one.port()).isNotEqualTo(two.port());
        }
    }

    @Test
    void bindsIpv6LoopbackOnRequest() throws Exception {
        boolean hasIpv6Loopback = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .anyMatch(address -> address instanceof Inet6Address && address.isLoopbackAddress());
        org.junit.jupiter.api.Assumptions.assumeTrue(hasIpv6Loopback, "this machine has no ::1");

        try (FakeTcpServer server = FakeTcpServer.builder().ipv6().start()) {
            server.enqueue(Script.create().sendLine("v6").close());
            assertThat(server.host()).isEqualTo("::1");
            assertThat(server.authority()).isEqualTo("[::1]:" + server.port());
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.readLine()).isEqualTo("v6");
            }
            server.mode(ConnectionMode.REFUSE);
            assertThatThrownBy(() -> new Socket(InetAddress.getByName("::1"), server.port()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void closeEndsConnectionsAndThreadsQuickly() throws Exception {
        FakeTcpServer server = FakeTcpServer.start();
        server.defaultScript(Script.create().sendLine("hello").stall());
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            TestClient client = TestClient.connect(server);
            assertThat(client.readLine()).isEqualTo("hello");
            clients.add(client);
        }
        assertThat(server.liveThreadCount()).isEqualTo(21);

        long start = System.nanoTime();
        server.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // a generous bound that still catches a close waiting on timeouts; typical is a few milliseconds
        assertThat(took).isLessThan(Duration.ofMillis(500));
        assertThat(server.liveThreadCount()).isZero();
        assertThat(serverThreadsAlive(server)).isZero();
        for (TestClient client : clients) {
            assertThat(client.read()).isEqualTo(-1);
            client.close();
        }
        assertThat(server.connections()).allSatisfy(connection -> {
            assertThat(connection.isOpen()).isFalse();
            assertThat(connection.closedFirstBy()).contains(Side.SERVER);
        });
        server.verify();
    }

    @Test
    void closeIsIdempotent() {
        FakeTcpServer server = FakeTcpServer.start();
        server.close();
        server.close();
        assertThat(server.isClosed()).isTrue();
    }

    @Test
    void closeDuringAPauseDoesNotWaitForIt() throws Exception {
        FakeTcpServer server = FakeTcpServer.start();
        server.enqueue(Script.create().pause(Duration.ofMinutes(10)).sendLine("never"));
        try (TestClient client = TestClient.connect(server)) {
            server.takeConnection(WAIT);
            long start = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
            assertThat(client.read()).isEqualTo(-1);
        }
        assertThat(serverThreadsAlive(server)).isZero();
        server.verify();
    }

    @Test
    void closeInEveryModeReleasesEverything() {
        for (ConnectionMode mode : ConnectionMode.values()) {
            FakeTcpServer server = FakeTcpServer.builder().mode(mode).start();
            server.close();
            assertThat(server.liveThreadCount()).as("threads after close in %s", mode).isZero();
            assertThatThrownBy(() -> new Socket(server.host(), server.port()).close())
                    .as("port after close in %s", mode).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void invalidOptionsAreRejected() {
        assertThatThrownBy(() -> FakeTcpServer.builder().stepTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stepTimeout");
        assertThatThrownBy(() -> FakeTcpServer.builder().recordingLimit(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeTcpServer.builder().backlog(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeTcpServer.builder().lineLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildersAreImmutable() {
        FakeTcpServer.Builder base = FakeTcpServer.builder();
        FakeTcpServer.Builder changed = base.mode(ConnectionMode.REFUSE);
        try (FakeTcpServer server = base.start()) {
            assertThat(server.mode()).isEqualTo(ConnectionMode.ACCEPT);
        }
        try (FakeTcpServer server = changed.start()) {
            assertThat(server.mode()).isEqualTo(ConnectionMode.REFUSE);
        }
    }

    @Test
    void toStringShowsAddressModeAndCount() {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            assertThat(server).hasToString("FakeTcpServer[127.0.0.1:" + server.port() + ", mode ACCEPT, 0 connections]");
        }
    }
}
