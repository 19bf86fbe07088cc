package dev.tcpfixture.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.FakeHost;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.UnknownHost;
import dev.tcpfixture.names.TestKit.UserTests;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @FakeHost} and {@code @UnknownHost} of the JUnit extension, with this module present, on JDK 25. */
class FakeHostAnnotationTest {

    static String ping(String host, int port) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @AfterEach
    void nothingLeftBehind() {
        assertThat(FakeHosts.fakedNames()).isEmpty();
    }

    @UserTests
    static class Faking {

        @TcpServer
        FakeTcpServer defaultServer;

        @BeforeEach
        void theNameIsFakedBeforeTheBeforeEachMethods() throws UnknownHostException {
            InetAddress.getByName("data.pr4e.org");
        }

        @Test
        @FakeHost(name = "data.pr4e.org", server = "web")
        void byParameter(@TcpServer("web") FakeTcpServer server) throws IOException {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            assertThat(ping("data.pr4e.org", server.port())).isEqualTo("PONG");
            assertThat(FakeHosts.lookupCount("data.pr4e.org")).isEqualTo(2);
        }

        @Test
        @FakeHost(name = "data.pr4e.org")
        void byField() throws IOException {
            defaultServer.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            assertThat(ping("DATA.pr4e.org", defaultServer.port())).isEqualTo("PONG");
        }

        @Test
        @FakeHost(name = "data.pr4e.org", server = "v6")
        void ipv6(@TcpServer(value = "v6", ipv6 = true) FakeTcpServer server) throws IOException {
            assertThat(InetAddress.getByName("data.pr4e.org")).isInstanceOf(Inet6Address.class);
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            assertThat(ping("data.pr4e.org", server.port())).isEqualTo("PONG");
        }

