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
 * <p>The registry of a class context also keeps track of the tests below the class that are running, so that
 * a test can tell whether another test that sees the same per-class servers ran at the same time.
 */
final class ServerRegistry implements AutoCloseable {

    private final Map<String, ManagedServer> servers = new LinkedHashMap<>();

    /** The running tests below this class, by unique id: whether another test ran while it ran. */
    private final Map<String, Boolean> runningTests = new HashMap<>();

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

    /** Notes that a test below this class started; if others are running, they all overlapped. */
    synchronized void testStarted(String uniqueId) {
        runningTests.put(uniqueId, false);
        if (runningTests.size() > 1) {
            runningTests.replaceAll((id, overlapped) -> true);
        }
    }

    /**
     * Notes that a test below this class ended.
     *
     * @return whether another test below this class ran at some time while it ran
     */
    synchronized boolean testEnded(String uniqueId) {
        return Boolean.TRUE.equals(runningTests.remove(uniqueId));
    }

    /** Closes every server; closing a server twice does nothing. */
    @Override
    public void close() {
        for (ManagedServer server : servers()) {
            server.server().close();
        }
    }
}
