package dev.tcpfixture.internal;

import dev.tcpfixture.ConnectionMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's port and what serves it in the current {@link ConnectionMode}: the same port for the server's
 * whole life, whatever the mode.
 *
 * <p>The port is held by a socket that is bound with {@code SO_REUSEPORT} but never listens. A listener is
 * bound beside it while the mode accepts connections; in {@code REFUSE} mode there is none, so the kernel
 * answers SYNs with RST; in {@code CONNECT_TIMEOUT} mode a listener with a backlog of one is filled by two
 * connections of the server's own, so the kernel drops further SYNs. The holder is bound only once the server
 * first stops listening, so that the common test, which never switches, binds one socket.
 */
final class ServerPort implements Acceptor.Listener {

    private static final int FILLER_CONNECT_TIMEOUT_MILLIS = 1_000;

    /** Takes accepted connections, with the mode each was accepted in, and hears of failures to accept. */
    interface Listener {
        /** Takes an accepted connection. */
        void accepted(SocketChannel channel, ModeBehaviour mode);

        /** See {@link Acceptor.Listener#acceptFailed(Throwable, long)}. */
        void acceptFailed(Throwable failure, long repeats);
    }

    private final ServerSettings settings;
    private final ServerThreads threads;
    private final Listener listener;
    private final InetAddress address;
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock, volatile for the readers that do not take it
    private volatile int port;
    private volatile ConnectionMode mode;
    private volatile Acceptor acceptor;
    private Socket holder;
    private ServerSocketChannel blackhole;
    private final List<Socket> fillers = new ArrayList<>();
    private boolean closed;

    ServerPort(ServerSettings settings, ServerThreads threads, Listener listener) {
        this.settings = settings;
        this.threads = threads;
        this.listener = listener;
        InetAddress bindAddress = settings.bindAddress();
        this.address = bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bindAddress;
    }

    int port() {
        return port;
    }

    /** The address clients connect to: the bind address, or loopback for a wildcard. */
    InetAddress address() {
        return address;
    }

    ConnectionMode mode() {
        return mode;
    }

    /**
     * Switches the mode; when this returns, connections not accepted yet get the new behaviour.
     *
     * @throws IllegalStateException if the port is closed
     */
    void switchTo(ConnectionMode next) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(Messages.server(new java.net.InetSocketAddress(address, port))
                        + " is closed: its mode cannot change");
            }
            ModeBehaviour.PortUse use = ModeBehaviour.of(next).portUse();
            Acceptor current = acceptor;
            if (current != null && use == ModeBehaviour.PortUse.LISTEN) {
                // the listener stays. What the kernel completed before the switch is accepted in the old mode,
                // as when the listener goes; accepting is serialized with the switch, so nothing after it is
                current.lockAccepting();
                try {
                    current.acceptPending();
                    mode = next;
                } finally {
                    current.unlockAccepting();
                }
                return;
            }
            if (use != ModeBehaviour.PortUse.LISTEN) {
                holdPort(); // before the listener goes, so that the port is never free
            }
            closeEndpoint(); // accepts what the kernel completed, in the old mode
            if (use == ModeBehaviour.PortUse.LISTEN) {
                listen(next);
            } else {
                mode = next;
                if (use == ModeBehaviour.PortUse.FULL_BACKLOG) {
                    fillBacklog();
                } // else nothing listens
            }
        } finally {
            lock.unlock();
        }
    }

    /** Accepts every connection the kernel completed already; see {@link Acceptor#acceptPending()}. */
    void acceptPending() throws IOException {
        Acceptor current = acceptor;
        if (current != null) {
            current.acceptPending();
        }
    }

    /** Stops accepting (accepting what is queued first) and releases the port. Idempotent. */
    void close(long deadline) {
        lock.lock();
        try {
            closed = true;
            closeEndpoint(deadline);
            if (holder != null) {
                closeQuietly(holder);
                holder = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Binds a listener and starts accepting in {@code next}; if that fails, nothing listens (as in REFUSE). */
    private void listen(ConnectionMode next) throws IOException {
        Acceptor bound;
        try {
            bound = Acceptor.bind(new InetSocketAddress(settings.bindAddress(), port), settings.backlog(), this);
        } catch (IOException | RuntimeException | Error e) {
            mode = mode == null ? null : ConnectionMode.REFUSE;
            throw e;
        }
        if (port == 0) {
            port = bound.port();
            threads.portBound(port);
        }
        mode = next;
        try {
            bound.start(threads);
        } catch (RuntimeException | Error e) {
            mode = ConnectionMode.REFUSE;
            throw e;
        }
        acceptor = bound;
    }

    /** Hands an accepted connection over with the mode in force; accepting is serialized with switching. */
    @Override
    public void accepted(SocketChannel channel) {
        listener.accepted(channel, ModeBehaviour.of(mode));
    }

    @Override
    public void acceptFailed(Throwable failure, long repeats) {
        listener.acceptFailed(failure, repeats);
    }

    /** Binds the socket that keeps the port while no listener is bound; never listening. */
    private void holdPort() throws IOException {
        if (holder != null) {
            return;
        }
        Socket bound = new Socket();
        try {
            Acceptor.reusePort(bound);
            bound.bind(new InetSocketAddress(settings.bindAddress(), port));
        } catch (IOException | RuntimeException e) {
            bound.close();
            throw e;
        }
        holder = bound;
        if (port == 0) {
            port = bound.getLocalPort();
            threads.portBound(port);
        }
    }

    /** With a backlog of one, the kernel queues two connections; after them it drops SYNs. */
    private void fillBacklog() throws IOException {
        blackhole = Acceptor.bindListener(new InetSocketAddress(settings.bindAddress(), port), 1);
        for (int i = 0; i < 2; i++) {
            Socket filler = new Socket();
            fillers.add(filler);
            try {
                filler.connect(new InetSocketAddress(address, port), FILLER_CONNECT_TIMEOUT_MILLIS);
            } catch (SocketTimeoutException e) {
                return; // the backlog is full already
            }
        }
    }

    private void closeEndpoint() {
        closeEndpoint(System.nanoTime() + 2_000_000_000L);
    }

    private void closeEndpoint(long deadline) {
        for (Socket filler : fillers) {
            closeQuietly(filler);
        }
        fillers.clear();
        if (blackhole != null) {
            closeQuietly(blackhole);
            blackhole = null;
        }
        Acceptor current = acceptor;
        if (current != null) {
            current.stop(deadline);
            acceptor = null;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort; the socket is unusable either way
        }
    }
}
