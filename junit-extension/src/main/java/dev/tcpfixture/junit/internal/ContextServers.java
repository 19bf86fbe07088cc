package dev.tcpfixture.junit.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The servers that belong to one extension context, by name. Kept in that context's own store, which closes
 * it, and with it every server, when the context ends, whatever happened before.
 */
final class ContextServers implements AutoCloseable {

    private final Map<String, ManagedServer> servers = new LinkedHashMap<>();

    synchronized ManagedServer find(String name) {
        return servers.get(name);
    }

    synchronized ManagedServer findOrStart(String name, Supplier<ManagedServer> starter) {
        return servers.computeIfAbsent(name, key -> starter.get());
    }

    /** Returns the servers in the order they were started. */
    synchronized List<ManagedServer> all() {
        return List.copyOf(servers.values());
    }

    /** Closes every server; closing a server twice does nothing. */
    @Override
    public void close() {
        all().forEach(ManagedServer::close);
    }
}
