package dev.tcpfixture.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A listener and the task that accepts its connections. Any thread may also {@linkplain #acceptPending()
 * accept} what the kernel completed already: a quiescence check does, so that a connection that waits in the
 * accept queue is not missed. Accepting is serialized, so connections are numbered in the kernel's order.
 * Stopping accepts what is queued first, so that a client that connected just before is served rather than
 * reset. A failing {@code accept} (out of file descriptors, say) is reported and retried after a short
 * pause; it never ends the task.
 */
final class Acceptor implements Runnable {
    // Runnable for its own thread only: run() is not for others to call

    private static final long RETRY_PAUSE_MILLIS = 50;

    /** Hears of each accepted connection, and of failures to accept. */
    interface Listener {
        /** Takes an accepted connection. */
        void accepted(SocketChannel channel);

        /** Hears of a failure to accept: the first of a kind at once, then how often it repeated. */
        void acceptFailed(Throwable failure, long repeats);
    }

    private final ServerSocketChannel channel;
    private final Selector selector;
    private final Listener listener;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private Thread thread; // set once by start()

    private Acceptor(ServerSocketChannel channel, Selector selector, Listener listener) {
        this.channel = channel;
        this.selector = selector;
        this.listener = listener;
    }

    /**
     * Binds a listener; {@link #run()} then accepts on it.
     *
     * @param address the address and port, {@code 0} for an ephemeral one
     * @param backlog the accept backlog
     * @return the bound, not yet accepting, acceptor
     */
    static Acceptor bind(InetSocketAddress address, int backlog, Listener listener) throws IOException {
        ServerSocketChannel channel = bindListener(address, backlog);
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_ACCEPT);
            return new Acceptor(channel, selector, listener);
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /** Binds a listener beside the port holder; both use {@code SO_REUSEPORT}. */
    static ServerSocketChannel bindListener(InetSocketAddress address, int backlog) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            reusePort(channel);
            channel.bind(address, backlog);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /**
     * Sets {@code SO_REUSEPORT}, which keeps the port while no listener is bound.
     *
     * @throws UnsupportedOperationException with a clear message where the platform lacks it
     */
    static void reusePort(java.nio.channels.NetworkChannel socket) throws IOException {
        try {
            socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        } catch (UnsupportedOperationException e) {
            throw new UnsupportedOperationException("tcpfixture needs SO_REUSEPORT to keep its port while it "
                    + "refuses connections; this platform does not offer it", e);
        }
    }

    /** The same for the socket that holds the port. */
    static void reusePort(java.net.Socket socket) throws IOException {
        try {
            socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        } catch (UnsupportedOperationException e) {
            throw new UnsupportedOperationException("tcpfixture needs SO_REUSEPORT to keep its port while it "
                    + "refuses connections; this platform does not offer it", e);
        }
    }

    /**
     * Accepts every connection the kernel has completed, handing each to the handler, without waiting for
     * more. Safe from any thread; does nothing once the listener is closed.
     *
     * @throws IOException if accepting fails
     */
    void acceptPending() throws IOException {
        acceptLock.lock();
        try {
            SocketChannel accepted;
            while ((accepted = channel.accept()) != null) {
                listener.accepted(accepted);
            }
        } catch (ClosedChannelException stopped) {
            // stopped meanwhile: nothing is pending on a closed listener
        } finally {
            acceptLock.unlock();
        }
    }

    /** Holds back accepting, so that a mode switch between two accepting modes is exact. */
    void lockAccepting() {
        acceptLock.lock();
    }

    void unlockAccepting() {
        acceptLock.unlock();
    }

    /** Starts accepting on a thread of the server of its own; if that fails, the listener is closed. */
    void start(ServerThreads threads) {
        try {
            thread = threads.start("acceptor", this);
        } catch (RuntimeException | Error e) {
            closeQuietly();
            throw e;
        }
    }

    @Override
    public void run() {
        ConnectionClasses.loadOnce();
        String lastFailure = null;
        long repeats = 0;
        while (stopRequested.getCount() > 0) {
            try {
                selector.select();
                selector.selectedKeys().clear();
                acceptPending();
                if (repeats > 0) {
                    listener.acceptFailed(new IOException(lastFailure), repeats);
                }
                lastFailure = null;
                repeats = 0;
            } catch (IOException | RuntimeException | Error e) {
                if (stopRequested.getCount() == 0) {
                    break;
                }
                if (String.valueOf(e).equals(lastFailure)) {
                    repeats++;
                } else {
                    listener.acceptFailed(e, 0);
                    lastFailure = String.valueOf(e);
                    repeats = 0;
                }
                if (awaitStop(RETRY_PAUSE_MILLIS)) {
                    break;
                }
            }
        }
        if (repeats > 0) {
            listener.acceptFailed(new IOException(lastFailure), repeats);
        }
    }

    private boolean awaitStop(long millis) {
        try {
            return stopRequested.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return true;
        }
    }

    /**
     * Accepts what is already queued, ends the accepting thread and closes the listener.
     *
     * @param deadline when to give up waiting for the thread, in {@link Deadlines} terms
     */
    void stop(long deadline) {
        stopRequested.countDown();
        selector.wakeup();
        if (thread != null && thread != Thread.currentThread()) {
            Uninterruptibly.join(thread, deadline);
        }
        try {
            acceptPending();
        } catch (IOException | RuntimeException e) {
            listener.acceptFailed(e, 0);
        }
        closeQuietly();
    }

    /** Closes the listener and its selector without accepting; for an acceptor whose thread never started. */
    void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the listener is unusable either way
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // as above
        }
    }
}
