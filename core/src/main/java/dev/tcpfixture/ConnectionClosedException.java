package dev.tcpfixture;

import java.io.IOException;

/**
 * Thrown to a {@link ConnectionHandler} by the {@link Exchange} when the connection is gone and the call
 * cannot say so with a return value: a write after the client closed or reset the connection, or any call
 * after the server closed it (a step such as {@link Script#closeAfterSending(long)}, or {@link
 * FakeTcpServer#close()}). Reads do not throw it when the client ends the connection: then
 * {@link Exchange#readLine()} returns {@code null} and {@code input().read} returns {@code -1}, whether the
 * client closed the connection or reset it.
 *
 * <p>A handler may let it propagate: ending because the connection ended is not a failure of the handler. It
 * is one only when a later step of the script still expects input from the client, or when the server was
 * closed while the handler ran (as for any step still running then).
 *
 * @since 0.1
 */
public class ConnectionClosedException extends IOException {

    /** The serialization version. */
    private static final long serialVersionUID = 1L;

    /** The side that ended the connection. */
    private final Side closedBy;

    /**
     * Creates the exception.
     *
     * @param message what ended the connection, for example {@code "the client reset the connection"}
     * @param closedBy the side that ended the connection
     * @param cause the exception of the socket that showed it, or {@code null}
     */
    public ConnectionClosedException(String message, Side closedBy, Throwable cause) {
        super(message, cause);
        this.closedBy = java.util.Objects.requireNonNull(closedBy, "closedBy");
    }

    /**
     * Returns the side that ended the connection: {@link Side#CLIENT} if the client closed or reset it,
     * {@link Side#SERVER} if the script or the server's shutdown did.
     *
     * @return the side that ended the connection
     */
    public Side closedBy() {
        return closedBy;
    }
}
