package dev.tcpfixture.internal;

import java.io.IOException;

/**
 * Thrown when a client does not read what the server sends within the step timeout.
 */
final class SendTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    SendTimeoutException(String message) {
        super(message);
    }
}
