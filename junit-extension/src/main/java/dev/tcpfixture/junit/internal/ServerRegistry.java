package dev.tcpfixture.junit.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The servers of one extension context, by name. Stored in that context's store, which closes it, and with
 * it every server, when the context ends.
 */
final class ServerRegistry implements AutoCloseable {

    private final Map<String, ManagedServer> servers = new LinkedHashMap<>();

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

    /** Closes every server; closing a server twice does nothing. */
    @Override
    public void close() {
        for (ManagedServer server : servers()) {
            server.server().close();
        }
    }
}
