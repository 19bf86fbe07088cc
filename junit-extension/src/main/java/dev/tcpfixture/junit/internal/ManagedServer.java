package dev.tcpfixture.junit.internal;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.ScriptFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A server the extension started, with what it was asked for and which of its failures were reported.
 *
 * <p>Each failure is handed out once: to the verification of a test, or, for a per-class server, set aside
 * ({@linkplain #deferUnreportedFailures(String) deferred}) for the verification after all tests of its class
 * when no single test can be blamed for it.
 */
final class ManagedServer {

    private final ServerSpec spec;
    private final ServerScope scope;
    private final String origin;
    private final FakeTcpServer server;
    private final Set<ScriptFailure> handedOut = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<DeferredFailures> deferred = new ArrayList<>();

    ManagedServer(ServerSpec spec, ServerScope scope, String origin, FakeTcpServer server) {
        this.spec = spec;
        this.scope = scope;
        this.origin = origin;
        this.server = server;
    }

    ServerSpec spec() {
        return spec;
    }

    ServerScope scope() {
        return scope;
    }

    /** Returns the element that asked for the server first, for messages. */
    String origin() {
        return origin;
    }

    FakeTcpServer server() {
        return server;
    }

    /** Returns the failures not handed out yet and marks them handed out, so that each is reported once. */
    synchronized List<ScriptFailure> takeUnreportedFailures() {
        List<ScriptFailure> fresh = new ArrayList<>();
        for (ScriptFailure failure : server.failures()) {
            if (handedOut.add(failure)) {
                fresh.add(failure);
            }
        }
        return fresh;
    }

    /**
     * Sets the failures not handed out yet aside for the verification after all tests of the class, noting
     * when they were recorded. Does nothing for a server that is not verified.
     *
     * @param circumstance when they were recorded, for example {@code "during the aborted test [t()]"}
     */
    synchronized void deferUnreportedFailures(String circumstance) {
        if (!spec.verify()) {
            return;
        }
        List<ScriptFailure> fresh = takeUnreportedFailures();
        if (fresh.isEmpty()) {
            return;
        }
        int last = deferred.size() - 1;
        if (last >= 0 && deferred.get(last).circumstance().equals(circumstance)) {
            List<ScriptFailure> merged = new ArrayList<>(deferred.get(last).failures());
            merged.addAll(fresh);
            deferred.set(last, new DeferredFailures(circumstance, List.copyOf(merged)));
        } else {
            deferred.add(new DeferredFailures(circumstance, List.copyOf(fresh)));
        }
    }

    /** Returns the deferred failures and forgets them, so that each is reported once. */
    synchronized List<DeferredFailures> takeDeferredFailures() {
        List<DeferredFailures> taken = List.copyOf(deferred);
        deferred.clear();
        return taken;
    }

    /** Returns how the server is named in messages, for example {@code @TcpServer("replica") 127.0.0.1:40123}. */
    String describe() {
        return spec.label() + " " + server.authority() + " (" + scope.description() + ")";
    }

    /**
     * Failures set aside for the verification after all tests of the class.
     *
     * @param circumstance when they were recorded
     * @param failures the failures, in the order they were recorded
     */
    record DeferredFailures(String circumstance, List<ScriptFailure> failures) {
    }
}
