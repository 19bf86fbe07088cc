package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How long servers live: per test, per class, in {@code @Nested} classes and with {@code PER_CLASS} instances.
 */
class LifecycleTest {

    /** What the user tests saw, by key; cleared before each run. */
    static final Map<String, Object> seen = new ConcurrentHashMap<>();

    static FakeTcpServer server(String key) {
        return (FakeTcpServer) seen.get(key);
    }

    // ---- per test and per class ----

    @UserTests
    @WithTcpServer
    static class PerTestAndPerClass {

        @TcpServer
        static FakeTcpServer shared;

        static final List<FakeTcpServer> perTest = new CopyOnWriteArrayList<>();

        @BeforeAll
        static void beforeAll(@TcpServer FakeTcpServer server) {
            seen.put("beforeAll", server);
        }

        @Test
        void first(@TcpServer FakeTcpServer server) {
            check(server);
        }

        @Test
        void second(@TcpServer FakeTcpServer server) {
            check(server);
        }

        private static void check(FakeTcpServer server) {
            assertThat(server).isNotSameAs(shared);
            assertThat(server.port()).isNotEqualTo(shared.port());
            assertThat(shared.isClosed()).isFalse();
            perTest.forEach(earlier -> assertThat(earlier.isClosed()).as("earlier per-test server closed").isTrue());
            perTest.add(server);
            seen.merge("sharedInTests", List.of(shared), (a, b) -> concat(a, b));
        }

        @AfterAll
        static void afterAll(@TcpServer FakeTcpServer server) {
            seen.put("afterAll", server);
            seen.put("closedAtAfterAll", server.isClosed());
        }
    }

