package dev.tcpfixture.junit.internal;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.ScriptFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A server the extension started, with what it was asked for and which of its failures were handed out.
 *
 * <p>Each failure is handed out once: to the verification after a test, or, for a per-class server, set aside
 * for the verification after all tests of its class.
 */
final class ManagedServer {

    private final ServerSpec spec;
    private final ServerScope scope;
    private final String origin;
    private final FakeTcpServer server;
    private final Set<ScriptFailure> handedOut = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<ScriptFailure> setAside = new ArrayList<>();

    ManagedServer(ServerSpec spec, ServerScope scope, String origin, FakeTcpServer server) {
        this.spec = spec;
        this.scope = scope;
        this.origin = origin;
        this.server = server;
    }

    ServerSpec spec() {
        return spec;
    }

    /** Returns the element that asked for the server first, for messages. */
    String origin() {
        return origin;
    }

    FakeTcpServer server() {
        return server;
    }

    void close() {
        server.close();
    }

    /**
     * Returns the failures recorded since the last call, each failure once. {@link FakeTcpServer#failures()}
     * first waits until the server has dealt with everything its clients sent so far.
     */
    synchronized List<ScriptFailure> takeNewFailures() {
        List<ScriptFailure> fresh = new ArrayList<>();
        for (ScriptFailure failure : server.failures()) {
            if (handedOut.add(failure)) {
                fresh.add(failure);
            }
        }
        return fresh;
    }

    /** Keeps the failures recorded since the last call for {@link #takeRemainingFailures()}. */
    synchronized void setAsideNewFailures() {
        if (spec.verify()) {
            setAside.addAll(takeNewFailures());
        }
    }

    /** Returns the failures set aside and those recorded since the last call, in that order. */
    synchronized List<ScriptFailure> takeRemainingFailures() {
        List<ScriptFailure> remaining = new ArrayList<>(setAside);
        setAside.clear();
        remaining.addAll(takeNewFailures());
        return remaining;
    }

    /**
     * Returns how the server is named in messages, for example
     * {@code fake TCP server 127.0.0.1:40123 (@TcpServer("replica"), per test)}.
     */
    String describe() {
        return Wording.server(server) + " (" + spec.label() + ", " + scope.description() + ")";
    }
}
