package dev.tcpfixture;

/**
 * How a {@link FakeTcpServer} treats new connection attempts; switchable at any time while the port stays
 * the same.
 *
 * @since 0.1
 * @see FakeTcpServer#mode(ConnectionMode)
 */
public enum ConnectionMode {

    /**
     * Accept connections and run the next queued {@link Script} (or the default script) on each. A client's
     * {@code connect}, timed or not, succeeds.
     */
    ACCEPT,

    /**
     * Refuse connections: the port stays bound but nothing listens on it, so a client's {@code connect(address)}
     * and {@code connect(address, timeout)} fail at once with {@code java.net.ConnectException: Connection
     * refused}.
     */
    REFUSE,

    /**
     * Let connects time out: a listener whose accept backlog is full stays on the port, so the kernel drops
     * new SYNs. A client's {@code connect(address, timeout)} fails with {@code java.net.SocketTimeoutException}
     * after its timeout; an untimed {@code connect(address)} waits until the mode changes (then it connects,
     * or is refused), the server closes (refused), or the kernel gives up (Linux: about two minutes, then
     * {@code java.net.ConnectException: Connection timed out}). Relies on Linux's default
     * {@code tcp_abort_on_overflow=0}.
     */
    CONNECT_TIMEOUT,

    /**
     * Accept each connection and close the server's side at once (FIN). {@code connect}, timed or not,
     * succeeds; the client's first read returns end of stream ({@code -1}). What the client still sends is
     * read and recorded until it closes too, so that a request that was on its way does not turn the FIN into
     * a reset.
     */
    ACCEPT_THEN_CLOSE,

    /**
     * Accept each connection and reset it (RST) once the client's first bytes or its close arrive, at most
     * the server's step timeout after accepting. Not at once: a reset that reaches a client still inside
     * {@code connect(address, timeout)} makes that connect fail, at random; one that follows the client's
     * bytes cannot. So {@code connect}, timed or not, always succeeds. A client that writes first: its write
     * succeeds and its next read throws {@code java.net.SocketException: Connection reset}. A client that
     * reads first: its read gets nothing until the step timeout has passed, then {@code Connection reset};
     * if its own read timeout is shorter, {@code java.net.SocketTimeoutException: Read timed out}.
     */
    ACCEPT_THEN_RESET
}
