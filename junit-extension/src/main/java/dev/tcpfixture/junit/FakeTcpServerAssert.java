package dev.tcpfixture.junit;

import static dev.tcpfixture.junit.Messages.NEWLINE;
import static dev.tcpfixture.junit.Settling.settle;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.ScriptFailure;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions about a {@link FakeTcpServer}: its connections, mode, scripts, failures and threads.
 * Every assertion reads the server's live state when it is called, so it can be retried inside
 * {@code Awaitility.await().untilAsserted(...)}; every failure message shows the expected and the actual value
 * and the transcript of all connections.
 *
 * <p>The server records a connection, and takes its script, right after accepting it, so a client's connect
 * can succeed a moment before the record shows it. An assertion that does not hold at once therefore waits up
 * to 200 ms for the record to change so that it holds, woken by each change (not polling), before it fails;
 * one that holds returns at once. {@link #hasNoConnections()}, {@link #isInMode(ConnectionMode)} and
 * {@link #hasNoFailures()} check at once. For anything that takes longer, wait first with
 * {@link FakeTcpServer#awaitUntil(java.util.function.BooleanSupplier, java.time.Duration)}, or retry the
 * assertion with Awaitility.
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
        int actualCount = settle(server()::awaitUntil, server()::connectionCount, accepted -> accepted == count);
        if (actualCount != count) {
            failWithActualExpectedAndMessage(actualCount, count, "%s", describe("to have accepted " + count
                    + " connection(s), but it accepted " + actualCount));
        }
        return myself;
    }

    /**
     * Asserts that the server accepted no connection so far.
     *
     * @return this
     */
    public FakeTcpServerAssert hasNoConnections() {
        int actualCount = server().connectionCount();
        if (actualCount != 0) {
            failWithActualExpectedAndMessage(actualCount, 0, "%s", describe("to have accepted no connection, but "
                    + "it accepted " + actualCount));
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
        int queued = settle(server()::awaitUntil, server()::queuedScripts, waiting -> waiting == 0);
        if (queued != 0) {
            failWithActualExpectedAndMessage(queued, 0, "%s", describe("to have no queued scripts left, but "
                    + queued + " script(s) were never used by a connection"));
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
            failWithMessage("%s", describe("to have no failures, but it recorded " + failures.size() + ":"
                    + NEWLINE + Messages.failures(failures)));
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
        List<ScriptFailure> failures = settle(server()::awaitUntil, server()::failures,
                actualFailures -> actualFailures.stream().anyMatch(failure -> failure.message().contains(text)));
        if (failures.stream().noneMatch(failure -> failure.message().contains(text))) {
            failWithMessage("%s", describe("to have a failure containing:" + NEWLINE + "  " + Messages.quote(text)
                    + NEWLINE + (failures.isEmpty() ? "but it recorded no failures"
                            : "but its failures are:" + NEWLINE + Messages.failures(failures))));
        }
        return myself;
    }

    /**
     * Asserts that no thread of the server is alive, as after {@link FakeTcpServer#close()}.
     *
     * @return this
     */
    public FakeTcpServerAssert hasNoLiveThreads() {
        int live = settle(server()::awaitUntil, server()::liveThreadCount, alive -> alive == 0);
        if (live != 0) {
            failWithActualExpectedAndMessage(live, 0, "%s", describe("to have no live threads, but " + live
                    + " are alive" + (server().isClosed() ? " although it is closed" : "; it is not closed")));
        }
        return myself;
    }

    private FakeTcpServer server() {
        objects.assertNotNull(info, actual);
        return actual;
    }

    /** Returns {@code "Expecting fake TCP server ... (mode ...) <what>"} followed by the transcript. */
    private String describe(String what) {
        return "Expecting " + Messages.server(actual) + " (mode " + actual.mode() + ") " + what
                + Messages.transcript(actual);
    }
}
