package dev.tcpfixture;

import dev.tcpfixture.internal.Messages;
import java.util.Objects;

/**
 * A failure recorded on a server thread: a {@link Script} expectation that was not met, or an unexpected
 * exception, together with the transcript of the conversation up to that point.
 *
 * @param connectionId the {@link RecordedConnection#id() id} of the connection, or {@code 0} for a failure
 *     not tied to one connection
 * @param step the script step that failed, as described by the script, or empty
 * @param message what went wrong, showing what was expected and what actually happened
 * @param transcript the readable transcript of the connection when the failure was recorded
 * @param cause the exception behind the failure, or {@code null}
 * @since 0.1
 */
public record ScriptFailure(int connectionId, String step, String message, String transcript, Throwable cause) {

    /**
     * Creates a failure.
     */
    public ScriptFailure {
        Objects.requireNonNull(message, "message");
        step = step == null ? "" : step;
        transcript = transcript == null ? "" : transcript;
    }

    /**
     * Returns the message followed by the transcript, as shown in test failures: one item of a list of failures,
     * {@code connection #1: expected line "PING", but received line "PONG"} (or {@code server: ...} for a
     * failure not tied to one connection), then the transcript shortened to at most about 64 KiB (its start and
     * its end; the whole record: {@link FakeTcpServer#transcript()}, {@link RecordedConnection#received()}).
     *
     * @return a multi-line description of this failure, bounded whatever the conversation was
     */
    public String describe() {
        return Messages.describe(this, Messages.MAX_TRANSCRIPT);
    }

    /**
     * Returns a short form for logs and debuggers: the connection, the step and the message (shortened), not
     * the transcript.
     *
     * @return {@code ScriptFailure[connection #1, step expect line "PING": expected line "PING", but ...]}
     */
    @Override
    public String toString() {
        return "ScriptFailure[" + (connectionId > 0 ? "connection #" + connectionId : "server")
                + (step.isEmpty() ? "" : ", step " + Messages.abbreviate(step)) + ": " + Messages.abbreviate(message)
                + "]";
    }
}
