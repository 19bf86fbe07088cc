package dev.tcpfixture.junit.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The servers of one extension context, by name. Stored in that context's store, which closes it, and with
 * it every server, when the context ends.
 *
 * <p>The registry of a class context also keeps track of the tests and {@code @Nested} classes below the class
 * that are running, so that a test can tell whether anything else that sees the same per-class servers ran at
 * the same time.
 */
final class ServerRegistry implements AutoCloseable {

    private final Map<String, ManagedServer> servers = new LinkedHashMap<>();

    /** The running tests and nested classes below this class, by unique id: whether another ran meanwhile. */
    private final Map<String, Boolean> running = new HashMap<>();

    synchronized ManagedServer find(String name) {
        return servers.get(name);
    }

    synchronized ManagedServer findOrStart(String name, Supplier<ManagedServer> starter) {
        ManagedServer server = servers.get(name);
        if (server == null) {
            server = starter.get();
            servers.put(name, server);
        }
        return server;
    }

    /** Returns the servers in the order they were started. */
    synchronized List<ManagedServer> servers() {
        return List.copyOf(servers.values());
    }

    /**
     * Notes that a test, or a {@code @Nested} class, below this class started. It overlaps every other one that
     * is running, unless one contains the other.
     */
    synchronized void started(String uniqueId) {
        boolean overlaps = false;
        for (Map.Entry<String, Boolean> other : running.entrySet()) {
            if (!related(other.getKey(), uniqueId)) {
                other.setValue(true);
                overlaps = true;
            }
        }
        running.put(uniqueId, overlaps);
    }

    /**
     * Notes that a test, or a {@code @Nested} class, below this class ended.
     *
     * @return whether another one below this class, not containing it, ran at some time while it ran
     */
    synchronized boolean ended(String uniqueId) {
        return Boolean.TRUE.equals(running.remove(uniqueId));
    }

    /** Whether one unique id is the other or below it: a nested class and its tests do not overlap. */
    private static boolean related(String one, String other) {
        return one.equals(other) || one.startsWith(other + "/") || other.startsWith(one + "/");
    }

    /** Closes every server; closing a server twice does nothing. */
    @Override
    public void close() {
        for (ManagedServer server : servers()) {
            server.server().close();
        }
    }
}
