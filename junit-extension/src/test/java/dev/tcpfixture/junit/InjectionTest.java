package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Which values {@code @TcpServer} injects where, and the errors for elements it cannot serve.
 */
class InjectionTest {

    // ---- every supported type, in fields and parameters ----

    @UserTests
    @WithTcpServer
    static class EveryType {

        static final List<Object> seen = new CopyOnWriteArrayList<>();

        @TcpServer
        FakeTcpServer serverField;

        @TcpServer
        int portField;

        @TcpServer
        Integer boxedPortField;

        @TcpServer
        private InetSocketAddress addressField;

        @Test
        void injects(@TcpServer FakeTcpServer server, @TcpServer int port, @TcpServer Integer boxedPort,
                @TcpServer InetSocketAddress address) throws Exception {
            seen.addAll(List.of(server, port, boxedPort, address, serverField, portField, boxedPortField,
                    addressField));
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());
            assertThat(TestKit.converse(address, "PING")).containsExactly("PONG");
            seen.add(server.isClosed());
        }
    }

    @Test
    void injectsTheServerItsPortAndItsAddressIntoParametersAndFields() {
        EveryType.seen.clear();

        TestKit.run(EveryType.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        List<Object> seen = EveryType.seen;
        FakeTcpServer server = (FakeTcpServer) seen.get(0);
        assertThat(seen).containsExactly(server, server.port(), server.port(), server.address(), server,
                server.port(), server.port(), server.address(), false);
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.isClosed()).as("closed after the test").isTrue();
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    // ---- one server per name and test, shared by lifecycle methods, fields and the constructor ----

    @UserTests
    @WithTcpServer
    static class SameNameSameServer {

        static final List<List<FakeTcpServer>> perTest = new CopyOnWriteArrayList<>();
        static final List<Boolean> earlierClosed = new CopyOnWriteArrayList<>();

        final FakeTcpServer fromConstructor;
        final List<FakeTcpServer> servers = new CopyOnWriteArrayList<>();

        @TcpServer
        FakeTcpServer fromField;

        SameNameSameServer(@TcpServer FakeTcpServer server) {
            this.fromConstructor = server;
        }

        @BeforeEach
        void setUp(@TcpServer FakeTcpServer server) {
            servers.addAll(List.of(fromConstructor, fromField, server));
        }

        @Test
        void first(@TcpServer FakeTcpServer server) {
            record(server);
        }

        @Test
        void second(@TcpServer FakeTcpServer server) {
            record(server);
        }

        @AfterEach
        void tearDown(@TcpServer FakeTcpServer server) {
            servers.add(server);
            perTest.add(List.copyOf(servers));
        }

        private void record(FakeTcpServer server) {
            servers.add(server);
            earlierClosed.add(perTest.stream().allMatch(earlier -> earlier.get(0).isClosed()));
        }
    }

    @Test
    void everyElementWithTheSameNameGetsTheSameServerWithinATestAndANewOneInTheNext() {
        SameNameSameServer.perTest.clear();
        SameNameSameServer.earlierClosed.clear();

        TestKit.run(SameNameSameServer.class).testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

        List<List<FakeTcpServer>> perTest = SameNameSameServer.perTest;
        assertThat(perTest).hasSize(2);
        for (List<FakeTcpServer> servers : perTest) {
            // constructor, field, @BeforeEach, test and @AfterEach parameter
            assertThat(servers).hasSize(5).containsOnly(servers.get(0));
        }
        assertThat(perTest.get(0).get(0)).isNotSameAs(perTest.get(1).get(0));
        assertThat(SameNameSameServer.earlierClosed).as("the first test's server was closed before the second ran")
                .containsExactly(true, true);
        assertThat(perTest).allSatisfy(servers -> assertThat(servers.get(0).isClosed()).isTrue());
    }

    // ---- names ----

    /** A composed annotation: {@code @TcpServer} works as a meta-annotation too. */
    @Target({ElementType.FIELD, ElementType.PARAMETER})
    @Retention(RetentionPolicy.RUNTIME)
    @TcpServer("replica")
    @interface Replica {
    }

    @UserTests
    @WithTcpServer
    static class NamedServers {

        static final List<Object> seen = new CopyOnWriteArrayList<>();

        @Replica
        FakeTcpServer replicaField;

        @Test
        void distinct(@TcpServer("primary") FakeTcpServer primary, @TcpServer("replica") FakeTcpServer replica,
                @TcpServer FakeTcpServer unnamed, @TcpServer("primary") int primaryPort) {
            seen.addAll(List.of(primary, replica, unnamed, primaryPort, replicaField));
        }
    }

    @Test
    void serversWithDifferentNamesAreDistinct() {
        NamedServers.seen.clear();

        TestKit.run(NamedServers.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        FakeTcpServer primary = (FakeTcpServer) NamedServers.seen.get(0);
        FakeTcpServer replica = (FakeTcpServer) NamedServers.seen.get(1);
        FakeTcpServer unnamed = (FakeTcpServer) NamedServers.seen.get(2);
        assertThat(List.of(primary.port(), replica.port(), unnamed.port())).doesNotHaveDuplicates();
        assertThat(NamedServers.seen.get(3)).isEqualTo(primary.port());
        assertThat(NamedServers.seen.get(4)).isSameAs(replica);
    }

    // ---- attributes ----

    @UserTests
    @WithTcpServer
    static class Ipv6Attribute {

        static final List<Object> seen = new CopyOnWriteArrayList<>();

        @Test
        void ipv6(@TcpServer(ipv6 = true) FakeTcpServer server) throws Exception {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());
            seen.add(server.host());
            seen.add(TestKit.converse(server.address(), "PING"));
        }
    }

    @Test
    void theIpv6AttributeBindsTheIpv6Loopback() throws Exception {
        assumeTrue(TestKit.hasIpv6Loopback(), "this machine has no ::1");
        Ipv6Attribute.seen.clear();

        TestKit.run(Ipv6Attribute.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(Ipv6Attribute.seen).containsExactly("::1", List.of("PONG"));
    }

    @UserTests
    @WithTcpServer
    static class ModeAttribute {

        static final List<Object> seen = new CopyOnWriteArrayList<>();

        @Test
        void initialMode(@TcpServer(value = "refusing", mode = ConnectionMode.REFUSE) FakeTcpServer server) {
            seen.add(server.mode());
            assertThatThrownBy(() -> new Socket(server.host(), server.port()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void theModeAttributeSetsTheInitialMode() {
        ModeAttribute.seen.clear();

        TestKit.run(ModeAttribute.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(ModeAttribute.seen).containsExactly(ConnectionMode.REFUSE);
    }

    @UserTests
    @WithTcpServer
    static class ConflictingAttributes {

        @BeforeEach
        void setUp(@TcpServer FakeTcpServer server) {
        }

        @Test
        void conflict(@TcpServer(ipv6 = true) FakeTcpServer server) {
        }

        @Test
        void defaultsInheritTheFirstDeclaration(@TcpServer("v6") int port,
                @TcpServer(value = "v6", ipv6 = true) FakeTcpServer server) {
        }
    }

    @Test
    void aLaterElementMustNotAskForOtherAttributesThanTheServerWasCreatedWith() {
        EngineExecutionResults results = TestKit.run(ConflictingAttributes.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(0).failed(2));
        assertThat(TestKit.failureOf(results, "conflict"))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("@TcpServer on parameter [")
                .hasMessageContaining("asks for ipv6 = true, but it was created with ipv6 = false by parameter [")
                .hasMessageContaining("setUp");
        assertThat(TestKit.failureOf(results, "defaultsInheritTheFirstDeclaration"))
                .hasMessageContaining("@TcpServer(\"v6\")")
                .hasMessageContaining("asks for ipv6 = true, but it was created with ipv6 = false");
    }

    // ---- static fields inherited by several classes ----

    /** Not a test class itself: two test classes inherit its static field. */
    @WithTcpServer
    abstract static class SharedBase {

        static final Map<String, FakeTcpServer> seen = new ConcurrentHashMap<>();

        @TcpServer
        static FakeTcpServer inherited;

        @Test
        void recordsTheInheritedServer() {
            seen.put(getClass().getSimpleName(), inherited);
        }
    }

    @UserTests
    static class FirstHeir extends SharedBase {
    }

    @UserTests
    static class SecondHeir extends SharedBase {
    }

    @Test
    void classesThatRunOneAfterTheOtherEachGetTheirOwnServerInAnInheritedStaticField() {
        SharedBase.seen.clear();

        TestKit.run(Map.of(), FirstHeir.class, SecondHeir.class).allEvents()
                .assertStatistics(stats -> stats.failed(0).succeeded(5));

        assertThat(SharedBase.seen).containsOnlyKeys("FirstHeir", "SecondHeir");
        assertThat(SharedBase.seen.get("FirstHeir")).isNotSameAs(SharedBase.seen.get("SecondHeir"));
        assertThat(SharedBase.seen.values()).allSatisfy(server -> assertThat(server.isClosed()).isTrue());
    }

    @Test
    void aClassThatRunsConcurrentlyMustNotInheritAStaticField() {
        SharedBase.seen.clear();

        EngineExecutionResults results = TestKit.run(TestKit.parallel("same_thread", "concurrent"),
                FirstHeir.class, SecondHeir.class);

        results.testEvents().assertStatistics(stats -> stats.started(0));
        assertThat(TestKit.failures(results.containerEvents())).hasSize(2).allSatisfy(failure ->
                assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                        .hasMessageStartingWith("@TcpServer cannot be injected into static field [FakeTcpServer "
                                + SharedBase.class.getName() + ".inherited] for ")
                        .hasMessageContaining(": the field is inherited from " + SharedBase.class.getName()
                                + ", and ")
                        .hasMessageContaining("Heir runs concurrently (ExecutionMode.CONCURRENT) with other classes")
                        .hasMessageEndingWith("Declare the static field in the test class itself, or run the "
                                + "class with @Execution(SAME_THREAD)."));
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    /**
     * Counts down when its class is done; registered on both classes below, so that each class's test can wait
     * until the other class tried to take the static field.
     */
    static class ClassDone implements AfterAllCallback {

        static final Map<Class<?>, CountDownLatch> done = new ConcurrentHashMap<>();

        @Override
        public void afterAll(ExtensionContext context) {
            done.get(context.getRequiredTestClass()).countDown();
        }
    }

    /** Declares its own static field and runs concurrently; its subclass runs in the same thread as the engine. */
    @UserTests
    @ExtendWith(ClassDone.class)
    @WithTcpServer
    @Execution(ExecutionMode.CONCURRENT)
    static class OwnStaticField {

        @TcpServer
        static FakeTcpServer server;

        @Test
        void holdsItsServerUntilTheOtherClassIsDone() throws InterruptedException {
            Class<?> other = getClass() == OwnStaticField.class ? SameThreadHeir.class : OwnStaticField.class;
            assertThat(ClassDone.done.get(other).await(10, TimeUnit.SECONDS)).as("the other class is done").isTrue();
        }
    }

    @UserTests
    @Execution(ExecutionMode.SAME_THREAD)
    static class SameThreadHeir extends OwnStaticField {
    }

    @Test
    void aClassCannotTakeAStaticFieldThatAClassRunningAtTheSameTimeHolds() {
        ClassDone.done.put(OwnStaticField.class, new CountDownLatch(1));
        ClassDone.done.put(SameThreadHeir.class, new CountDownLatch(1));

        EngineExecutionResults results = TestKit.run(TestKit.parallel("same_thread", "same_thread"),
                OwnStaticField.class, SameThreadHeir.class);

        // which of the two takes the field first depends on timing; the other fails
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(TestKit.failures(results.containerEvents()))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@TcpServer cannot be injected into static field [FakeTcpServer "
                        + OwnStaticField.class.getName() + ".server] for ")
                .hasMessageContaining(", which runs at the same time, holds it. A static field can hold the server "
                        + "of one class at a time");
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    // ---- unsupported elements ----

    @UserTests
    @WithTcpServer
    static class WrongParameterType {

        @Test
        void wrongType(@TcpServer String server) {
        }
    }

    @Test
    void aParameterOfAnUnsupportedTypeFailsWithAParameterResolutionException() {
        EngineExecutionResults results = TestKit.run(WrongParameterType.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(TestKit.failureOf(results, "wrongType"))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageStartingWith("@TcpServer cannot be injected into parameter [java.lang.String ")
                .hasMessageContaining("] in void " + WrongParameterType.class.getName() + ".wrongType(java.lang.String)")
                .hasMessageContaining("its type is java.lang.String, but it must be FakeTcpServer, int, Integer or "
                        + "InetSocketAddress");
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    @UserTests
    @WithTcpServer
    static class WrongFieldType {

        @TcpServer
        String server;

        @Test
        void test() {
        }
    }

    @UserTests
    @WithTcpServer
    static class FinalField {

        @TcpServer
        final FakeTcpServer server = null;

        @Test
        void test() {
        }
    }

    @UserTests
    @WithTcpServer
    static class WrongStaticFieldType {

        @TcpServer
        static long port;

        @Test
        void test() {
        }
    }

    @Test
    void aFieldOfAnUnsupportedTypeOrAFinalFieldFailsWithAnExtensionConfigurationException() {
        EngineExecutionResults wrongType = TestKit.run(WrongFieldType.class);
        assertThat(TestKit.failureOf(wrongType, "test"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@TcpServer cannot be injected into field [String " + WrongFieldType.class.getName()
                        + ".server]: its type is java.lang.String, but it must be FakeTcpServer, int, Integer or "
                        + "InetSocketAddress");

        EngineExecutionResults finalField = TestKit.run(FinalField.class);
        assertThat(TestKit.failureOf(finalField, "test"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageEndingWith(FinalField.class.getName() + ".server]: it must not be final");

        EngineExecutionResults staticField = TestKit.run(WrongStaticFieldType.class);
        staticField.testEvents().assertStatistics(stats -> stats.started(0));
        assertThat(TestKit.failures(staticField.containerEvents()))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("static field [long " + WrongStaticFieldType.class.getName() + ".port]");
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }
}