        @Test
        @FakeHost(name = "data.pr4e.org", delay = "PT0.2S")
        void slow() throws IOException {
            long start = System.nanoTime();
            InetAddress.getByName("data.pr4e.org");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @UserTests
    @UnknownHost({"db.internal", "data.pr4e.org"})
    static class UnknownOnTheClass {

        @Test
        void bothUnknown() {
            assertThatThrownBy(() -> InetAddress.getByName("db.internal")).isInstanceOf(UnknownHostException.class);
            assertThatThrownBy(() -> new Socket("data.pr4e.org", 80)).isInstanceOf(UnknownHostException.class);
        }

        @Test
        @FakeHost(name = "data.pr4e.org")
        void theMethodReplacesTheClassForOneName(@TcpServer FakeTcpServer server) throws IOException {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            assertThat(ping("data.pr4e.org", server.port())).isEqualTo("PONG");
            assertThatThrownBy(() -> InetAddress.getByName("db.internal")).isInstanceOf(UnknownHostException.class);
        }
    }

    @UserTests
    @FakeHost(name = "data.pr4e.org", server = "shared")
    static class OnTheClassWithAPerClassServer {

        @TcpServer(value = "shared", ipv6 = true)
        static FakeTcpServer shared;

        @Test
        void first() throws IOException {
            assertThat(InetAddress.getByName("data.pr4e.org")).isInstanceOf(Inet6Address.class);
        }

        @Test
        void second() throws IOException {
            assertThat(InetAddress.getByName("data.pr4e.org").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        }

        @Nested
        class Inner {

            @Test
            void theEnclosingClassesFakeHolds() throws IOException {
                assertThat(InetAddress.getByName("data.pr4e.org")).isInstanceOf(Inet6Address.class);
            }
        }
    }

    @UserTests
    static class Misconfigured {

        @Test
        @FakeHost(name = "data.pr4e.org", server = "web")
        void noSuchServer(@TcpServer("api") FakeTcpServer server) {
        }

        @Test
        @FakeHost(name = "data.pr4e.org", delay = "2s")
        void badDelay(@TcpServer FakeTcpServer server) {
        }

        @Test
        @FakeHost(name = "not a name")
        void badName(@TcpServer FakeTcpServer server) {
        }
    }

    @Test
    void fakesNamesPerTestAndEndsThem() {
        EngineExecutionResults results = TestKit.run(Map.of(), Faking.class, UnknownOnTheClass.class,
                OnTheClassWithAPerClassServer.class);
        results.testEvents().assertStatistics(stats -> stats.started(9).succeeded(9));
    }

    /** Where a class's fake holds, as the annotations' Javadoc says: from before each test's @BeforeEach methods. */
    @UserTests
    @UnknownHost("scope.test")
    static class ClassLevelScope {

        static final List<String> SEEN = new CopyOnWriteArrayList<>();

        static void record(String where) {
            SEEN.add(where + " " + FakeHosts.fakedNames().contains("scope.test"));
        }

        static {
            record("static initialiser");
        }

        ClassLevelScope() {
            record("constructor");
        }

        @BeforeAll
        static void beforeAll() {
            record("@BeforeAll");
        }

        @BeforeEach
        void beforeEach() {
            record("@BeforeEach");
        }

        @Test
        void test() {
            record("test");
        }

        @AfterEach
        void afterEach() {
            record("@AfterEach");
        }

        @AfterAll
        static void afterAll() {
            record("@AfterAll");
        }
    }

    @Test
    void aClassesFakeHoldsFromBeforeEachToAfterEachOnly() {
        EngineExecutionResults results = TestKit.run(Map.of(), ClassLevelScope.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(ClassLevelScope.SEEN).containsExactly("static initialiser false", "@BeforeAll false",
                "constructor false", "@BeforeEach true", "test true", "@AfterEach true", "@AfterAll false");
    }

    @Test
    void misconfigurationFailsTheTestSayingWhat() {
        EngineExecutionResults results = TestKit.run(Map.of(), Misconfigured.class);
        results.testEvents().assertStatistics(stats -> stats.started(3).failed(3));
        assertThat(TestKit.failureOf(results, "noSuchServer"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@FakeHost(name = \"data.pr4e.org\", server = \"web\") on method [")
                .hasMessageEndingWith("names a server the test does not use: no @TcpServer(\"web\") on a field of "
                        + "the test class or a parameter of the test method");
        assertThat(TestKit.failureOf(results, "badDelay"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageEndingWith("delay must be an ISO-8601 duration such as PT2S, was '2s'");
        assertThat(TestKit.failureOf(results, "badName"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("could not fake the name for test badName(FakeTcpServer): Expected a host "
                        + "name (letters, digits, '-', '_' and '.', at most 253 characters), but got \"not a name\"");
    }

    // ---- two tests at once ----

    /** The hand-over between the two tests of one run: fresh for each run. */
    record Latches(CountDownLatch firstHolds, CountDownLatch secondDone) {
        Latches() {
            this(new CountDownLatch(1), new CountDownLatch(1));
        }
    }

    static volatile Latches latches = new Latches();

    /** Holds the second test until the first one faked its name, and tells the first when the second is done. */
    static final class AfterTheFirst implements BeforeEachCallback, AfterEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) throws InterruptedException {
            assertThat(latches.firstHolds().await(20, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void afterEach(ExtensionContext context) {
            latches.secondDone().countDown();
        }
    }

    @UserTests
    static class FirstFaker {

        @Test
        @FakeHost(name = "shared.test")
        void first(@TcpServer FakeTcpServer server) throws Exception {
            latches.firstHolds().countDown();
            assertThat(latches.secondDone().await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(InetAddress.getByName("shared.test").getHostAddress()).isEqualTo("127.0.0.1");
        }
    }

    @UserTests
    @ExtendWith(AfterTheFirst.class)
    static class SecondFakerDifferently {

        @Test
        @FakeHost(name = "shared.test")
        void second(@TcpServer(ipv6 = true) FakeTcpServer server) {
        }
    }

    @UserTests
    @ExtendWith(AfterTheFirst.class)
    static class SecondFakerIdentically {

        @Test
        @FakeHost(name = "shared.test")
        void second(@TcpServer FakeTcpServer server) throws Exception {
            assertThat(InetAddress.getByName("shared.test").getHostAddress()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void twoTestsAtOnceFakingOneNameDifferentlyTheSecondFails() {
        EngineExecutionResults results = runFirstAndSecond(SecondFakerDifferently.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(TestKit.failureOf(results, "second"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@FakeHost(name = \"shared.test\", server = \"\") on method [")
                .hasMessageEndingWith("could not fake the name for test second(FakeTcpServer): Expected to fake host "
                        + "name shared.test as [0:0:0:0:0:0:0:1], but it is faked already as [127.0.0.1] by another "
                        + "registration (a test running at the same time?). Identical fakes of a name with a single "
                        + "answer are shared; different ones, and fakes whose answer changes from lookup to lookup, "
                        + "cannot be active at once: give the tests different names, or keep them apart, for "
                        + "example with @ResourceLock(\"shared.test\").");
    }

    @Test
    void twoTestsAtOnceFakingOneNameIdenticallyShareIt() {
        EngineExecutionResults results = runFirstAndSecond(SecondFakerIdentically.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
    }

    private static EngineExecutionResults runFirstAndSecond(Class<?> second) {
        latches = new Latches();
        return TestKit.run(TestKit.parallel(2), FirstFaker.class, second);
    }
}
