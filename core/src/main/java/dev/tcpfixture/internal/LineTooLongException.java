package dev.tcpfixture.internal;

import java.io.IOException;

/**
 * Thrown when a client sends a line longer than the server's line limit. Never reaches a handler: the
 * {@code Exchange} turns it into a plain {@link IOException} with the same message.
 */
final class LineTooLongException extends IOException {

    private static final long serialVersionUID = 1L;

    /** How many bytes of the line the message shows. */
    private static final int SHOWN = 64;

    /**
     * @param limit the line limit
     * @param buffer the bytes received, with more than {@code limit} bytes of the line from {@code lineStart}
     * @param lineStart where the line starts in {@code buffer}
     */
    LineTooLongException(int limit, byte[] buffer, int lineStart) {
        super("the client sent a line longer than the line limit of " + Messages.count(limit, "byte", "bytes")
                + ", starting " + Messages.quote(buffer, lineStart, Math.min(SHOWN, limit)) + "...");
    }
}
