package dev.tcpfixture.junit;

import static dev.tcpfixture.junit.internal.Wording.NEWLINE;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.TranscriptEvent;
import dev.tcpfixture.internal.Messages;
import dev.tcpfixture.junit.internal.Wording;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * Assertions about TCP client code run against a {@link FakeTcpServer}: did it connect, how did it fail, did
 * it close its socket; and the entry points to the AssertJ assertions {@link FakeTcpServerAssert} and
 * {@link RecordedConnectionAssert}.
 *
 * <pre>{@code
 * RecordedConnection connection = assertConnects(server, () -> client.ping());
 * assertThat(connection).receivedLine("PING");
 * assertClientClosed(connection);
 *
 * server.mode(ConnectionMode.REFUSE);
 * assertRefused(server, () -> client.ping());
 * }</pre>
 *
 * <p>The failure messages of the assertions about a server name it and its connection mode, and show the
 * transcript of its connections: bounded, at most 20 connections, each payload cut to its start and its end,
 * with where the whole record is ({@link FakeTcpServer#transcript()}).
 *
 * <p>The assertions about how a client failed look for the socket's exception in the whole graph of what the
 * client threw: the exception itself, its cause and its suppressed exceptions, and theirs. Client libraries put
 * it in either place (Jedis adds the {@code ConnectException} to its own exception as a suppressed one). When
 * nothing in the graph matches, the message shows the graph.
 *
 * @since 0.1
 */
public final class TcpAssertions {

    /** How long the assertions that wait, wait unless told otherwise: 5 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final String CONNECT_EXCEPTION = "java.net.ConnectException";
    private static final String TIMEOUT = "a timeout (java.net.SocketTimeoutException, "
            + "java.net.http.HttpTimeoutException or java.util.concurrent.TimeoutException)";

    private TcpAssertions() {
    }

    // ---- connecting ----

    /**
     * Runs the client code and asserts that it opened a new connection to the server, waiting up to
     * {@link #DEFAULT_TIMEOUT} for the server to accept it.
     *
     * @param server the server the client should connect to
     * @param clientAction the client code, for example {@code () -> client.ping()}
     * @return the first connection the server accepted after {@code clientAction} started; not
     *     {@linkplain FakeTcpServer#takeConnection(Duration) taken}
     * @throws AssertionError if the client code throws, or if no new connection came in time
     * @see #assertConnectsReturning(FakeTcpServer, ThrowingSupplier)
     */
    public static RecordedConnection assertConnects(FakeTcpServer server, ThrowingCallable clientAction) {
        return assertConnects(server, DEFAULT_TIMEOUT, clientAction);
    }

    /**
     * Runs the client code and asserts that it opened a new connection to the server, waiting up to
     * {@code timeout} for the server to accept it.
     *
     * @param server the server the client should connect to
     * @param timeout how long to wait for the connection after the client code returned
     * @param clientAction the client code
     * @return the first connection the server accepted after {@code clientAction} started
     * @throws AssertionError if the client code throws, or if no new connection came in time
     */
    public static RecordedConnection assertConnects(FakeTcpServer server, Duration timeout,
            ThrowingCallable clientAction) {
        Objects.requireNonNull(clientAction, "clientAction");
        return connects(server, timeout, () -> {
            clientAction.call();
            return null;
        }).connection();
    }

    /**
     * Runs the client code and asserts that it opened a new connection to the server, as
     * {@link #assertConnects(FakeTcpServer, ThrowingCallable)}, and returns what the client code returned together
     * with the connection:
     *
     * <pre>{@code
     * Connected<HttpResponse<String>> connected = assertConnectsReturning(server,
     *         () -> http.send(request, BodyHandlers.ofString()));
     * assertThat(connected.result().statusCode()).isEqualTo(200);
     * assertThat(connected.connection()).receivedLine("GET /health HTTP/1.1");
     * }</pre>
     *
     * <p>(It has a name of its own because Java would pick a form that takes a value-returning lambda for every
     * lambda whose body is an expression, {@code () -> client.ping()} included.)
     *
     * @param server the server the client should connect to
     * @param clientAction the client code, which returns a result
     * @param <T> the type of the result
     * @return the result and the first connection the server accepted after {@code clientAction} started
     * @throws AssertionError if the client code throws, or if no new connection came in time
     * @since 0.1
     */
    public static <T> Connected<T> assertConnectsReturning(FakeTcpServer server, ThrowingSupplier<T> clientAction) {
        return assertConnectsReturning(server, DEFAULT_TIMEOUT, clientAction);
    }

    /**
     * Runs the client code and asserts that it opened a new connection to the server, waiting up to
     * {@code timeout} for the server to accept it, and returns what the client code returned together with the
     * connection.
     *
     * @param server the server the client should connect to
     * @param timeout how long to wait for the connection after the client code returned
     * @param clientAction the client code, which returns a result
     * @param <T> the type of the result
     * @return the result and the first connection the server accepted after {@code clientAction} started
     * @throws AssertionError if the client code throws, or if no new connection came in time
     * @since 0.1
     */
    public static <T> Connected<T> assertConnectsReturning(FakeTcpServer server, Duration timeout,
            ThrowingSupplier<T> clientAction) {
        Objects.requireNonNull(clientAction, "clientAction");
        return connects(server, timeout, clientAction);
    }

    private static <T> Connected<T> connects(FakeTcpServer server, Duration timeout,
            ThrowingSupplier<T> clientAction) {
        Objects.requireNonNull(server, "server");
        requirePositive(timeout, "timeout");
        int before = server.connectionCount();
        Outcome<T> outcome = run(clientAction);
        server.awaitQuiet(); // a connect that completed is accepted now, and counted
        if (outcome.thrown != null) {
            throw new AssertionError("Expected the client to connect to " + Wording.serverWithMode(server)
                    + ", but the client code threw " + ExceptionGraph.oneLine(outcome.thrown) + " after "
                    + Messages.duration(outcome.elapsed) + newConnections(server, before) + Wording.transcript(server),
                    outcome.thrown);
        }
        boolean connected;
        try {
            connected = server.awaitUntil(() -> server.connectionCount() > before, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Expected the client to connect to " + Wording.serverWithMode(server)
                    + ", but the thread was interrupted while waiting for the connection", e);
        }
        if (!connected) {
            int now = server.connectionCount();
            throw new AssertionError("Expected the client to open a new connection to "
                    + Wording.serverWithMode(server) + ", but none came within " + Messages.duration(timeout) + " ("
                    + Messages.count(before, "connection", "connections") + " before the client code ran, " + now
                    + " now)" + Wording.transcript(server));
        }
        return new Connected<>(outcome.result, server.connections().get(before));
    }

    // ---- failing ----

    /**
     * Runs the client code and asserts that it throws {@code expectedType} (or a subtype).
     *
     * @param expectedType the type of exception the client should throw
     * @param clientAction the client code
     * @param <T> the type of exception
     * @return the exception, for further checks
     * @throws AssertionError if the client code throws nothing, or something else
     */
    public static <T extends Throwable> T assertClientFails(Class<T> expectedType, ThrowingCallable clientAction) {
        Objects.requireNonNull(expectedType, "expectedType");
        Objects.requireNonNull(clientAction, "clientAction");
        Throwable thrown = run(clientAction).thrown;
        if (thrown == null) {
            throw new AssertionError("Expected the client code to fail with " + expectedType.getName()
                    + ", but it completed normally");
        }
        if (!expectedType.isInstance(thrown)) {
            throw new AssertionError("Expected the client code to fail with " + expectedType.getName()
                    + ", but it failed with " + ExceptionGraph.oneLine(thrown), thrown);
        }
        return expectedType.cast(thrown);
    }

    /**
     * Runs the client code and asserts that its connection was refused: it throws an exception whose graph (the
     * exception, its cause and its suppressed exceptions, and theirs) holds a {@link ConnectException}, and the
     * server accepted no new connection. Use it with {@link dev.tcpfixture.ConnectionMode#REFUSE}.
     *
     * @param server the server the client tries to connect to
     * @param clientAction the client code
     * @return the exception the client code threw, which may hold the {@code ConnectException} as its cause or
     *     as a suppressed exception
     * @throws AssertionError if the client code throws nothing or nothing that holds a {@code ConnectException},
     *     or if the server accepted a connection
     */
    public static Throwable assertRefused(FakeTcpServer server, ThrowingCallable clientAction) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(clientAction, "clientAction");
        int before = server.connectionCount();
        Outcome<Object> outcome = run(clientAction);
        server.awaitQuiet(); // a connect that completed is accepted now, and counted
        String expectation = "Expected the client's connection to " + Wording.serverWithMode(server)
                + " to be refused";
        failIfNotFailed(server, before, outcome, expectation);
        failIfNotHeld(server, before, outcome, expectation, CONNECT_EXCEPTION, ConnectException.class::isInstance);
        failIfConnected(server, before, outcome, expectation);
        return outcome.thrown;
    }

    /**
     * Runs the client code and asserts that its connect timed out: it throws an exception whose graph holds a
     * timeout ({@link SocketTimeoutException}, {@link HttpTimeoutException} or {@link TimeoutException}), and the
     * server accepted no new connection. Use it with {@link dev.tcpfixture.ConnectionMode#CONNECT_TIMEOUT}. A
     * failure message says how long the client code took.
     *
     * @param server the server the client tries to connect to
     * @param clientAction the client code, which must set a connect timeout
     * @return the exception the client code threw
     * @throws AssertionError if the client code throws nothing or nothing that holds a timeout, or if the server
     *     accepted a connection
     * @see #assertConnectTimesOut(FakeTcpServer, Duration, ThrowingCallable)
     */
    public static Throwable assertConnectTimesOut(FakeTcpServer server, ThrowingCallable clientAction) {
        return connectTimesOut(server, null, clientAction);
    }

    /**
     * Runs the client code and asserts that its connect timed out, as
     * {@link #assertConnectTimesOut(FakeTcpServer, ThrowingCallable)}, and that the client code gave up within
     * {@code within}: the client's own connect timeout took effect, not the operating system's, which waits for
     * minutes.
     *
     * <pre>{@code
     * server.mode(ConnectionMode.CONNECT_TIMEOUT);
     * assertConnectTimesOut(server, Duration.ofSeconds(1), () -> client.ping()); // the client's timeout: 500 ms
     * }</pre>
     *
     * @param server the server the client tries to connect to
     * @param within how long the client code may take at most, from its start until it threw: its configured
     *     connect timeout and some slack
     * @param clientAction the client code, which must set a connect timeout
     * @return the exception the client code threw
     * @throws AssertionError if the client code throws nothing or nothing that holds a timeout, if the server
     *     accepted a connection, or if the client code took longer than {@code within}
     * @since 0.1
     */
    public static Throwable assertConnectTimesOut(FakeTcpServer server, Duration within,
            ThrowingCallable clientAction) {
        requirePositive(within, "within");
        return connectTimesOut(server, within, clientAction);
    }

    private static Throwable connectTimesOut(FakeTcpServer server, Duration within, ThrowingCallable clientAction) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(clientAction, "clientAction");
        int before = server.connectionCount();
        Outcome<Object> outcome = run(clientAction);
        server.awaitQuiet(); // a connect that completed is accepted now, and counted
        String expectation = "Expected the client's connection to " + Wording.serverWithMode(server)
                + " to time out" + (within == null ? " while connecting" : " within " + Messages.duration(within));
        failIfNotFailed(server, before, outcome, expectation);
        failIfNotHeld(server, before, outcome, expectation, TIMEOUT, TcpAssertions::isTimeout);
        failIfConnected(server, before, outcome, expectation);
        failIfSlow(server, within, outcome, expectation);
        return outcome.thrown;
    }

    /**
     * Runs the client code and asserts that it connected and then timed out waiting for the server: it
     * throws an exception whose graph holds a timeout, and the server accepted a new connection (checked once the
     * server is quiet, so a connect that completed is counted). Use it with a script that keeps the client
     * waiting, such as {@link dev.tcpfixture.Script#stall()}. A failure message says how long the client code
     * took.
     *
     * @param server the server the client connects to
     * @param clientAction the client code, which must set a read timeout
     * @return the exception the client code threw
     * @throws AssertionError if the client code throws nothing or nothing that holds a timeout, or if it never
     *     connected
     * @see #assertReadTimesOut(FakeTcpServer, Duration, ThrowingCallable)
     */
    public static Throwable assertReadTimesOut(FakeTcpServer server, ThrowingCallable clientAction) {
        return readTimesOut(server, null, clientAction);
    }

    /**
     * Runs the client code and asserts that it connected and then timed out waiting for the server, as
     * {@link #assertReadTimesOut(FakeTcpServer, ThrowingCallable)}, and that the client code gave up within
     * {@code within}: its own read timeout took effect.
     *
     * @param server the server the client connects to
     * @param within how long the client code may take at most, from its start until it threw: its configured
     *     read timeout (and the time it takes to connect and send) and some slack
     * @param clientAction the client code, which must set a read timeout
     * @return the exception the client code threw
     * @throws AssertionError if the client code throws nothing or nothing that holds a timeout, if it never
     *     connected, or if it took longer than {@code within}
     * @since 0.1
     */
    public static Throwable assertReadTimesOut(FakeTcpServer server, Duration within,
            ThrowingCallable clientAction) {
        requirePositive(within, "within");
        return readTimesOut(server, within, clientAction);
    }

    private static Throwable readTimesOut(FakeTcpServer server, Duration within, ThrowingCallable clientAction) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(clientAction, "clientAction");
        int before = server.connectionCount();
        Outcome<Object> outcome = run(clientAction);
        server.awaitQuiet(); // a connect that completed is accepted now, and counted
        String expectation = "Expected the client to connect to " + Wording.serverWithMode(server)
                + " and then time out waiting for it" + (within == null ? "" : " within "
                        + Messages.duration(within));
        failIfNotFailed(server, before, outcome, expectation);
        failIfNotHeld(server, before, outcome, expectation, TIMEOUT, TcpAssertions::isTimeout);
        if (server.connectionCount() == before) {
            throw new AssertionError(expectation + ", but it timed out without connecting after "
                    + Messages.duration(outcome.elapsed) + ": the server accepted no new connection, so this looks "
                    + "like a connect timeout (" + ExceptionGraph.oneLine(outcome.thrown) + ")"
                    + Wording.transcript(server), outcome.thrown);
        }
        failIfSlow(server, within, outcome, expectation);
        return outcome.thrown;
    }

    // ---- closing ----

    /**
     * Asserts that the client closes (or resets) its side of the connection, waiting up to
     * {@link #DEFAULT_TIMEOUT}: a check for leaked sockets.
     *
     * @param connection the connection the client should close
     * @throws AssertionError if the client keeps the connection open, or if the server closed it first, so
     *     that whether the client closed cannot be told
     */
    public static void assertClientClosed(RecordedConnection connection) {
        assertClientClosed(connection, DEFAULT_TIMEOUT);
    }

    /**
     * Asserts that the client closes (or resets) its side of the connection, waiting up to {@code timeout}.
     *
     * @param connection the connection the client should close
     * @param timeout how long to wait at most
     * @throws AssertionError if the client keeps the connection open, or if the server closed it first
     */
    public static void assertClientClosed(RecordedConnection connection, Duration timeout) {
        Objects.requireNonNull(connection, "connection");
        requirePositive(timeout, "timeout");
        boolean ended;
        try {
            ended = connection.awaitClosed(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Expected the client to close " + Wording.connection(connection)
                    + ", but the thread was interrupted while waiting for it", e);
        }
        if (clientClosed(connection)) {
            return;
        }
        if (ended) {
            throw new AssertionError("Expected the client to close " + Wording.connection(connection)
                    + ", but the server closed it first, so whether the client closes its socket cannot be told;"
                    + " check with a script that does not close the connection" + Wording.transcript(connection));
        }
        throw new AssertionError("Expected the client to close " + Wording.connection(connection) + " within "
                + Messages.duration(timeout) + ", but it is still open: the client leaks its socket or closes it "
                + "too late" + Wording.transcript(connection));
    }

    // ---- AssertJ entry points ----

    /**
     * Returns AssertJ assertions about a server, which read its live state on every call.
     *
     * @param actual the server
     * @return the assertions
     */
    public static FakeTcpServerAssert assertThat(FakeTcpServer actual) {
        return new FakeTcpServerAssert(actual);
    }

    /**
     * Returns AssertJ assertions about a connection, which read its live state on every call.
     *
     * @param actual the connection
     * @return the assertions
     */
    public static RecordedConnectionAssert assertThat(RecordedConnection actual) {
        return new RecordedConnectionAssert(actual);
    }

    // ---- helpers ----

    private static void failIfNotFailed(FakeTcpServer server, int before, Outcome<?> outcome, String expectation) {
        if (outcome.thrown == null) {
            throw new AssertionError(expectation + ", but the client code completed normally after "
                    + Messages.duration(outcome.elapsed) + newConnections(server, before)
                    + Wording.transcript(server));
        }
    }

    private static void failIfNotHeld(FakeTcpServer server, int before, Outcome<?> outcome, String expectation,
            String what, Predicate<Throwable> matches) {
        if (ExceptionGraph.find(outcome.thrown, matches) == null) {
            throw new AssertionError(expectation + ", but the client code failed after "
                    + Messages.duration(outcome.elapsed) + " with " + ExceptionGraph.oneLine(outcome.thrown)
                    + ", and no exception in it (its causes and suppressed exceptions included) is " + what
                    + newConnections(server, before) + NEWLINE + "The exceptions:" + NEWLINE
                    + ExceptionGraph.describe(outcome.thrown, "  ") + Wording.transcript(server), outcome.thrown);
        }
    }

    private static void failIfConnected(FakeTcpServer server, int before, Outcome<?> outcome, String expectation) {
        if (server.connectionCount() != before) {
            throw new AssertionError(expectation + ", but the server accepted "
                    + connectionList(server, before) + " (the client code failed after "
                    + Messages.duration(outcome.elapsed) + " with " + ExceptionGraph.oneLine(outcome.thrown) + ")"
                    + Wording.transcript(server), outcome.thrown);
        }
    }

    private static void failIfSlow(FakeTcpServer server, Duration within, Outcome<?> outcome, String expectation) {
        if (within != null && outcome.elapsed.compareTo(within) > 0) {
            throw new AssertionError(expectation + ", but the client code gave up only after "
                    + Messages.duration(outcome.elapsed) + ", with " + ExceptionGraph.oneLine(outcome.thrown)
                    + ": does the client set a timeout of its own, or wait for the operating system's?"
                    + Wording.transcript(server), outcome.thrown);
        }
    }

    /** What the client code returned or threw, and how long it took. */
    private record Outcome<T>(T result, Throwable thrown, Duration elapsed) {
    }

    private static Outcome<Object> run(ThrowingCallable clientAction) {
        return run(() -> {
            clientAction.call();
            return null;
        });
    }

    /** Runs the client code; errors of the JVM itself propagate. */
    private static <T> Outcome<T> run(ThrowingSupplier<T> clientAction) {
        long start = System.nanoTime();
        try {
            T result = clientAction.get();
            return new Outcome<>(result, null, Duration.ofNanos(System.nanoTime() - start));
        } catch (VirtualMachineError error) {
            throw error;
        } catch (Throwable thrown) {
            return new Outcome<>(null, thrown, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Returns {@code "; 2 new connections: #3 #4"}, or nothing if there is no new connection. */
    private static String newConnections(FakeTcpServer server, int before) {
        return server.connectionCount() > before ? "; " + connectionList(server, before) : "";
    }

    private static String connectionList(FakeTcpServer server, int before) {
        List<RecordedConnection> fresh = server.connections();
        fresh = fresh.subList(Math.min(before, fresh.size()), fresh.size());
        return Messages.count(fresh.size(), "new connection", "new connections") + ": " + Wording.ids(fresh);
    }

    private static boolean clientClosed(RecordedConnection connection) {
        return connection.events().stream().map(TranscriptEvent::kind).anyMatch(kind ->
                kind == TranscriptEvent.Kind.CLIENT_CLOSED || kind == TranscriptEvent.Kind.CLIENT_RESET);
    }

    private static boolean isTimeout(Throwable throwable) {
        return throwable instanceof SocketTimeoutException || throwable instanceof HttpTimeoutException
                || throwable instanceof TimeoutException;
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
