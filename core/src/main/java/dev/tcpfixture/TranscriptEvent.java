package dev.tcpfixture;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One recorded event of a connection: bytes that went either way, a close, a failure or a note.
 *
 * @param kind what happened
 * @param time when it happened
 * @param elapsed how long after the connection was accepted it happened
 * @param data the bytes received or sent, for {@link Kind#RECEIVED} and {@link Kind#SENT}; empty otherwise
 *     (a copy is returned)
 * @param detail a human-readable description; empty for plain data events
 * @since 0.1
 */
public record TranscriptEvent(Kind kind, Instant time, Duration elapsed, byte[] data, String detail) {

    /**
     * Creates an event, copying {@code data}.
     */
    public TranscriptEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(elapsed, "elapsed");
        data = data == null ? new byte[0] : data.clone();
        detail = detail == null ? "" : detail;
    }

    /**
     * Returns a copy of the bytes of this event.
     *
     * @return the bytes received or sent; empty for events without data
     */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /**
     * The kinds of {@link TranscriptEvent}.
     *
     * @since 0.1
     */
    public enum Kind {
        /** The server accepted the connection. */
        ACCEPTED,
        /** Bytes arrived from the client. */
        RECEIVED,
        /** Bytes were written to the client. */
        SENT,
        /** The client closed its side (the server read end-of-stream). */
        CLIENT_CLOSED,
        /** The client reset the connection. */
        CLIENT_RESET,
        /** The server shut down its output (half-close): the client reads end-of-stream but may still send. */
        SERVER_HALF_CLOSED,
        /** The server closed the connection. */
        SERVER_CLOSED,
        /** The server reset the connection (RST). */
        SERVER_RESET,
        /** A script expectation was not met, or the server failed. */
        FAILURE,
        /** Anything else worth knowing: a pause, a stall, a truncated recording, a send the client missed. */
        NOTE
    }
}
