package dev.tcpfixture.internal;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Waits, without taking any bytes, until a connection's channel is readable (bytes, end of stream or a reset
 * are there) or writable. Only the connection's worker waits; any thread may {@linkplain #wakeup() wake} it.
 * The channel stays registered with the waiter's selector until {@link #close()}, which must come before the
 * channel is closed: a registered channel's socket is really closed only when it is deregistered.
 */
final class ChannelWaiter {

    private final SocketChannel channel;
    private volatile Selector selector;
    private SelectionKey key;

    ChannelWaiter(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens the selector if it is not open yet. Called before a waiting state is published, so that a
     * {@link #wakeup()} after that always reaches the wait.
     */
    void prepare() throws IOException {
        if (selector == null) {
            Selector opened = Selector.open();
            try {
                key = channel.register(opened, SelectionKey.OP_READ);
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
            selector = opened;
        }
    }

    /** Waits until the channel is readable, woken, or the deadline passes. */
    void awaitReadable(long deadline) throws IOException {
        await(SelectionKey.OP_READ, deadline);
    }

    /** Waits until the channel is writable, woken, or the deadline passes. */
    void awaitWritable(long deadline) throws IOException {
        await(SelectionKey.OP_WRITE, deadline);
    }

    private void await(int operation, long deadline) throws IOException {
        prepare();
        try {
            if (key.interestOps() != operation) {
                key.interestOps(operation);
            }
            selector.select(Deadlines.remainingMillis(deadline));
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw new ClosedChannelException();
        }
    }

    /** Makes a wait in progress, or the next one, return at once. */
    void wakeup() {
        Selector current = selector;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Closes the selector, deregistering the channel. */
    void close() {
        Selector current = selector;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // nothing more to do: the selector is unusable either way
            }
        }
    }
}
