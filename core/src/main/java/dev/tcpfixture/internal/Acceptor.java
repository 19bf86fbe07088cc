package dev.tcpfixture.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A listener and the thread that accepts its connections. Stopping it first accepts every connection the
 * kernel already completed, so that a client that connected just before is served rather than reset. A
 * failing {@code accept} (out of file descriptors, say) is reported and retried after a short pause; it never
 * ends the thread.
 */
final class Acceptor {

    private static final long RETRY_PAUSE_MILLIS = 50;

    /** What to do with each accepted connection. */
    @FunctionalInterface
    interface Handler {
        void accepted(SocketChannel channel);
    }

    /** Hears of failures to accept: the first of a kind at once, then how often it repeated. */
    @FunctionalInterface
    interface FailureListener {
        void acceptFailed(Throwable failure, long repeats);
    }

    /** Starts threads that the server tracks. */
    @FunctionalInterface
    interface ThreadStarter {
        Thread start(String name, Runnable body);
    }

    private final ServerSocketChannel channel;
    private final Selector selector;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private Thread thread;

    private Acceptor(ServerSocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /**
     * Binds a listener; {@link #start} then accepts on it.
     *
     * @param address the address and port, {@code 0} for an ephemeral one
     * @param backlog the accept backlog
     * @return the bound, not yet accepting, acceptor
     */
    static Acceptor bind(InetSocketAddress address, int backlog) throws IOException {
        ServerSocketChannel channel = bindListener(address, backlog);
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_ACCEPT);
            return new Acceptor(channel, selector);
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    int port() {
        return channel.socket().getLocalPort();
    }

    /** Starts the thread that accepts; if that fails, the listener is closed. */
    void start(ThreadStarter threads, String name, Handler handler, FailureListener failures) {
        try {
            thread = threads.start(name, () -> run(handler, failures));
        } catch (RuntimeException | Error e) {
            closeQuietly();
            throw e;
        }
    }

    /** Binds a listener beside the port holder; both use {@code SO_REUSEPORT}. */
    static ServerSocketChannel bindListener(InetSocketAddress address, int backlog) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            channel.bind(address, backlog);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void run(Handler handler, FailureListener failures) {
        String lastFailure = null;
        long repeats = 0;
        while (true) {
            try {
                selector.select();
                selector.selectedKeys().clear();
                SocketChannel accepted;
                while ((accepted = channel.accept()) != null) {
                    handler.accepted(accepted);
                }
                if (stopping) {
                    break;
                }
                if (repeats > 0) {
                    failures.acceptFailed(new IOException(lastFailure), repeats);
                }
                lastFailure = null;
                repeats = 0;
            } catch (IOException | RuntimeException | Error e) {
                if (stopping) {
                    break;
                }
                if (String.valueOf(e).equals(lastFailure)) {
                    repeats++;
                } else {
                    failures.acceptFailed(e, 0);
                    lastFailure = String.valueOf(e);
                    repeats = 0;
                }
                if (awaitStop(RETRY_PAUSE_MILLIS)) {
                    break;
                }
            }
        }
        if (repeats > 0) {
            failures.acceptFailed(new IOException(lastFailure), repeats);
        }
    }

    private boolean awaitStop(long millis) {
        try {
            return stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return true;
        }
    }

    /**
     * Accepts what is already queued, stops the thread and closes the listener.
     *
     * @param deadline when to give up waiting for the thread, in {@link System#nanoTime()} terms
     */
    void stop(long deadline) {
        stopping = true;
        stopped.countDown();
        selector.wakeup();
        if (thread != null && thread != Thread.currentThread()) {
            Uninterruptibly.join(thread, deadline);
        }
        closeQuietly();
    }

    private void closeQuietly() {
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
