package dev.tcpfixture.junit;

import static dev.tcpfixture.junit.Settling.settle;
import static dev.tcpfixture.junit.internal.Wording.NEWLINE;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.ScriptFailure;
import dev.tcpfixture.internal.Messages;
import dev.tcpfixture.junit.internal.Wording;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions about a {@link FakeTcpServer}: its connections, mode, scripts, failures and threads.
 * Every failure message shows the expected and the actual value and the transcript of the connections: at most
 * 20 of them, together at most about 64 KiB, with where the whole record is ({@link FakeTcpServer#transcript()}).
 *
 * <p>Every assertion first waits until the server is quiet ({@link FakeTcpServer#awaitQuiet()}): every
 * connection the kernel completed is accepted and has processed what its client delivered. So it sees
 * everything the clients did before it, exactly, with no grace period. What the server does later on its own
 * is not waited for: wait first with
 * {@link FakeTcpServer#awaitUntil(java.util.function.BooleanSupplier, java.time.Duration)}.
 *
 * @since 0.1
 */
public class FakeTcpServerAssert extends AbstractAssert<FakeTcpServerAssert, FakeTcpServer> {

    /**
     * Creates assertions about {@code actual}; prefer {@link TcpAssertions#assertThat(FakeTcpServer)}.
     *
     * @param actual the server
     */
    public FakeTcpServerAssert(FakeTcpServer actual) {
        super(actual, FakeTcpServerAssert.class);
    }

    /**
     * Asserts that the server accepted exactly {@code count} connections so far.
     *
     * @param count the expected number of connections
     * @return this
     */
    public FakeTcpServerAssert hasConnectionCount(int count) {
        int actualCount = settle(server()::awaitQuiet, server()::connectionCount);
        if (actualCount != count) {
            failWithActualExpectedAndMessage(actualCount, count, "%s", describe("to have accepted "
                    + Messages.count(count, "connection", "connections") + ", but it accepted " + actualCount));
        }
        return myself;
    }

    /**
     * Asserts that the server accepted no connection so far.
     *
     * @return this
     */
    public FakeTcpServerAssert hasNoConnections() {
        int actualCount = settle(server()::awaitQuiet, server()::connectionCount);
        if (actualCount != 0) {
            failWithActualExpectedAndMessage(actualCount, 0, "%s", describe("to have accepted no connection, but "
                    + "it accepted " + Messages.count(actualCount, "connection", "connections")));
        }
        return myself;
    }

    /**
     * Asserts that the server is in {@code mode}.
     *
     * @param mode the expected connection mode
     * @return this
     */
    public FakeTcpServerAssert isInMode(ConnectionMode mode) {
        Objects.requireNonNull(mode, "mode");
        ConnectionMode actualMode = server().mode();
        if (actualMode != mode) {
            failWithActualExpectedAndMessage(actualMode, mode, "%s", describe("to be in mode " + mode
                    + ", but it is in mode " + actualMode));
        }
        return myself;
    }

    /**
     * Asserts that every {@linkplain FakeTcpServer#enqueue(dev.tcpfixture.Script) queued script} was taken by a
     * connection.
     *
     * @return this
     */
    public FakeTcpServerAssert hasNoQueuedScripts() {
        int queued = settle(server()::awaitQuiet, server()::queuedScripts);
        if (queued != 0) {
            failWithActualExpectedAndMessage(queued, 0, "%s", describe("to have no queued scripts left, but "
                    + Messages.count(queued, "script was", "scripts were") + " never taken by a connection"));
        }
        return myself;
    }

    /**
     * Asserts that the server recorded no failures: no unmet script expectation, no error on a server thread.
     *
     * @return this
     */
    public FakeTcpServerAssert hasNoFailures() {
        List<ScriptFailure> failures = server().failures();
        if (!failures.isEmpty()) {
            failWithMessage("%s", describe("to have no failures, but it recorded "
                    + Messages.count(failures.size(), "failure", "failures") + ":" + NEWLINE
                    + Wording.failures(failures)));
        }
        return myself;
    }

    /**
     * Asserts that the server recorded a failure whose message contains {@code text}.
     *
     * @param text the text to find in a failure's message
     * @return this
     */
    public FakeTcpServerAssert hasFailureContaining(String text) {
        Objects.requireNonNull(text, "text");
        List<ScriptFailure> failures = settle(server()::awaitQuiet, server()::failures);
        if (failures.stream().noneMatch(failure -> failure.message().contains(text))) {
            failWithMessage("%s", describe("to have a failure containing "
                    + Messages.quote(text, StandardCharsets.UTF_8) + ", but " + (failures.isEmpty()
                            ? "it recorded no failures"
                            : "its failures are:" + NEWLINE + Wording.failures(failures))));
        }
        return myself;
    }

    /**
     * Asserts that no thread of the server is alive, as after {@link FakeTcpServer#close()}.
     *
     * @return this
     */
    public FakeTcpServerAssert hasNoLiveThreads() {
        int live = settle(server()::awaitQuiet, server()::liveThreadCount);
        if (live != 0) {
            failWithActualExpectedAndMessage(live, 0, "%s", describe("to have no live threads, but "
                    + Messages.count(live, "is", "are") + " alive"
                    + (server().isClosed() ? " although it is closed" : "; it is not closed")));
        }
        return myself;
    }

    private FakeTcpServer server() {
        isNotNull();
        return actual;
    }

    /** Returns {@code "Expected fake TCP server ... (mode ...) <what>"} followed by the transcript. */
    private String describe(String what) {
        return "Expected " + Wording.server(actual) + " (mode " + actual.mode() + ") " + what
                + Wording.transcript(actual);
    }
}
