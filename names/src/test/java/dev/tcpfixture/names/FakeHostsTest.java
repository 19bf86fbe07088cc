package dev.tcpfixture.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FakeHostsTest {

    static final InetAddress V4 = address("127.0.0.1");
    static final InetAddress V6 = address("::1");

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: never looked up
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void nothingLeftBehind() {
        assertThat(FakeHosts.fakedNames()).isEmpty();
    }

    /**
     * A client that tries each address of the name in turn, as OkHttp and browsers do. A real client uses one port
     * for all; here ports are ephemeral, so each address gets the port of the server that owns it.
     */
    static String pingEachAddress(String host, Map<InetAddress, Integer> ports, List<String> attempts)
            throws IOException {
        IOException last = null;
        for (InetAddress address : InetAddress.getAllByName(host)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, ports.get(address)), 2_000);
                socket.setSoTimeout(2_000);
                attempts.add(address.getHostAddress() + " connected");
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
            } catch (ConnectException e) {
                attempts.add(address.getHostAddress() + " " + e.getMessage());
                last = e;
            }
        }
        throw last;
    }

    @Test
    void aFakedNameReachesTheFakeServer() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start();
                FakeHosts.Registration names = FakeHosts.register(
                        FakeName.resolving("data.pr4e.org", server.address().getAddress()))) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));

            try (Socket socket = new Socket("data.pr4e.org", server.port())) {
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine()).isEqualTo("PONG");
            }
            server.verify();
            assertThat(names.lookupCount("data.pr4e.org")).isEqualTo(1);
            assertThat(FakeHosts.lookupCount("DATA.pr4e.org")).isEqualTo(1);
        }
        assertThat(FakeHosts.lookupCount("data.pr4e.org")).isZero();
    }

    @Test
    void theFullyQualifiedFormAndAnyCaseOfAFakedNameGetTheFake() throws Exception {
        try (FakeHosts.Registration names = FakeHosts.register(FakeName.resolving("data.pr4e.org", V4),
                FakeName.unknown("db.internal"))) {
            // the JDK passes "data.pr4e.org." to its resolver as written: the fake answers it, and counts it
            assertThat(InetAddress.getByName("data.pr4e.org.").getAddress()).isEqualTo(V4.getAddress());
            assertThat(InetAddress.getByName("DATA.PR4E.ORG.").getAddress()).isEqualTo(V4.getAddress());
            assertThatThrownBy(() -> InetAddress.getByName("db.internal.")).isInstanceOf(UnknownHostException.class)
                    .hasMessageContaining("faked by tcpfixture-names");
            assertThatThrownBy(() -> InetAddress.getByName("DB.INTERNAL.")).isInstanceOf(UnknownHostException.class)
                    .hasMessageContaining("faked by tcpfixture-names");
            assertThat(names.lookupCount("data.pr4e.org")).isEqualTo(2);
            assertThat(names.lookupCount("db.internal.")).isEqualTo(2);
        }
    }

    @Test
    void anUnknownNameFailsAtOnceEveryTime() {
        try (FakeHosts.Registration names = FakeHosts.register(FakeName.unknown("db.internal"))) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> InetAddress.getByName("db.internal"))
                        .isInstanceOf(UnknownHostException.class)
                        .hasMessageContaining("db.internal");
                assertThatThrownBy(() -> new Socket("db.internal", 80)).isInstanceOf(UnknownHostException.class);
            }
            // not cached by the JDK: each lookup reached the fake
            assertThat(names.lookupCount("db.internal")).isEqualTo(6);
        }
    }

    @Test
    void aSlowNameAnswersAfterItsDelay() throws Exception {
        Duration delay = Duration.ofMillis(300);
        try (FakeHosts.Registration names = FakeHosts.register(FakeName.slow("slow.example", delay, V4))) {
            long start = System.nanoTime();
            InetAddress resolved = InetAddress.getByName("slow.example");
            long elapsed = System.nanoTime() - start;

            assertThat(resolved.getAddress()).isEqualTo(V4.getAddress());
            assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(delay); // the fault's own lower bound
            assertThat(names.lookupCount("slow.example")).isEqualTo(1);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard
    void aSlowLookupStopsWaitingWhenItsRegistrationIsClosed() throws Exception {
        FakeHosts.Registration names = FakeHosts.register(FakeName.slow("slow.example", Duration.ofMinutes(10), V4));
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<InetAddress> lookup = client.submit(() -> InetAddress.getByName("slow.example"));
            await().atMost(Duration.ofSeconds(30)).until(() -> names.lookupCount("slow.example") == 1);
            names.close();

            // 30 s is a hang guard: the delay is 10 minutes
            assertThatThrownBy(() -> lookup.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UnknownHostException.class)
                    .hasMessageContaining("slow.example: the fake ended while the lookup was delayed");
            assertThat(names.lookupCount("slow.example")).isEqualTo(1);
        } finally {
            names.close();
            client.shutdownNow();
            assertThat(client.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void severalAddressesInOrderTheFirstRefusingTheSecondAccepting() throws Exception {
        try (FakeTcpServer refusing = FakeTcpServer.builder().mode(ConnectionMode.REFUSE).start();
                FakeTcpServer server = FakeTcpServer.builder().ipv6().start();
                FakeHosts.Registration names = FakeHosts.register(FakeName.resolving("api.test", V4, V6))) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));

            assertThat(Arrays.stream(InetAddress.getAllByName("api.test")).map(InetAddress::getHostAddress))
                    .containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
            List<String> attempts = new ArrayList<>();
            assertThat(pingEachAddress("api.test", Map.of(V4, refusing.port(), V6, server.port()), attempts))
                    .isEqualTo("PONG");
            assertThat(attempts).containsExactly("127.0.0.1 Connection refused", "0:0:0:0:0:0:0:1 connected");
            server.verify();
            assertThat(names.lookupCount("api.test")).isEqualTo(2);
        }
    }

    @Test
    void aSocketMadeWithTheNameTriesTheFirstAddressOnly() throws Exception {
        try (FakeTcpServer refusing = FakeTcpServer.builder().mode(ConnectionMode.REFUSE).start();
                FakeHosts.Registration names = FakeHosts.register(FakeName.resolving("api.test", V4, V6))) {
            // new Socket(host, port) takes InetAddress.getByName(host): the first address, no fallback
            assertThatThrownBy(() -> new Socket("api.test", refusing.port()))
                    .isExactlyInstanceOf(ConnectException.class).hasMessage("Connection refused");
            assertThat(names.lookupCount("api.test")).isEqualTo(1);
        }
    }

    @Test
    void theJdksFamilyPreferenceOrdersTheAddressesAsForARealName() throws Exception {
        // java.net.preferIPv6Addresses is false by default: IPv4 first, as the JDK asks its resolver
        try (FakeHosts.Registration names = FakeHosts.register(FakeName.resolving("api.test", V6, V4))) {
            assertThat(Arrays.stream(InetAddress.getAllByName("api.test")).map(InetAddress::getHostAddress))
                    .containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
        }
    }

    @Test
    void aNameResolvesDifferentlyOnALaterLookup() throws Exception {
        try (FakeHosts.Registration names = FakeHosts.register(
                FakeName.resolving("moved.test", V4).thenResolving(V6).thenUnknown())) {
            assertThat(InetAddress.getByName("moved.test")).isInstanceOf(Inet4Address.class);
            assertThat(InetAddress.getByName("moved.test")).isInstanceOf(Inet6Address.class);
            assertThatThrownBy(() -> InetAddress.getByName("moved.test")).isInstanceOf(UnknownHostException.class);
            assertThatThrownBy(() -> InetAddress.getByName("moved.test")).isInstanceOf(UnknownHostException.class);
            assertThat(names.lookupCount("moved.test")).isEqualTo(4);
        }
    }

    @Test
    void unfakedNamesResolveAsBefore() throws Exception {
        List<InetAddress> before = List.of(InetAddress.getAllByName("localhost"));
        try (FakeHosts.Registration names = FakeHosts.register(FakeName.unknown("db.internal"))) {
            assertThat(InetAddress.getAllByName("localhost")).containsExactlyElementsOf(before);
            assertThat(FakeHosts.lookupCount("localhost")).isZero();
        }
    }

    @Test
    void reverseLookupsAreTheJdksWhileANameIsFakedAndAreNotCounted() throws Exception {
        String before = InetAddress.getByAddress(V4.getAddress()).getHostName();
        String canonicalBefore = InetAddress.getByAddress(V4.getAddress()).getCanonicalHostName();
        try (FakeHosts.Registration names = FakeHosts.register(
                FakeName.resolving("data.pr4e.org", V4).thenResolving(V6))) {
            // any code in the JVM asking for 127.0.0.1's name gets what it got before, not the faked name
            assertThat(InetAddress.getByAddress(V4.getAddress()).getHostName()).isEqualTo(before)
                    .isNotEqualTo("data.pr4e.org");
            assertThat(InetAddress.getByAddress(V4.getAddress()).getCanonicalHostName()).isEqualTo(canonicalBefore);
            assertThat(names.lookupCount("data.pr4e.org")).isZero(); // no forward check reached the fake

            InetAddress resolved = InetAddress.getByName("data.pr4e.org");
            assertThat(resolved.getHostName()).isEqualTo("data.pr4e.org"); // kept from the lookup
            assertThat(resolved.getCanonicalHostName()).isEqualTo(canonicalBefore); // the JDK's reverse lookup
            assertThat(names.lookupCount("data.pr4e.org")).isEqualTo(1);
            // the sequence was not advanced by the reverse lookups: the second lookup gets the second answer
            assertThat(InetAddress.getByName("data.pr4e.org")).isInstanceOf(Inet6Address.class);
            assertThat(names.lookupCount("data.pr4e.org")).isEqualTo(2);
        }
    }

    @Test
    void anIdenticalFakeIsSharedADifferentOneFailsAndNothingOfItIsApplied() throws Exception {
        FakeName fake = FakeName.resolving("shared.test", V4);
        try (FakeHosts.Registration first = FakeHosts.register(fake)) {
            assertThatThrownBy(() -> FakeHosts.register(FakeName.unknown("other.test"),
                    FakeName.resolving("Shared.Test", V6)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Expected to fake host name shared.test as [0:0:0:0:0:0:0:1], but it is faked "
                            + "already as [127.0.0.1] by another registration (a test running at the same time?). "
                            + "Identical fakes of a name with a single answer are shared; different ones, and fakes "
                            + "whose answer changes from lookup to lookup, cannot be active at once: give the tests "
                            + "different names, or keep them apart, for example with @ResourceLock(\"shared.test\").");
            assertThat(FakeHosts.fakedNames()).containsExactly("shared.test"); // other.test was not registered

            FakeHosts.Registration second = FakeHosts.register(FakeName.resolving("shared.test", V4));
            InetAddress.getByName("shared.test");
            second.close();
            second.close(); // idempotent
            assertThat(FakeHosts.fakedNames()).containsExactly("shared.test"); // the first still holds it
            InetAddress.getByName("shared.test");
            assertThat(first.lookupCount("shared.test")).isEqualTo(2);
            assertThat(second.lookupCount("shared.test")).isEqualTo(2); // shared, frozen after close
        }
    }

    @Test
    void anIdenticalChangingFakeIsNotSharedItsAnswersAndCountStayWithItsRegistration() throws Exception {
        FakeName moving = FakeName.resolving("moved.test", V4).thenResolving(V6);
        try (FakeHosts.Registration first = FakeHosts.register(moving)) {
            assertThatThrownBy(() -> FakeHosts.register(FakeName.unknown("other.test"), moving))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Expected to fake host name moved.test as [127.0.0.1]; then [0:0:0:0:0:0:0:1], but "
                            + "it is faked already as [127.0.0.1]; then [0:0:0:0:0:0:0:1] by another registration (a "
                            + "test running at the same time?). Identical fakes of a name with a single answer are "
                            + "shared; different ones, and fakes whose answer changes from lookup to lookup, cannot "
                            + "be active at once: give the tests different names, or keep them apart, for example "
                            + "with @ResourceLock(\"moved.test\").");
            assertThat(FakeHosts.fakedNames()).containsExactly("moved.test"); // other.test was not registered
            // the first registration's sequence is untouched: its first lookup gets the first answer
            assertThat(InetAddress.getByName("moved.test")).isInstanceOf(Inet4Address.class);
            assertThat(InetAddress.getByName("moved.test")).isInstanceOf(Inet6Address.class);
            assertThat(first.lookupCount("moved.test")).isEqualTo(2);
        }
        // once the first is closed, the same fake registers afresh, from its first answer and a count of 0
        try (FakeHosts.Registration again = FakeHosts.register(moving)) {
            assertThat(again.lookupCount("moved.test")).isZero();
            assertThat(InetAddress.getByName("moved.test")).isInstanceOf(Inet4Address.class);
        }
    }

    @Test
    void badInputFailsWhereItIsWritten() {
        assertThatThrownBy(() -> FakeName.resolving("example.test", address("0.0.0.0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected a loopback address (127.0.0.0/8 or ::1) for a faked name, but got 0.0.0.0: "
                        + "a faked name leads only to this machine's fake servers");
        assertThatThrownBy(() -> FakeName.unknown("127.0.0.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address literal");
        assertThatThrownBy(() -> FakeName.unknown("two words")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeName.resolving("LocalHost", V4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected a host name other than localhost, but got LocalHost: localhost is the loopback "
                        + "address for every fake server and client of the JVM");
        assertThatThrownBy(() -> FakeName.resolving("none.test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeName.slow("slow.test", Duration.ofMillis(-1), V4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeHosts.register(FakeName.unknown("a.test"), FakeName.unknown("A.test")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a.test is faked twice");
    }

    @Test
    void describesItself() {
        assertThat(FakeName.resolving("a.test", V4, V6).thenUnknown()
                .then(FakeName.Answer.after(Duration.ofSeconds(2), V4)))
                .hasToString("a.test -> [127.0.0.1, 0:0:0:0:0:0:0:1]; then no such host; then after 2000 ms: "
                        + "[127.0.0.1]");
    }
}
