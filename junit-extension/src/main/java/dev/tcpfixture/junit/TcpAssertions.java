package dev.tcpfixture.junit;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.TranscriptEvent;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

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
 * transcript of its connections.
 *
 * @since 0.1
 */
public final class TcpAssertions {

    /** How long the assertions that wait, wait unless told otherwise: 5 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

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
        Objects.requireNonNull(server, "server");
        requirePositive(timeout);
        Objects.requireNonNull(clientAction, "clientAction");
        int before = server.connectionCount();
        Throwable thrown = run(clientAction);
        if (thrown != null) {
            throw new AssertionError("Expecting the client to connect to " + state(server)
                    + ", but the client code threw " + thrown + newConnections(server, before)
                    + Messages.transcript(server), thrown);
        }
        server.awaitQuiet(); // a connect that returned is accepted now
        boolean connected;
        try {
            connected = server.awaitUntil(() -> server.connectionCount() > before, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the client to connect to " + state(server), e);
        }
        if (!connected) {
            throw new AssertionError("Expecting the client to open a new connection to " + state(server)
                    + ", but none came within " + timeout.toMillis() + " ms (" + before
                    + " connection(s) before the client code ran, " + server.connectionCount() + " now)"
                    + Messages.transcript(server));
        }
        return server.connections().get(before);
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
        Throwable thrown = run(clientAction);
        if (thrown == null) {
            throw new AssertionError("Expecting the client code to fail with " + expectedType.getName()
                    + ", but it completed normally");
        }
        if (!expectedType.isInstance(thrown)) {
            throw new AssertionError("Expecting the client code to fail with " + expectedType.getName()
                    + ", but it failed with " + thrown, thrown);
        }
        return expectedType.cast(thrown);
    }

    /**
     * Runs the client code and asserts that its connection was refused: it throws an exception caused by a
     * {@link ConnectException}, and the server accepted no new connection. Use it with
     * {@link dev.tcpfixture.ConnectionMode#REFUSE}.
     *
     * @param server the server the client tries to connect to
     * @param clientAction the client code
     * @return the exception the client code threw, which may wrap the {@code ConnectException}
     * @throws AssertionError if the client code throws nothing or something not caused by a refused connect,
     *     or if the server accepted a connection
     */
    public static Throwable assertRefused(FakeTcpServer server, ThrowingCallable clientAction) {
        return assertFailsWithoutConnecting(server, clientAction, "to be refused",
                "java.net.ConnectException", ConnectException.class::isInstance);
    }

    /**
     * Runs the client code and asserts that its connect timed out: it throws an exception caused by a timeout
     * ({@link SocketTimeoutException}, {@link HttpTimeoutException} or {@link TimeoutException}), and the
     * server accepted no new connection. Use it with {@link dev.tcpfixture.ConnectionMode#CONNECT_TIMEOUT}.
     *
     * @param server the server the client tries to connect to
     * @param clientAction the client code, which must set a connect timeout
     * @return the exception the client code threw
     * @throws AssertionError if the client code throws nothing or something not caused by a timeout, or if
     *     the server accepted a connection
     */
    public static Throwable assertConnectTimesOut(FakeTcpServer server, ThrowingCallable clientAction) {
        return assertFailsWithoutConnecting(server, clientAction, "to time out while connecting",
                "a timeout", TcpAssertions::isTimeout);
    }

