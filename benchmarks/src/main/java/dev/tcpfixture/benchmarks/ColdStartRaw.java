package dev.tcpfixture.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Cold start, the floor: the same job as {@link ColdStartFake} with a plain {@link ServerSocket} and one thread
 * that accepts the connection, reads the line {@code PING}, answers {@code PONG}, reads until the client closes
 * and closes. The same client; "verify" is a check that the thread saw the right line and ended.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.tcpfixture.benchmarks.ColdStartRaw
 * </pre>
 *
 * <p>Written as a floor: a nested class rather than a lambda, and no string concatenation on the path that runs,
 * so that it loads no hidden class and bootstraps no {@code invokedynamic} call site. What the fake server adds
 * to a JVM's start, including those, is then all in the difference.
 */
public final class ColdStartRaw {

    private static final int BACKLOG = 512; // the fake server's default
    private static final long JOIN_MILLIS = 2_000;

    private ColdStartRaw() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket listener = new ServerSocket();
        OneConnection server;
        Thread thread;
        try {
            listener.bind(new InetSocketAddress(loopback, 0), BACKLOG);
            server = new OneConnection(listener);
            thread = new Thread(server, "raw-cold-start");
            thread.setDaemon(true);
            thread.start();
            Client.roundtrip(Client.Protocol.LINE, new InetSocketAddress(loopback, listener.getLocalPort()));
        } finally {
            listener.close();
        }
        thread.join(JOIN_MILLIS);
        if (thread.isAlive()) {
            throw new IllegalStateException("the server thread did not end");
        }
        if (server.failure != null) {
            throw new IllegalStateException("the server failed", server.failure);
        }
        if (!server.answered) {
            throw new IllegalStateException("the server did not receive the line PING");
        }
    }

    /** Accepts one connection and serves it as the fake server's script does. */
    private static final class OneConnection implements Runnable {
        private final ServerSocket listener;
        volatile boolean answered;
        volatile IOException failure;

        OneConnection(ServerSocket listener) {
            this.listener = listener;
        }

        @Override
        public void run() {
            try (Socket socket = listener.accept()) {
                answered = RawServer.answerPing(socket);
            } catch (IOException e) {
                failure = e;
            }
        }
    }
}
