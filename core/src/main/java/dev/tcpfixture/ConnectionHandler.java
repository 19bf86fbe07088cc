package dev.tcpfixture;

/**
 * Custom server-side code for what the {@link Script} steps do not cover; run as a step of a script with
 * {@link Script#handle(ConnectionHandler)}.
 *
 * <p>Anything it throws is recorded as a {@link ScriptFailure} with the transcript, and fails the test on
 * {@link FakeTcpServer#verify()}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ConnectionHandler {

    /**
     * Handles the connection through the given exchange.
     *
     * @param exchange the recorded streams and socket of the connection
     * @throws Exception if the handler fails; recorded as a failure of the connection
     */
    void handle(Exchange exchange) throws Exception;
}
