package dev.tcpfixture;

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
     * Returns the message followed by the transcript, as shown in test failures.
     *
     * @return a multi-line description of this failure
     */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(connectionId > 0 ? "connection #" + connectionId : "server").append(": ").append(message);
        if (!transcript.isEmpty()) {
            text.append(System.lineSeparator()).append(transcript);
        }
        return text.toString();
    }
}
