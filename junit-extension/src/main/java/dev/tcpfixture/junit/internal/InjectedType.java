package dev.tcpfixture.junit.internal;

import dev.tcpfixture.FakeTcpServer;
import java.net.InetSocketAddress;

/**
 * The types a {@code @TcpServer} element may have, and the value each gets.
 */
final class InjectedType {

    static final String SUPPORTED = "FakeTcpServer, int, Integer or InetSocketAddress";

    private InjectedType() {
    }

    static boolean isSupported(Class<?> type) {
        return type == FakeTcpServer.class || type == int.class || type == Integer.class
                || type == InetSocketAddress.class;
    }

    static Object valueOf(Class<?> type, FakeTcpServer server) {
        if (type == FakeTcpServer.class) {
            return server;
        }
        if (type == InetSocketAddress.class) {
            return server.address();
        }
        return server.port();
    }
}
