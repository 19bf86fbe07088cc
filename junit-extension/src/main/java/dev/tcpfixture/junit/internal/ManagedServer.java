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
 */
final class ManagedServer {

    private final ServerSpec spec;
    private final ServerScope scope;
    private final String origin;
    private final FakeTcpServer server;
    private final Set<ScriptFailure> reported = Collections.newSetFromMap(new IdentityHashMap<>());

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

    /** Returns the failures not reported yet and marks them reported, so that each is reported once. */
    synchronized List<ScriptFailure> takeUnreportedFailures() {
        List<ScriptFailure> fresh = new ArrayList<>();
        for (ScriptFailure failure : server.failures()) {
            if (reported.add(failure)) {
                fresh.add(failure);
            }
        }
        return fresh;
    }

    /** Returns how the server is named in messages, for example {@code @TcpServer("replica") 127.0.0.1:40123}. */
    String describe() {
        return spec.label() + " " + server.authority() + " (" + scope.description() + ")";
    }
}
