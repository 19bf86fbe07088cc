package dev.tcpfixture.internal;

import dev.tcpfixture.ConnectionMode;
import java.util.List;

/**
 * What each {@link ConnectionMode} does, in one place: how the port is served, and what an accepted
 * connection runs.
 */
enum ModeBehaviour {

    /** Listen; each connection runs the next queued script, or the default script. */
    ACCEPT(PortUse.LISTEN),

    /** Nothing listens: the kernel answers a SYN with RST, and every connect fails with "Connection refused". */
    REFUSE(PortUse.NONE),

    /**
     * A listener whose backlog the server filled itself: the kernel drops SYNs, so a timed connect times out
     * and an untimed one waits until the mode changes or the kernel gives up.
     */
    CONNECT_TIMEOUT(PortUse.FULL_BACKLOG),

    /** Listen; shut the server's output at once (FIN), then record what the client sends until it closes. */
    ACCEPT_THEN_CLOSE(PortUse.LISTEN),

    /**
     * Listen; reset each connection once the client's first bytes or its close arrive. Not at once: a reset
     * that races a timed connect makes the connect fail, one that follows the client's bytes cannot.
     */
    ACCEPT_THEN_RESET(PortUse.LISTEN);

    /** How the port is served. */
    enum PortUse {
        /** A listener that accepts. */
        LISTEN,
        /** No listener. */
        NONE,
        /** A listener that never accepts, its backlog full. */
        FULL_BACKLOG
    }

    private final PortUse portUse;

    ModeBehaviour(PortUse portUse) {
        this.portUse = portUse;
    }

    static ModeBehaviour of(ConnectionMode mode) {
        return valueOf(mode.name());
    }

    PortUse portUse() {
        return portUse;
    }

    /** Returns the script an accepted connection runs, or {@code null} for the next script of the server's. */
    List<Step> script() {
        if (this == ACCEPT_THEN_CLOSE) {
            return List.of(Steps.shutdownOutput()); // then the worker records until the client closes
        }
        if (this == ACCEPT_THEN_RESET) {
            return List.of(Steps.resetForMode());
        }
        return null;
    }
}
