package dev.tcpfixture.internal;

/**
 * Thrown by a step whose expectation the client did not meet; recorded as a failure of the connection.
 */
public final class ExpectationFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates a failure with a message that shows what was expected and what happened.
     *
     * @param message the message
     */
    public ExpectationFailure(String message) {
        super(message, null, false, false);
    }
}
