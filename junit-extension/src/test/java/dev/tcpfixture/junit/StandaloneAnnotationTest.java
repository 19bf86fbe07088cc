package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code @TcpServer} registers the extension itself: fields and parameters work in a class without
 * {@code @WithTcpServer}; two extensions for one class fail it clearly.
 */
class StandaloneAnnotationTest {

    static final Map<String, Object> seen = new ConcurrentHashMap<>();

    // ---- no @WithTcpServer anywhere ----

    @UserTests
    static class StaticField {

        @TcpServer
        static FakeTcpServer shared;

        @Test
        void first() throws Exception {
            seen.put("first", shared);
            assertThat(TestKit.converse(shared.address(), "PING")).isEmpty();
        }

        @Test
        void second() {
            seen.put("second", shared);
        }
    }

    @Test
    void aStaticFieldGetsAPerClassServerWithoutWithTcpServer() {
        seen.clear();

        TestKit.run(StaticField.class).testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

        assertThat(seen.get("first")).isNotNull().isSameAs(seen.get("second"));
        FakeTcpServer server = (FakeTcpServer) seen.get("first");
        assertThat(server.connectionCount()).isEqualTo(1);
        assertThat(server.isClosed()).isTrue();
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    @UserTests
    static class InstanceFieldAndParameter {

        @TcpServer
        FakeTcpServer field;

        @BeforeAll
        static void beforeAll(@TcpServer("class") InetSocketAddress address) {
            seen.put("beforeAll", address);
        }

        @Test
        void test(@TcpServer FakeTcpServer parameter, @TcpServer("class") InetSocketAddress classServer,
                @TcpServer("other") int otherPort) {
            seen.put("field", field);
            seen.put("parameter", parameter);
            seen.put("classServer", classServer);
            seen.put("otherPort", otherPort);
        }

        @Nested
        class Inner {

            @Test
            void nested(@TcpServer FakeTcpServer parameter) {
                seen.put("nestedField", field);
                seen.put("nestedParameter", parameter);
            }
        }
    }

    @Test
    void anInstanceFieldAndParametersGetServersWithoutWithTcpServer() {
        seen.clear();

        TestKit.run(InstanceFieldAndParameter.class).testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(2));

        assertThat(seen.get("field")).isNotNull().isSameAs(seen.get("parameter"));
        // a test's parameter is per test; a @BeforeAll method's parameter is per class
        assertThat(seen.get("classServer")).isNotNull().isNotEqualTo(seen.get("beforeAll"));
        assertThat(seen.get("beforeAll")).isNotNull();
        assertThat(seen.get("otherPort")).isNotNull()
                .isNotEqualTo(((FakeTcpServer) seen.get("field")).port());
        assertThat(seen.get("nestedField")).isNotNull().isSameAs(seen.get("nestedParameter"))
                .isNotSameAs(seen.get("field"));
        assertThat(List.of(seen.get("field"), seen.get("nestedField")))
                .allSatisfy(server -> assertThat(((FakeTcpServer) server).isClosed()).isTrue());
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    @UserTests
    static class ParameterOnly {

        @Test
        void brokenScript(@TcpServer FakeTcpServer server) throws Exception {
            server.enqueue(Script.create().expectLine("HELLO").sendLine("WELCOME").close());
            TestKit.converse(server.address(), "GOODBYE");
        }
    }

    @Test
    void aServerOnAParameterAloneIsVerifiedAfterTheTest() {
        EngineExecutionResults results = TestKit.run(ParameterOnly.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(TestKit.failureOf(results, "brokenScript")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("\"GOODBYE\"");
    }

    // ---- one extension, or a clear failure ----

    /**
     * JUnit reads the fields in an order of its own, not in the order of declaration: whichever it reads first,
     * the extension in the {@code @RegisterExtension} field serves the class.
     */
    @UserTests
    static class Registered {

        @TcpServer
        static FakeTcpServer a;

        @RegisterExtension
        static TcpServerExtension extension = TcpServerExtension.builder().recordingLimit(16).build();

        @TcpServer
        static FakeTcpServer z;

        @TcpServer("instance")
        FakeTcpServer instanceField;

        @Test
        void test(@TcpServer("parameter") FakeTcpServer server) throws Exception {
            for (FakeTcpServer each : List.of(a, z, instanceField, server)) {
                TestKit.converse(each.address(), "0123456789abcdefghijklmnopqrstuvwxyz");
                seen.merge("recorded", List.of(each.takeConnection(Duration.ofSeconds(5)).received().length),
                        (before, more) -> concat(before, more));
            }
            seen.put("same", a == z);
        }

        @Nested
        class Inner {

            @Test
            void nested(@TcpServer FakeTcpServer server) throws Exception {
                TestKit.converse(server.address(), "0123456789abcdefghijklmnopqrstuvwxyz");
                seen.put("nested", server.takeConnection(Duration.ofSeconds(5)).received().length);
            }
        }
    }

    @UserTests
    @WithTcpServer
    static class AnnotatedAndRegistered {

        @RegisterExtension
        static TcpServerExtension extension = TcpServerExtension.builder().recordingLimit(8).build();

        @Test
        void test(@TcpServer FakeTcpServer server) throws Exception {
            TestKit.converse(server.address(), "0123456789abcdefghijklmnopqrstuvwxyz");
            seen.put("annotated", server.takeConnection(Duration.ofSeconds(5)).received().length);
        }
    }

    @Test
    void anExtensionInAStaticRegisterExtensionFieldServesTheClassWhereverTheFieldIs() {
        seen.clear();

        TestKit.run(Map.of(), Registered.class, AnnotatedAndRegistered.class).testEvents()
                .assertStatistics(stats -> stats.started(3).succeeded(3));

        assertThat(seen.get("recorded")).isEqualTo(List.of(16, 16, 16, 16));
        assertThat(seen.get("same")).isEqualTo(true);
        assertThat(seen.get("nested")).isEqualTo(16);
        assertThat(seen.get("annotated")).isEqualTo(8);
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    @UserTests
    static class TwoRegistered {

        @RegisterExtension
        static TcpServerExtension first = TcpServerExtension.builder().recordingLimit(8).build();

        @RegisterExtension
        static TcpServerExtension second = TcpServerExtension.builder().recordingLimit(16).build();

        @Test
        void test(@TcpServer FakeTcpServer server) {
        }
    }

    @UserTests
    static class RegisteredInAnInstanceField {

        @RegisterExtension
        TcpServerExtension extension = TcpServerExtension.builder().recordingLimit(8).build();

        @Test
        void test(@TcpServer FakeTcpServer server) {
        }
    }

    @Test
    void twoExtensionsForOneClassFailItSayingWhatToDo() {
        for (Class<?> testClass : List.of(TwoRegistered.class, RegisteredInAnInstanceField.class)) {
            EngineExecutionResults results = TestKit.run(testClass);

            List<Throwable> failures = TestKit.failures(results.allEvents());
            assertThat(failures).as(testClass.getSimpleName()).isNotEmpty().allSatisfy(failure ->
                    assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                            .hasMessageStartingWith("Expected one TcpServerExtension for ")
                            .hasMessageContaining(testClass.getName() + ", but two serve it: TcpServerExtension[")
                            .hasMessageEndingWith("register at most one per class, in a static field."));
            results.testEvents().assertStatistics(stats -> stats.succeeded(0));
        }
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Object concat(Object before, Object more) {
        List<Object> all = new java.util.ArrayList<>((List<Object>) before);
        all.addAll((List<Object>) more);
        return all;
    }
}
