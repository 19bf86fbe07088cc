package dev.tcpfixture.tls;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;

/**
 * Run in a fresh JVM on the class path by {@code OneSwitchTest}: {@code tls()} finds the material through
 * {@code META-INF/services}, without module descriptors.
 */
public final class OneSwitchOnClassPath {
    private OneSwitchOnClassPath() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("unnamed module: " + !FakeTcpServer.class.getModule().isNamed());
        try (FakeTcpServer server = FakeTcpServer.builder().tls().start()) {
            server.enqueue(Script.create().expectLine("hello").sendLine("hi"));
            String reply = TestClients.sslSocketEcho(server.tlsClient().sslContext(), "localhost", server.port(), true);
            System.out.println("reply: " + reply);
            server.verify();
        }
    }
}
