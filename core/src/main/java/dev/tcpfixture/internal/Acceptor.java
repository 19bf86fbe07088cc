package dev.tcpfixture.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listener and the thread that accepts its connections. Stopping it first accepts every connection the
 * kernel already completed, so that a client that connected just before is served rather than reset.
 */
final class Acceptor {

    /** What to do with each accepted connection. */
    @FunctionalInterface
    interface Handler {
        void accepted(SocketChannel channel);
    }

    private final ServerSocketChannel channel;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean stopping;

    private Acceptor(ServerSocketChannel channel, Selector selector, ThreadStarter threads, String name,
            Handler handler) {
        this.channel = channel;
        this.selector = selector;
        this.thread = threads.newThread(name, () -> run(handler));
    }

    /** Creates threads that the server tracks. */
    @FunctionalInterface
    interface ThreadStarter {
        Thread newThread(String name, Runnable body);
    }

    static Acceptor start(InetSocketAddress address, int backlog, ThreadStarter threads, String name,
            Handler handler) throws IOException {
        ServerSocketChannel channel = bindListener(address, backlog);
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_ACCEPT);
            Acceptor acceptor = new Acceptor(channel, selector, threads, name, handler);
            acceptor.thread.start();
            return acceptor;
        } catch (IOException | RuntimeException e) {
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
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            channel.bind(address, backlog);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void run(Handler handler) {
        try {
            while (true) {
                selector.select();
                selector.selectedKeys().clear();
                SocketChannel accepted;
                while ((accepted = channel.accept()) != null) {
                    handler.accepted(accepted);
                }
                if (stopping) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                throw new java.io.UncheckedIOException("accepting connections failed", e);
            }
        }
    }

    /**
     * Accepts what is already queued, stops the thread and closes the listener.
     *
     * @param deadline when to give up waiting for the thread, in {@link System#nanoTime()} terms
     */
    void stop(long deadline) {
        stopping = true;
        selector.wakeup();
        if (thread != Thread.currentThread()) {
            try {
                long remaining = deadline - System.nanoTime();
                if (remaining > 0) {
                    thread.join(Math.max(1, remaining / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
