package dev.tcpfixture.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;

/**
 * Server sockets whose accepted connections have TCP_NODELAY on, as the fake server and the raw floor set it on
 * theirs. Given to MockWebServer through its public {@code serverSocketFactory} property: MockWebServer 5.5.1
 * never sets TCP_NODELAY itself, so Nagle's algorithm holds back its second small write of a response until the
 * client acknowledges the first (see docs/PERFORMANCE.md, TLS lifecycle).
 */
final class NoDelayServerSocketFactory extends ServerSocketFactory {

    static final NoDelayServerSocketFactory INSTANCE = new NoDelayServerSocketFactory();

    private NoDelayServerSocketFactory() {
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new NoDelayServerSocket();
    }

    // MockWebServer creates an unbound socket and binds it itself (to loopback, in the benchmarks); the
    // overloads that would bind to the wildcard address are not offered

    @Override
    public ServerSocket createServerSocket(int port) {
        throw unsupported();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) {
        throw unsupported();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("use createServerSocket() and bind it to a loopback address");
    }

    private static final class NoDelayServerSocket extends ServerSocket {

        NoDelayServerSocket() throws IOException {
        }

        @Override
        public Socket accept() throws IOException {
            Socket socket = super.accept();
            try {
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }
}
