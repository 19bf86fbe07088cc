package dev.tcpfixture.benchmarks;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The upstream of the proxy benchmark: a plain {@link ServerSocket} on loopback, a thread per connection. A
 * connection's first byte picks what it does: {@code 'B'} reads everything until the client's end of stream and
 * answers with the count (8 bytes), {@code 'E'} echoes fixed-size messages until the client closes.
 */
final class ProxyUpstream implements AutoCloseable {

    static final int MESSAGE = 32;

    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private ProxyUpstream(ServerSocket listener) {
        this.listener = listener;
        this.acceptor = new Thread(this::accept, "proxy-bench-upstream");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    static ProxyUpstream start() throws IOException {
        return new ProxyUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                open.add(socket);
                Thread thread = new Thread(() -> serve(socket), "proxy-bench-upstream-connection");
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int mode = in.read();
            if (mode == 'B') {
                byte[] buffer = new byte[64 * 1024];
                long count = 0;
                for (int read; (read = in.read(buffer)) >= 0;) {
                    count += read;
                }
                new DataOutputStream(out).writeLong(count);
                out.flush();
            } else if (mode == 'E') {
                byte[] message = new byte[MESSAGE];
                while (in.readNBytes(message, 0, MESSAGE) == MESSAGE) {
                    out.write(message);
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
        try {
            acceptor.join(2_000);
            for (Thread thread : threads) {
                thread.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