    @Test
    void perTestServersAreNewForEachTestAndClosedAfterIt_perClassServersAreSharedAndClosedAfterAll() {
        seen.clear();
        PerTestAndPerClass.perTest.clear();

        TestKit.run(PerTestAndPerClass.class).testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

        FakeTcpServer shared = server("beforeAll");
        assertThat(shared).isSameAs(PerTestAndPerClass.shared).isSameAs(server("afterAll"));
        assertThat(seen.get("sharedInTests")).isEqualTo(List.of(shared, shared));
        assertThat(seen.get("closedAtAfterAll")).as("still open in @AfterAll methods").isEqualTo(false);
        assertThat(shared.isClosed()).isTrue();
        assertThat(PerTestAndPerClass.perTest).hasSize(2).doesNotHaveDuplicates()
                .allSatisfy(server -> assertThat(server.isClosed()).isTrue());
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    // ---- @Nested ----

    @UserTests
    @WithTcpServer
    static class Outer {

        @TcpServer
        static FakeTcpServer outerShared;

        @TcpServer
        FakeTcpServer outerField;

        @Test
        void outerTest(@TcpServer FakeTcpServer server) {
            assertThat(server).isSameAs(outerField).isNotSameAs(outerShared);
            seen.put("outerTest", server);
        }

        @AfterAll
        static void afterAll() {
            seen.put("innerOnlyClosedBeforeOuterAfterAll", server("innerOnly").isClosed());
            seen.put("outerSharedClosedAtOuterAfterAll", outerShared.isClosed());
        }

        @Nested
        class Inner {

            @TcpServer
            FakeTcpServer innerField;

            @BeforeAll
            static void beforeAll(@TcpServer FakeTcpServer shared, @TcpServer("innerOnly") FakeTcpServer innerOnly) {
                seen.put("innerBeforeAll", shared);
                seen.put("innerOnly", innerOnly);
            }

            @Test
            void innerTest(@TcpServer FakeTcpServer server) {
                assertThat(server).isSameAs(innerField).isSameAs(outerField).isNotSameAs(outerShared);
                seen.put("innerTest", server);
            }
        }
    }

    @Test
    void aNestedClassSharesTheEnclosingClassesPerClassServersAndGetsItsOwnPerTestServers() {
        seen.clear();

        TestKit.run(Outer.class).testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

        assertThat(server("innerBeforeAll")).as("nested @BeforeAll sees the outer per-class server")
                .isSameAs(Outer.outerShared);
        assertThat(server("innerTest")).isNotSameAs(server("outerTest"));
        assertThat(seen.get("innerOnlyClosedBeforeOuterAfterAll")).as("a nested class's own per-class server is "
                + "closed after the nested class").isEqualTo(true);
        assertThat(seen.get("outerSharedClosedAtOuterAfterAll")).isEqualTo(false);
        assertThat(List.of(Outer.outerShared, server("innerOnly"), server("innerTest"), server("outerTest")))
                .allSatisfy(server -> assertThat(server.isClosed()).isTrue());
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    // ---- PER_CLASS ----

    @UserTests
    @WithTcpServer
    @TestInstance(Lifecycle.PER_CLASS)
    static class PerClassInstance {

        @TcpServer
        FakeTcpServer field;

        final FakeTcpServer fromConstructor;

        PerClassInstance(@TcpServer("constructed") FakeTcpServer server) {
            this.fromConstructor = server;
        }

        @BeforeAll
        void beforeAll(@TcpServer FakeTcpServer server, @TcpServer("constructed") FakeTcpServer constructed) {
            assertThat(server).isSameAs(field);
            assertThat(constructed).isSameAs(fromConstructor);
            seen.put("perClass", server);
        }

        @BeforeEach
        void beforeEach(@TcpServer FakeTcpServer server) {
            seen.merge("beforeEach", List.of(server), (a, b) -> concat(a, b));
        }

        @Test
        void first(@TcpServer FakeTcpServer server) {
            check(server);
        }

        @Test
        void second(@TcpServer FakeTcpServer server) {
            check(server);
        }

        private void check(FakeTcpServer server) {
            assertThat(field).isSameAs(server("perClass"));
            assertThat(field.isClosed()).isFalse();
            assertThat(server).isNotSameAs(field);
            seen.merge("tests", List.of(server), (a, b) -> concat(a, b));
        }
    }

    @Test
    void withPerClassInstancesInstanceFieldsAndConstructorParametersArePerClass() {
        seen.clear();

        TestKit.run(PerClassInstance.class).testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

        assertThat(seen.get("tests")).isEqualTo(seen.get("beforeEach"));
        @SuppressWarnings("unchecked")
        List<FakeTcpServer> perTest = (List<FakeTcpServer>) seen.get("tests");
        assertThat(perTest).hasSize(2).doesNotHaveDuplicates();
        assertThat(server("perClass").isClosed()).isTrue();
        assertThat(perTest).allSatisfy(server -> assertThat(server.isClosed()).isTrue());
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    // ---- a PER_CLASS @Nested class shares the instance of its PER_METHOD enclosing class ----

    @UserTests
    @WithTcpServer
    static class PerMethodOuter {

        static volatile CountDownLatch bothInnerTestsRunning = new CountDownLatch(2);

        @TcpServer
        FakeTcpServer outerField;

        @Test
        void outerTest(@TcpServer FakeTcpServer server) {
            assertThat(outerField).as("a fresh instance for this test: per test").isSameAs(server);
            seen.put("outerTest", server);
        }

        /** Its tests may run at once under parallel execution (JUnit runs those of PER_CLASS classes in turn). */
        @Nested
        @TestInstance(Lifecycle.PER_CLASS)
        @Execution(ExecutionMode.CONCURRENT)
        class PerClassInner {

            @TcpServer("inner")
            FakeTcpServer innerField;

            @BeforeAll
            void beforeAll() {
                seen.put("outerFieldInBeforeAll", Optional.ofNullable(outerField));
            }

            @Test
            void first(@TcpServer FakeTcpServer server) throws InterruptedException {
                check("first", server);
            }

            @Test
            void second(@TcpServer FakeTcpServer server) throws InterruptedException {
                check("second", server);
            }

            private void check(String test, FakeTcpServer server) throws InterruptedException {
                FakeTcpServer before = outerField;
                // under parallel execution both tests wait here for each other (bounded), so they overlap
                bothInnerTestsRunning.countDown();
                if (concurrent()) {
                    assertThat(bothInnerTestsRunning.await(10, TimeUnit.SECONDS)).as("both ran at once").isTrue();
                }
                assertThat(outerField).as("not replaced while the test ran").isSameAs(before);
                assertThat(server).as("the parameter is per test").isNotSameAs(outerField);
                assertThat(outerField.isClosed()).isFalse();
                seen.put(test, List.of(outerField, server, innerField));
            }

            private boolean concurrent() {
                return seen.containsKey("concurrent");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkPerMethodOuter() {
        FakeTcpServer outerFieldInBeforeAll = ((Optional<FakeTcpServer>) seen.get("outerFieldInBeforeAll"))
                .orElseThrow(() -> new AssertionError("the nested @BeforeAll saw outerField null"));
        List<FakeTcpServer> first = (List<FakeTcpServer>) seen.get("first");
        List<FakeTcpServer> second = (List<FakeTcpServer>) seen.get("second");
        assertThat(first.get(0)).as("the shared outer instance's field is per class of the nested class")
                .isSameAs(second.get(0)).isSameAs(outerFieldInBeforeAll).isNotSameAs(server("outerTest"));
        assertThat(first.get(1)).isNotSameAs(second.get(1));
        assertThat(first.get(2)).isSameAs(second.get(2));
        assertThat(List.of(first.get(0), first.get(1), first.get(2), second.get(1), server("outerTest")))
                .allSatisfy(server -> assertThat(server.isClosed()).isTrue());
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    @Test
    void theFieldsOfAnEnclosingInstanceThatAPerClassNestedClassSharesArePerClassToo() {
        seen.clear();
        PerMethodOuter.bothInnerTestsRunning = new CountDownLatch(2);

        TestKit.run(PerMethodOuter.class).testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));

        checkPerMethodOuter();
    }

    @Test
    void theFieldsOfASharedEnclosingInstanceAreNotReplacedByConcurrentTests() {
        seen.clear();
        seen.put("concurrent", true);
        PerMethodOuter.bothInnerTestsRunning = new CountDownLatch(2);

        TestKit.run(TestKit.parallel("concurrent", "same_thread"), PerMethodOuter.class).testEvents()
                .assertStatistics(stats -> stats.started(3).succeeded(3));

        checkPerMethodOuter();
    }

    // ---- @RegisterExtension ----

    @UserTests
    static class Registered {

        @RegisterExtension
        static TcpServerExtension extension = TcpServerExtension.builder().build();

        @TcpServer
        static FakeTcpServer shared;

        @Nested
        class Inner {

            @Test
            void test(@TcpServer FakeTcpServer server) {
                assertThat(shared).isNotNull();
                assertThat(server).isNotSameAs(shared);
                seen.put("registered", server);
            }
        }
    }

    @Test
    void aRegisteredExtensionServesTheClassAndItsNestedClasses() {
        seen.clear();

        TestKit.run(Registered.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(server("registered").isClosed()).isTrue();
        assertThat(Registered.shared.isClosed()).isTrue();
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    // ---- templates and factories ----

    @UserTests
    @WithTcpServer
    static class TemplatesAndFactories {

        static final List<FakeTcpServer> invocations = new CopyOnWriteArrayList<>();
        static final List<Boolean> openInDynamicTests = new CopyOnWriteArrayList<>();

        @ParameterizedTest
        @ValueSource(strings = {"a", "b", "c"})
        void parameterized(String value, @TcpServer FakeTcpServer server) {
            invocations.add(server);
        }

        @TestFactory
        Stream<DynamicTest> factory(@TcpServer FakeTcpServer server) {
            seen.put("factory", server);
            return Stream.of("one", "two").map(name -> DynamicTest.dynamicTest(name, () -> {
                openInDynamicTests.add(!server.isClosed());
                TestKit.converse(server.address(), name);
            }));
        }
    }

    @Test
    void eachInvocationOfATemplateGetsItsOwnServer_dynamicTestsUseTheFactorysServer() {
        seen.clear();
        TemplatesAndFactories.invocations.clear();
        TemplatesAndFactories.openInDynamicTests.clear();

        TestKit.run(TemplatesAndFactories.class).testEvents()
                .assertStatistics(stats -> stats.started(5).succeeded(5));

        assertThat(TemplatesAndFactories.invocations).hasSize(3).doesNotHaveDuplicates()
                .allSatisfy(server -> assertThat(server.isClosed()).isTrue());
        assertThat(TemplatesAndFactories.openInDynamicTests).containsExactly(true, true);
        assertThat(server("factory").connectionCount()).isEqualTo(2);
        assertThat(server("factory").isClosed()).isTrue();
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    private static List<Object> concat(Object first, Object second) {
        List<Object> all = new CopyOnWriteArrayList<>((List<?>) first);
        all.addAll((List<?>) second);
        return all;
    }
}