    /**
     * Runs the client code and asserts that it connected and then timed out waiting for the server: it
     * throws an exception caused by a timeout, and the server accepted a new connection (checked once the server
     * is quiet, so a connect that completed is counted). Use it with a script that keeps the
     * client waiting, such as {@link dev.tcpfixture.Script#stall()}.
     *
     * @param server the server the client connects to
     * @param clientAction the client code, which must set a read timeout
     * @return the exception the client code threw
     * @throws AssertionError if the client code throws nothing or something not caused by a timeout, or if
     *     it never connected
     */
    public static Throwable assertReadTimesOut(FakeTcpServer server, ThrowingCallable clientAction) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(clientAction, "clientAction");
        int before = server.connectionCount();
        Throwable thrown = run(clientAction);
        String expectation = "Expecting the client to connect to " + state(server)
                + " and then time out waiting for it";
        if (thrown == null) {
            throw new AssertionError(expectation + ", but the client code completed normally"
                    + newConnections(server, before) + Messages.transcript(server));
        }
        if (findCause(thrown, TcpAssertions::isTimeout) == null) {
            throw new AssertionError(expectation + ", but the client code failed with " + thrown
                    + ", which is not caused by a timeout" + newConnections(server, before)
                    + Messages.transcript(server), thrown);
        }
        int after = Settling.settle(server::awaitQuiet, server::connectionCount);
        if (after == before) {
            throw new AssertionError(expectation + ", but it timed out without connecting: the server accepted "
                    + "no new connection, so this looks like a connect timeout (" + thrown + ")"
                    + Messages.transcript(server), thrown);
        }
        return thrown;
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
        requirePositive(timeout);
        boolean ended;
        try {
            ended = connection.awaitClosed(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the client to close "
                    + Messages.connection(connection), e);
        }
        if (clientClosed(connection)) {
            return;
        }
        if (ended) {
            throw new AssertionError("Expecting the client to close " + Messages.connection(connection)
                    + ", but the server closed it first, so whether the client closes its socket cannot be told;"
                    + " check with a script that does not close the connection" + Messages.transcript(connection));
        }
        throw new AssertionError("Expecting the client to close " + Messages.connection(connection) + " within "
                + timeout.toMillis() + " ms, but it is still open: the client leaks its socket or closes it too late"
                + Messages.transcript(connection));
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

    private static Throwable assertFailsWithoutConnecting(FakeTcpServer server, ThrowingCallable clientAction,
            String what, String cause, Predicate<Throwable> expected) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(clientAction, "clientAction");
        int before = server.connectionCount();
        Throwable thrown = run(clientAction);
        String expectation = "Expecting the client's connection to " + state(server) + " " + what;
        if (thrown == null) {
            throw new AssertionError(expectation + ", but the client code completed normally"
                    + newConnections(server, before) + Messages.transcript(server));
        }
        if (findCause(thrown, expected) == null) {
            throw new AssertionError(expectation + ", but the client code failed with " + thrown
                    + ", which is not caused by " + cause + newConnections(server, before)
                    + Messages.transcript(server), thrown);
        }
        if (server.connectionCount() != before) {
            throw new AssertionError(expectation + ", but the server accepted "
                    + connectionList(server, before) + Messages.transcript(server), thrown);
        }
        return thrown;
    }

    /** Runs the client code and returns what it threw, or {@code null}; errors of the JVM itself propagate. */
    private static Throwable run(ThrowingCallable clientAction) {
        try {
            clientAction.call();
            return null;
        } catch (VirtualMachineError error) {
            throw error;
        } catch (Throwable thrown) {
            return thrown;
        }
    }

    private static String state(FakeTcpServer server) {
        return Messages.server(server) + " (mode " + server.mode() + (server.isClosed() ? ", closed" : "") + ")";
    }

    /** Returns {@code "; 2 new connection(s): #3 #4"}, or nothing if there is no new connection. */
    private static String newConnections(FakeTcpServer server, int before) {
        return server.connectionCount() > before ? "; " + connectionList(server, before) : "";
    }

    private static String connectionList(FakeTcpServer server, int before) {
        List<RecordedConnection> fresh = server.connections();
        fresh = fresh.subList(Math.min(before, fresh.size()), fresh.size());
        return fresh.size() + " new connection(s): "
                + fresh.stream().map(connection -> "#" + connection.id()).collect(Collectors.joining(" "));
    }

    private static boolean clientClosed(RecordedConnection connection) {
        return connection.events().stream().map(TranscriptEvent::kind).anyMatch(kind ->
                kind == TranscriptEvent.Kind.CLIENT_CLOSED || kind == TranscriptEvent.Kind.CLIENT_RESET);
    }

    private static boolean isTimeout(Throwable throwable) {
        return throwable instanceof SocketTimeoutException || throwable instanceof HttpTimeoutException
                || throwable instanceof TimeoutException;
    }

    private static Throwable findCause(Throwable thrown, Predicate<Throwable> predicate) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable current = thrown; current != null && seen.add(current); current = current.getCause()) {
            if (predicate.test(current)) {
                return current;
            }
        }
        return null;
    }

    private static void requirePositive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }
}
