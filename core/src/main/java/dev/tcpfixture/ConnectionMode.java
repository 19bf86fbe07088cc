package dev.tcpfixture;

/**
 * How a {@link FakeTcpServer} treats new connection attempts; switchable at any time while the port stays
 * the same.
 *
 * @since 0.1
 * @see FakeTcpServer#mode(ConnectionMode)
 */
public enum ConnectionMode {

    /** Accept connections and run the next queued {@link Script} (or the default script) on each. */
    ACCEPT,

    /**
     * Refuse connections: the port stays bound but nothing listens on it, so a client's {@code connect}
     * fails at once with {@code java.net.ConnectException: Connection refused}.
     */
    REFUSE,

    /**
     * Let connects time out: a listener whose accept backlog is full stays on the port, so the kernel drops
     * new SYNs and a client's {@code connect(address, timeout)} fails with
     * {@code java.net.SocketTimeoutException}. Relies on Linux's default {@code tcp_abort_on_overflow=0}.
     */
    CONNECT_TIMEOUT,

    /**
     * Accept each connection and close the server's side at once (FIN): the client reads end-of-stream.
     * What the client still sends is read and recorded until it closes too, so that a request that was on its
     * way does not turn the FIN into a reset.
     */
    ACCEPT_THEN_CLOSE,

    /** Accept each connection and reset it at once (RST): the client sees {@code Connection reset}. */
    ACCEPT_THEN_RESET
}
