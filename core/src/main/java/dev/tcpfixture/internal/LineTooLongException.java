package dev.tcpfixture.internal;

import java.io.IOException;

/**
 * Thrown when a client sends a line longer than the server's line limit.
 */
final class LineTooLongException extends IOException {

    private static final long serialVersionUID = 1L;

    LineTooLongException(int limit) {
        super("the client sent a line longer than the line limit of " + limit + " bytes");
    }
}
