package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.TestAbortedException;

/**
 * After each test the extension verifies the servers: unmet expectations fail the test with the transcript.
 */
class VerificationTest {

    private static final Script SMTP_GREETING = Script.create()
            .sendLine("220 mail.test")
            .expectLine("HELO x")
            .sendLine("250 ok")
            .close();

    /** Sends EHLO where the script expects HELO, and reads until the server closes. */
    static List<String> sayEhlo(FakeTcpServer server) throws IOException {
        return TestKit.converse(server.address(), "EHLO y");
    }

    // ---- a passing test whose server saw the wrong line ----

    @UserTests
    @WithTcpServer
    static class WrongGreeting {

        @Test
        void clientSaysEhlo(@TcpServer FakeTcpServer server) throws IOException {
            server.enqueue(SMTP_GREETING);
            assertThat(sayEhlo(server)).containsExactly("220 mail.test");
        }
    }

    @Test
    void anUnmetExpectationFailsTheTestWithTheTranscript() {
        EngineExecutionResults results = TestKit.run(WrongGreeting.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = TestKit.failureOf(results, "clientSaysEhlo");
        assertThat(failure)
                .isExactlyInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected fake TCP server 127.0.0.1:")
                .hasMessageContaining(" per test) to record no failures, but it recorded 1 failure:")
                .hasMessageContaining("1) connection #1: expected line \"HELO x\", but received line \"EHLO y\"")
                .hasMessageContaining("server> \"220 mail.test\\r\\n\"")
                .hasMessageContaining("client> \"EHLO y\\r\\n\"")
                .hasMessageContaining("FAILED: expected line \"HELO x\", but received line \"EHLO y\"");
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    // ---- a failing test keeps its own failure; the server's is attached as suppressed ----

    @UserTests
    @WithTcpServer
    static class FailingTestAndWrongGreeting {

        @Test
        void failsItself(@TcpServer FakeTcpServer server) throws IOException {
            server.enqueue(SMTP_GREETING);
            List<String> lines = sayEhlo(server);
            assertThat(lines).as("the client's own check").containsExactly("220 mail.test", "250 ok");
        }
    }

    @Test
    void whenTheTestFailedTheServersFailureIsAttachedAsSuppressed() {
        EngineExecutionResults results = TestKit.run(FailingTestAndWrongGreeting.class);

        Throwable failure = TestKit.failureOf(results, "failsItself");
        assertThat(failure).hasMessageContaining("[the client's own check]");
        assertThat(failure.getSuppressed()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining("expected line \"HELO x\", but received line \"EHLO y\"")
                .hasMessageContaining("client> \"EHLO y\\r\\n\"");
    }

    // ---- several servers: every failure in one message ----

    @UserTests
    @WithTcpServer
    static class TwoWrongServers {

        @Test
        void both(@TcpServer("primary") FakeTcpServer primary, @TcpServer("replica") FakeTcpServer replica)
                throws IOException {
            primary.enqueue(SMTP_GREETING);
            replica.enqueue(SMTP_GREETING);
            sayEhlo(primary);
            sayEhlo(replica);
        }
    }

    @Test
    void theFailuresOfSeveralServersAreReportedTogether() {
        Throwable failure = TestKit.failureOf(TestKit.run(TwoWrongServers.class), "both");

        assertThat(failure.getMessage())
                .contains("(@TcpServer(\"primary\"), per test)")
                .contains("(@TcpServer(\"replica\"), per test)");
    }

    // ---- a step still waiting when the test ends ----

    @UserTests
    @WithTcpServer
    static class ClientNeverAnswers {

        @Test
        void clientHangsUp(@TcpServer FakeTcpServer server) throws IOException {
            server.enqueue(Script.create().sendLine("220 mail.test").expectLine("HELO x"));
            try (Socket socket = new Socket(server.host(), server.port())) {
                socket.setSoTimeout(2_000);
                assertThat(socket.getInputStream().read()).isEqualTo('2');
            }
        }
    }

    @Test
    void aScriptTheClientLeftUnfinishedFailsTheTest() {
        Throwable failure = TestKit.failureOf(TestKit.run(ClientNeverAnswers.class), "clientHangsUp");

        // "..., but the client closed the connection" or "..., but the server was shut down first", by timing
        assertThat(failure).hasMessageContaining("line \"HELO x\"")
                .hasMessageContaining("server> \"220 mail.test\\r\\n\"");
    }

    // ---- per-class servers: verified after each test, each failure reported once ----

    @UserTests
    @WithTcpServer
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SharedServer {

        @TcpServer
        static FakeTcpServer shared;

        @Test
        @Order(1)
        void breaksTheScript() throws IOException {
            shared.enqueue(SMTP_GREETING);
            sayEhlo(shared);
        }

        @Test
        @Order(2)
        void goodConversation() throws IOException {
            shared.enqueue(SMTP_GREETING);
            assertThat(TestKit.converse(shared.address(), "HELO x")).containsExactly("220 mail.test", "250 ok");
        }
    }

    @Test
    void aPerClassServerIsVerifiedAfterEachTestAndEachFailureIsReportedOnce() {
        EngineExecutionResults results = TestKit.run(SharedServer.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(TestKit.failureOf(results, "breaksTheScript"))
                .hasMessageContaining(" per class) to record no failures, but it recorded 1 failure:")
                .hasMessageContaining("received line \"EHLO y\"");
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        assertThat(SharedServer.shared.isClosed()).isTrue();
    }

    @UserTests
    @WithTcpServer
    static class SharedServerLeftWaiting {

        @TcpServer
        static FakeTcpServer shared;

        static Socket leftOpen;

        @Test
        void leavesAConnectionWaiting() throws IOException {
            shared.enqueue(Script.create().expectLine("QUIT"));
            leftOpen = new Socket(shared.host(), shared.port());
            shared.takeConnection(java.time.Duration.ofSeconds(2));
        }
    }

    @Test
    void failuresThatClosingAPerClassServerBringsOutFailTheClass() throws IOException {
        EngineExecutionResults results = TestKit.run(SharedServerLeftWaiting.class);
        SharedServerLeftWaiting.leftOpen.close();

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(TestKit.failures(results.containerEvents()))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining(" per class) to record no failures, but it recorded 1 failure:")
                .hasMessageContaining("expected line \"QUIT\", but the server was shut down first");
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    // ---- opting out, and aborted tests ----

    @UserTests
    @WithTcpServer
    static class NotVerified {

        static final List<Boolean> checked = new CopyOnWriteArrayList<>();

        @Test
        void checksFailuresItself(@TcpServer(verify = false) FakeTcpServer server) throws IOException {
            server.enqueue(SMTP_GREETING);
            sayEhlo(server);
            TcpAssertions.assertThat(server).hasFailureContaining("received line \"EHLO y\"");
            checked.add(true);
        }
    }

    @Test
    void aServerDeclaredWithVerifyFalseIsNotVerified() {
        NotVerified.checked.clear();

        TestKit.run(NotVerified.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(NotVerified.checked).containsExactly(true);
    }

    @UserTests
    @WithTcpServer
    static class Aborted {

        @Test
        void abortsAfterBreakingTheScript(@TcpServer FakeTcpServer server) throws IOException {
            server.enqueue(SMTP_GREETING);
            sayEhlo(server);
            throw new TestAbortedException("not today");
        }

        @AfterEach
        void afterEach() {
            // runs before the extension verifies; a failing @AfterEach would hide the abort
        }
    }

    @Test
    void anAbortedTestIsNotVerified() {
        EngineExecutionResults results = TestKit.run(Aborted.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).aborted(1).failed(0));
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    @UserTests
    @WithTcpServer
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SharedServerAndAbortedTest {

        @TcpServer
        static FakeTcpServer shared;

        @Test
        @Order(1)
        void breaksTheScriptAndAborts() throws IOException {
            shared.enqueue(SMTP_GREETING);
            sayEhlo(shared);
            throw new TestAbortedException("not today");
        }

        @Test
        @Order(2)
        void goodConversation() throws IOException {
            shared.enqueue(SMTP_GREETING);
            assertThat(TestKit.converse(shared.address(), "HELO x")).containsExactly("220 mail.test", "250 ok");
        }
    }

    @Test
    void whatAPerClassServerRecordedDuringAnAbortedTestFailsTheClassNotTheNextTest() {
        EngineExecutionResults results = TestKit.run(SharedServerAndAbortedTest.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).aborted(1).succeeded(1).failed(0));
        assertThat(TestKit.failures(results.containerEvents()))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .isExactlyInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected fake TCP server 127.0.0.1:")
                .hasMessageContaining(" per class) to record no failures, but it recorded 1 failure:"
                        + System.lineSeparator()
                        + "1) connection #1: expected line \"HELO x\", but received line \"EHLO y\"")
                .hasMessageContaining("client> \"EHLO y\\r\\n\"")
                .hasMessageNotContaining("connection #2");
        assertThat(SharedServerAndAbortedTest.shared.isClosed()).isTrue();
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    // ---- per-class servers of tests that run at the same time ----

    @UserTests
    @WithTcpServer
    static class SharedServerAndConcurrentTests {

        @TcpServer
        static FakeTcpServer shared;

        @Test
        void breaksTheScript() throws IOException {
            shared.enqueue(SMTP_GREETING);
            sayEhlo(shared);
        }

        @Test
        void checksNothing() {
            assertThat(shared.isClosed()).isFalse();
        }
    }

    @Test
    void whenTestsRunConcurrentlyThePerClassServersFailTheClassNotATest() {
        EngineExecutionResults results = TestKit.run(TestKit.parallel("concurrent", "same_thread"),
                SharedServerAndConcurrentTests.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        assertThat(TestKit.failures(results.containerEvents()))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining(" per class) to record no failures, but it recorded 1 failure while parallel "
                        + "execution was on, so that "
                        + "no single test can be blamed:" + System.lineSeparator()
                        + "1) connection #1: expected line \"HELO x\", but received line \"EHLO y\"")
                .hasMessageContaining("client> \"EHLO y\\r\\n\"");
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    @Test
    void theSameTestsRunOneAfterTheOtherBlameTheTestThatBrokeTheScript() {
        EngineExecutionResults results = TestKit.run(SharedServerAndConcurrentTests.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(TestKit.failureOf(results, "breaksTheScript"))
                .hasMessageContaining(" per class) to record no failures, but it recorded 1 failure:")
                .hasMessageContaining("received line \"EHLO y\"");
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
    }

    @Test
    void withParallelExecutionOnThePerClassServersFailTheClassEvenIfTheTestsRunOneAfterTheOther() {
        EngineExecutionResults results = TestKit.run(TestKit.parallel("same_thread", "same_thread"),
                SharedServerAndConcurrentTests.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        assertThat(TestKit.failures(results.containerEvents()))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining(" per class) to record no failures, but it recorded 1 failure while parallel "
                        + "execution was on")
                .hasMessageContaining("received line \"EHLO y\"");
    }

    @UserTests
    @WithTcpServer
    static class SharedServerBrokenBeforeAll {

        @TcpServer
        static FakeTcpServer shared;

        @BeforeAll
        static void breaksTheScript() throws IOException {
            shared.enqueue(SMTP_GREETING);
            sayEhlo(shared);
        }

        @Test
        void innocent() {
            assertThat(shared.isClosed()).isFalse();
        }
    }

    @Test
    void whatAPerClassServerRecordedBeforeTheFirstTestFailsTheClassNotThatTest() {
        EngineExecutionResults results = TestKit.run(SharedServerBrokenBeforeAll.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(TestKit.failures(results.containerEvents()))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining(" per class) to record no failures, but it recorded 1 failure:"
                        + System.lineSeparator()
                        + "1) connection #1: expected line \"HELO x\", but received line \"EHLO y\"");
    }

    /**
     * Registered before the extension, so that its {@code afterEach} runs after the extension's: tells when the
     * extension has verified {@code breaksTheScript}.
     */
    static class AfterVerification implements AfterEachCallback {

        @Override
        public void afterEach(ExtensionContext context) {
            if (context.getRequiredTestMethod().getName().equals("breaksTheScript")) {
                SameThreadTestBesideAConcurrentOne.verified.countDown();
            }
        }
    }

    @UserTests
    @ExtendWith(AfterVerification.class)
    @WithTcpServer
    static class SameThreadTestBesideAConcurrentOne {

        @TcpServer
        static FakeTcpServer shared;

        static volatile CountDownLatch bothRunning = new CountDownLatch(2);
        static volatile CountDownLatch verified = new CountDownLatch(1);

        @Test
        @Execution(ExecutionMode.SAME_THREAD)
        void breaksTheScript() throws Exception {
            bothRunning.countDown();
            assertThat(bothRunning.await(10, TimeUnit.SECONDS)).as("both tests run").isTrue();
            shared.enqueue(SMTP_GREETING);
            sayEhlo(shared);
        }

        /** Still runs when the extension verifies {@code breaksTheScript}, which runs in the class's thread. */
        @Test
        @Execution(ExecutionMode.CONCURRENT)
        void runsBeside() throws Exception {
            bothRunning.countDown();
            assertThat(bothRunning.await(10, TimeUnit.SECONDS)).as("both tests run").isTrue();
            assertThat(verified.await(10, TimeUnit.SECONDS)).as("breaksTheScript verified").isTrue();
        }
    }

    @Test
    void aTestThatOverlappedWithAnotherThatSharesTheServerIsNotBlamedEvenInTheSameThread() {
        SameThreadTestBesideAConcurrentOne.bothRunning = new CountDownLatch(2);
        SameThreadTestBesideAConcurrentOne.verified = new CountDownLatch(1);

        EngineExecutionResults results = TestKit.run(TestKit.parallel("same_thread", "same_thread"),
                SameThreadTestBesideAConcurrentOne.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        assertThat(TestKit.failures(results.containerEvents()))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining(" per class) to record no failures, but it recorded 1 failure while parallel "
                        + "execution was on")
                .hasMessageContaining("received line \"EHLO y\"");
    }

    /**
     * Registered before the extension, so its {@code beforeEach} runs before the extension's and its
     * {@code afterEach} after it: {@code outerTest} starts only once the nested test has ended, and the nested
     * class's {@code @AfterAll} waits until {@code outerTest} is verified. So only the nested class's own
     * {@code @BeforeAll}...{@code @AfterAll} span overlaps {@code outerTest}.
     */
    static class Choreography implements BeforeEachCallback, AfterEachCallback {

        @Override
        public void beforeEach(ExtensionContext context) throws InterruptedException {
            if (context.getRequiredTestMethod().getName().equals("outerTest")) {
                assertThat(OuterTestBesideANestedClass.nestedTestEnded.await(10, TimeUnit.SECONDS))
                        .as("the nested test ended").isTrue();
            }
        }

        @Override
        public void afterEach(ExtensionContext context) {
            String name = context.getRequiredTestMethod().getName();
            if (name.equals("nestedTest")) {
                OuterTestBesideANestedClass.nestedTestEnded.countDown();
            } else if (name.equals("outerTest")) {
                OuterTestBesideANestedClass.outerTestVerified.countDown();
            }
        }
    }

    @UserTests
    @ExtendWith(Choreography.class)
    @WithTcpServer
    static class OuterTestBesideANestedClass {

        @TcpServer
        static FakeTcpServer shared;

        static volatile CountDownLatch nestedTestEnded = new CountDownLatch(1);
        static volatile CountDownLatch outerTestVerified = new CountDownLatch(1);

        /** Runs in the class's thread while the nested class runs on another. */
        @Test
        @Execution(ExecutionMode.SAME_THREAD)
        void outerTest() throws Exception {
            shared.enqueue(SMTP_GREETING);
            sayEhlo(shared);
        }

        @Nested
        @Execution(ExecutionMode.CONCURRENT)
        class Inner {

            @Test
            void nestedTest() {
                assertThat(shared.isClosed()).isFalse();
            }

            /** Could use the shared server while outerTest runs: still running when outerTest is verified. */
            @AfterAll
            static void stillRunning() throws InterruptedException {
                assertThat(outerTestVerified.await(10, TimeUnit.SECONDS)).as("outerTest verified").isTrue();
            }
        }
    }

    @Test
    void aTestIsNotBlamedWhileANestedClassThatSharesTheServerRuns() {
        OuterTestBesideANestedClass.nestedTestEnded = new CountDownLatch(1);
        OuterTestBesideANestedClass.outerTestVerified = new CountDownLatch(1);

        EngineExecutionResults results = TestKit.run(TestKit.parallel("same_thread", "same_thread"),
                OuterTestBesideANestedClass.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        assertThat(TestKit.failures(results.containerEvents()))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining(" per class) to record no failures, but it recorded 1 failure while parallel "
                        + "execution was on")
                .hasMessageContaining("received line \"EHLO y\"");
    }

    @Test
    void aTestWithoutFailuresPasses() {
        TestKit.run(GoodConversation.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @UserTests
    @WithTcpServer
    static class GoodConversation {

        @Test
        void heloIsRight(@TcpServer FakeTcpServer server) throws IOException {
            server.enqueue(SMTP_GREETING);
            List<String> lines = TestKit.converse(server.address(), "HELO x");
            if (!lines.equals(List.of("220 mail.test", "250 ok"))) {
                fail("unexpected " + lines);
            }
        }
    }
}
