package dev.tcpfixture.internal;

import java.io.IOException;

/**
 * One step of a script, run by the connection's worker thread.
 */
public interface Step {

    /**
     * Runs the step on the connection.
     *
     * @param session the connection
     * @throws ExpectationFailure if the client did not do what the step expects
     * @throws IOException if the connection fails or ends
     */
    void run(Session session) throws ExpectationFailure, IOException;

    /**
     * Describes the step for transcripts and failure messages, for example {@code expect line "QUIT"}.
     *
     * @return the description
     */
    String description();

    /**
     * Returns whether the step waits for input the client must send; if the connection ends while it waits,
     * that is a failure.
     *
     * @return {@code true} for expectations
     */
    default boolean expectsInput() {
        return false;
    }

    /**
     * Describes what the step waits for, as in "expected ...", for example {@code line "QUIT"}.
     *
     * @return what the client must send; the description for steps that wait for nothing
     */
    default String expectation() {
        return description();
    }

    /**
     * Returns whether the step runs a handler: user code that reads and writes through an {@code Exchange}. It
     * does not count as expecting input when the client ends the connection (its reads end), but does when the
     * server shuts down while it runs (it did not finish).
     *
     * @return {@code true} for {@code handle(...)} steps
     */
    default boolean isHandler() {
        return false;
    }

    /**
     * Returns whether no step may follow this one, because it ends the conversation.
     *
     * @return {@code true} for closing, resetting, stalling and loops that run until the client closes
     */
    default boolean isFinal() {
        return false;
    }

    /**
     * Returns whether the step upgrades the connection to TLS ({@code startTls()}), which needs a server with
     * TLS settings that does not speak TLS from the first byte.
     *
     * @return {@code true} for the {@code startTls()} step
     */
    default boolean startsTls() {
        return false;
    }

    /**
     * Returns whether the step is a TLS handshake fault, which runs in place of the handshake: first in a script for
     * a server that speaks TLS from the first byte (which then skips its automatic handshake), or where a
     * {@code startTls()} would be on a server that starts in plaintext.
     *
     * @return {@code true} for {@code tlsStall()}, {@code plaintextReply(...)}, {@code resetDuringHandshake()} and
     *     {@code tlsFault(...)}
     */
    default boolean replacesHandshake() {
        return false;
    }

    /**
     * Returns the length in bytes of the line this step expects the client to send, for checking it against the
     * server's line limit when the script is queued.
     *
     * @param charset the server's charset
     * @return the length of the expected line, or {@code -1} if the step expects no fixed line
     */
    default long expectedLineLength(java.nio.charset.Charset charset) {
        return -1;
    }

    /**
     * Returns the charset this step sets for the text of the steps after it.
     *
     * @return the charset, or {@code null} if the step sets none
     */
    default java.nio.charset.Charset setsCharset() {
        return null;
    }
}
