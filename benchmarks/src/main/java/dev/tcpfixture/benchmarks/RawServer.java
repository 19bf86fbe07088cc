package dev.tcpfixture.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor: the least a {@link ServerSocket} server must do to serve the same exchange as the fake server
 * with the same script ({@code expectLine("PING").sendLine("PONG")}, then read until the client closes), and
 * to close as cleanly (every socket closed, every thread ended before {@link #close()} returns). An acceptor
 * thread, and either a new thread per connection (like the fake server) or, in the pooled variant, a cached
 * thread pool that reuses idle threads (like MockWebServer). No recording, no timeouts, no modes.
 */
final class RawServer implements BenchServer {

    private static final long STOP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int BACKLOG = 512; // the fake server's default
    private static final int PRUNE_EVERY = 256;
    private static final AtomicInteger SERVER_NUMBERS = new AtomicInteger();

    private final ServerSocket serverSocket;
    private final InetSocketAddress address;
    private final ThreadPoolExecutor pool;
    private final Thread acceptor;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger answered = new AtomicInteger();
    private final String name = "raw-" + SERVER_NUMBERS.incrementAndGet();
    private int accepted; // acceptor thread only

    /** Starts a raw server; {@code pooled} picks a cached thread pool over a new thread per connection. */
    static RawServer start(boolean pooled) {
        try {
            return new RawServer(pooled);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawServer(boolean pooled) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        this.serverSocket = socket;
        this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        this.pool = pooled ? new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> daemon(runnable, name + "-pooled")) : null;
        this.acceptor = daemon(this::acceptLoop, name + "-acceptor");
        acceptor.start();
    }

    private static Thread daemon(Runnable body, String threadName) {
        Thread thread = new Thread(body, threadName);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    int answered() {
        return answered.get();
    }

    private void acceptLoop() {
        while (true) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            openSockets.add(socket);
            if (pool != null) {
                pool.execute(() -> serve(socket));
            } else {
                // a worker stays in the set until it is seen dead, so that close() can join every live one
                if (++accepted % PRUNE_EVERY == 0) {
                    workers.removeIf(thread -> !thread.isAlive());
                }
                Thread worker = daemon(() -> serve(socket), name + "-connection");
                workers.add(worker);
                worker.start();
            }
        }
    }

    /** Serves one connection of the benchmarks' line protocol; counts it if answered. */
    private void serve(Socket socket) {
        try (socket) {
            if (answerPing(socket)) {
                answered.incrementAndGet();
            }
        } catch (IOException ignored) {
            // the client went away or the server closed the socket; closing below is all there is to do
        } finally {
            openSockets.remove(socket);
        }
    }

    /**
     * Reads the line {@code PING}, answers {@code PONG}, then reads until the client closes: the raw floor's
     * whole work on a connection, with a plain buffer and loops (no lambda, no string concatenation), shared
     * with {@link ColdStartRaw}.
     *
     * @return whether the client sent {@code PING} and was answered
     */
    static boolean answerPing(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[1_024];
        int length = 0;
        int newline = -1;
        while (newline < 0) {
            if (length == buffer.length) {
                return false; // not our client
            }
            int count = in.read(buffer, length, buffer.length - length);
            if (count < 0) {
                return false;
            }
            for (int i = length; i < length + count && newline < 0; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                }
            }
            length += count;
        }
        int lineEnd = newline > 0 && buffer[newline - 1] == '\r' ? newline - 1 : newline;
        boolean ping = lineEnd == 4 && buffer[0] == 'P' && buffer[1] == 'I' && buffer[2] == 'N' && buffer[3] == 'G';
        if (ping) {
            out.write(Exchange.LINE_ANSWER);
            out.flush();
        }
        while (in.read(buffer) >= 0) {
            // read until the client closes
        }
        return ping;
    }

    @Override
    public void close() {
        long deadline = System.nanoTime() + STOP_TIMEOUT_NANOS;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // unusable either way
        }
        join(acceptor, deadline);
        List<Thread> running = List.copyOf(workers);
        for (Socket socket : List.copyOf(openSockets)) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // unusable either way
            }
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException(name + ": pooled threads did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            for (Thread worker : running) {
                join(worker, deadline);
            }
        }
        if (acceptor.isAlive() || running.stream().anyMatch(Thread::isAlive)) {
            throw new IllegalStateException(name + ": threads did not stop: acceptor alive " + acceptor.isAlive()
                    + ", " + running.stream().filter(Thread::isAlive).count() + " connection thread(s)");
        }
    }

    private static void join(Thread thread, long deadline) {
        try {
            long remaining = deadline - System.nanoTime();
            if (remaining > 0) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
