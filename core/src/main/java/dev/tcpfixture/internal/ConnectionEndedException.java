package dev.tcpfixture.internal;

import java.io.IOException;

/**
 * Signals that a connection ended while a step ran: the client closed or reset it, the server is shutting
 * down, or a step closed it on purpose.
 */
final class ConnectionEndedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why the connection ended. */
    enum Reason {
        CLIENT_CLOSED("the client closed the connection"),
        CLIENT_RESET("the client reset the connection"),
        SERVER_SHUTDOWN("the server was shut down"),
        SCRIPT_CLOSED("the script closed the connection"),
        TLS_FAILED("TLS failed");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }

        /** Whether the client ended the connection. */
        boolean byClient() {
            return this == CLIENT_CLOSED || this == CLIENT_RESET;
        }
    }

    private final Reason reason;

    ConnectionEndedException(Reason reason, Throwable cause) {
        super(reason.description(), cause);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }
}
