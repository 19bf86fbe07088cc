package dev.tcpfixture.internal;

import dev.tcpfixture.ProxyFault.Direction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One connection a proxy accepted in mode {@code ACCEPT}: connects to the upstream, then forwards both ways
 * through two {@link ProxyPipe}s, and ends both sides together. If the upstream cannot be reached, the client's
 * connection is reset as a fake server in mode {@code ACCEPT_THEN_RESET} resets it: once its first bytes or its
 * close arrive (at most the step timeout), so that the reset never races a timed {@code connect}.
 */
final class ProxiedConnection implements Runnable {

    /** Where the connection is. */
    private enum Phase {
        CONNECTING, FORWARDING, UPSTREAM_DOWN, ENDED
    }

    private final SocketChannel client;
    private final ConnectionRecorder recorder;
    private final ProxySettings settings;
    private final Supplier<InetSocketAddress> upstreamAddress;
    private final FaultSet faults;
    private final BufferPool buffers;
    private final ServerThreads threads;
    private final ShutdownSignal shutdown;
    private final ChangeSignal changes;
    private final Set<ProxiedConnection> running;
    private final AtomicBoolean ended = new AtomicBoolean();
    // the order of the record: what the client answers after what it answers, nothing sent after the close (see
    // ProxyPipe); taken after a pipe's lock, never before
    private final ReentrantLock order = new ReentrantLock();
    private boolean clientResetSeen; // guarded by order: a write to the client failed (the client reset)
    private final AtomicInteger pipesDone = new AtomicInteger();
    private final AtomicInteger pipesFinished = new AtomicInteger();

    // guarded by this
    private Phase phase = Phase.CONNECTING;
    private boolean shutdownRequested;
    private SocketChannel upstream;
    private ProxyPipe toUpstream;
    private ProxyPipe toClient;
    private Session fallback;

    ProxiedConnection(SocketChannel client, ConnectionRecorder recorder, ProxySettings settings,
            Supplier<InetSocketAddress> upstreamAddress, FaultSet faults, BufferPool buffers, ServerThreads threads,
            ShutdownSignal shutdown, ChangeSignal changes, Set<ProxiedConnection> running) {
        this.client = client;
        this.recorder = recorder;
        this.settings = settings;
        this.upstreamAddress = upstreamAddress;
        this.faults = faults;
        this.buffers = buffers;
        this.threads = threads;
        this.shutdown = shutdown;
        this.changes = changes;
        this.running = running;
    }

    int id() {
        return recorder.id();
    }

    @Override
    public void run() {
        ProxyPipe first;
        try {
            first = connect();
        } catch (RuntimeException | Error e) {
            finish();
            throw e;
        }
        if (first == null) {
            finish();
            return;
        }
        first.run();
    }

    /** Connects to the upstream and starts the pipe to the client; returns the pipe from the client, or null. */
    private ProxyPipe connect() {
        InetSocketAddress target;
        try {
            target = upstreamAddress.get();
        } catch (RuntimeException e) {
            recorder.fail("", "expected an upstream to forward the connection to, but finding it failed with "
                    + Messages.abbreviate(String.valueOf(e)), e);
            upstreamDown("proxy reset the connection (no upstream)");
            return null;
        }
        if (target == null) {
            recorder.fail("", "expected an upstream to forward the connection to, but the proxy has none: set it "
                    + "with proxy.upstream(host, port)", null);
            upstreamDown("proxy reset the connection (no upstream)");
            return null;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            recorder.fail("", "expected to open a socket to the upstream, but it failed with "
                    + Messages.abbreviate(String.valueOf(e)), e);
            upstreamDown("proxy reset the connection (no socket for the upstream)");
            return null;
        }
        synchronized (this) {
            if (shutdownRequested) {
                closeQuietly(channel);
                return null;
            }
            upstream = channel;
        }
        try {
            channel.socket().connect(target, (int) Math.min(Integer.MAX_VALUE,
                    Math.max(1, settings.effectiveConnectTimeout().toMillis())));
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            closeQuietly(channel);
            if (isShutdown()) {
                return null;
            }
            recorder.note("upstream " + Messages.address(target) + " did not accept the connection: "
                    + Messages.abbreviate(String.valueOf(e.getMessage() == null ? e : e.getMessage())));
            upstreamDown("proxy reset the connection (upstream " + Messages.address(target) + " down)");
            return null;
        }
        try {
            int limit = settings.server().recordingLimit();
            ProxyPipe fromClient = new ProxyPipe(Direction.TO_UPSTREAM, client, channel, this, recorder, order,
                    changes, faults, buffers, limit);
            ProxyPipe toClientPipe;
            try {
                toClientPipe = new ProxyPipe(Direction.TO_CLIENT, channel, client, this, recorder, order, changes,
                        faults, buffers, limit);
            } catch (IOException | RuntimeException e) {
                fromClient.closeSelector();
                throw e;
            }
            synchronized (this) {
                toUpstream = fromClient;
                toClient = toClientPipe;
                if (shutdownRequested) {
                    fromClient.closeSelector();
                    toClientPipe.closeSelector();
                    closeQuietly(channel);
                    return null;
                }
                phase = Phase.FORWARDING;
            }
            recorder.note("forwarding to upstream " + Messages.address(target) + " from "
                    + Messages.address((InetSocketAddress) channel.getLocalAddress()));
            threads.execute("connection-" + id() + "-to-client", toClientPipe);
            return fromClient;
        } catch (IOException | RuntimeException e) {
            recorder.fail("", "expected to forward the connection to the upstream, but setting up failed with "
                    + Messages.abbreviate(String.valueOf(e)), e);
            end(false, true, "proxy closed the connection after the failure");
            return null;
        }
    }

    /** The upstream is down: the client's connection is reset once it spoke (or the step timeout passed). */
    private void upstreamDown(String detail) {
        Session session = new Session(client, recorder, settings.server(), shutdown, changes);
        synchronized (this) {
            if (shutdownRequested) {
                session.closeForShutdown();
                session.done();
                return;
            }
            fallback = session;
            phase = Phase.UPSTREAM_DOWN;
        }
        Step reset = new UpstreamDown(detail);
        new ConnectionWorker(session, List.of(reset), java.util.concurrent.ConcurrentHashMap.newKeySet()).run();
    }

    /** The step of an upstream that is down: a reset, as in mode {@code ACCEPT_THEN_RESET}. */
    private record UpstreamDown(String detail) implements Step {
        @Override
        public void run(Session session) throws IOException {
            session.reset(detail);
        }

        @Override
        public String description() {
            return "reset (upstream down)";
        }

        @Override
        public boolean isFinal() {
            return true;
        }
    }

    // ---- ending ----

    boolean isEnded() {
        return ended.get();
    }

    private synchronized boolean isShutdown() {
        return shutdownRequested;
    }

    /** A pipe forwarded its sender's end of stream; when both have, the connection closes. */
    void pipeDone() {
        if (pipesDone.incrementAndGet() == 2) {
            end(false, false, "proxy closed the connection after both sides closed");
        }
    }

    /** A pipe's thread is done; when both are, the connection leaves the running ones. */
    void pipeFinished() {
        if (pipesFinished.incrementAndGet() == 2) {
            finish();
        }
    }

    private void finish() {
        synchronized (this) {
            phase = Phase.ENDED;
        }
        running.remove(this);
        changes.signal();
    }

    /**
     * Ends the connection, once: records it, closes both pipes' selectors (which ends their waits) and both
     * sockets, each with FIN or, if asked, RST.
     *
     * @param resetClient whether the client gets RST
     * @param resetUpstream whether the upstream gets RST
     * @param detail what the transcript says
     */
    void end(boolean resetClient, boolean resetUpstream, String detail) {
        order.lock(); // a write to the client in progress is recorded before the close, and none follows it
        try {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            recorder.serverClosed(resetClient, detail);
        } finally {
            order.unlock();
        }
        ProxyPipe in;
        ProxyPipe out;
        SocketChannel up;
        synchronized (this) {
            in = toUpstream;
            out = toClient;
            up = upstream;
        }
        if (in != null) {
            in.closeSelector();
        }
        if (out != null) {
            out.closeSelector();
        }
        if (resetClient) {
            linger0(client);
        } else if (in != null) {
            try {
                client.shutdownOutput();
            } catch (IOException ignored) {
                // the client may be gone already
            }
            in.dropArrived();
        }
        if (up != null && resetUpstream) {
            linger0(up);
        } else if (up != null && out != null) {
            try {
                up.shutdownOutput();
            } catch (IOException ignored) {
                // the upstream may be gone already
            }
            out.dropArrived(); // what the upstream sent and the proxy did not read: a close, not a reset
        }
        closeQuietly(client);
        if (up != null) {
            closeQuietly(up);
        }
    }

    /** Notes that a write to the client failed with the client's reset; the caller holds the order lock. */
    void noteClientReset() {
        clientResetSeen = true;
    }

    /**
     * Whether a write to the client failed: the kernel reports a reset to one call only, so a read from the client
     * after it finds an end of stream that is the reset. The caller holds the order lock.
     */
    boolean clientResetSeen() {
        return clientResetSeen;
    }

    /**
     * After a write to the client failed: records what the client sent and the kernel still holds, and its end of
     * stream if there (a close, or the reset the write saw), then the reset if nothing ended the record yet.
     */
    void recordClientReset() {
        ProxyPipe in;
        synchronized (this) {
            in = toUpstream;
        }
        if (in != null) {
            in.dropArrived();
        }
        recorder.clientClosed(true);
    }

    /** Closes the connection because the proxy shuts down. */
    void closeForShutdown() {
        Session session;
        SocketChannel up;
        synchronized (this) {
            shutdownRequested = true;
            session = fallback;
            up = upstream;
        }
        if (session != null) {
            session.closeForShutdown();
            return;
        }
        end(false, false, "proxy closed the connection (proxy shut down)");
        if (up != null) {
            closeQuietly(up); // a connect in progress ends
        }
    }

    /** Wakes both pipes: the faults changed. */
    void faultsChanged() {
        Parts now = parts();
        if (now.toUpstream() != null) {
            now.toUpstream().wakeup();
        }
        if (now.toClient() != null) {
            now.toClient().wakeup();
        }
    }

    // ---- quiescence ----

    /** Whether the connection has dealt with everything its client delivered; see {@link ProxyPipe#isQuiet()}. */
    boolean isQuiet() {
        Parts now = parts();
        return switch (now.phase()) {
            case CONNECTING -> false;
            case UPSTREAM_DOWN -> now.fallback().isQuiet();
            case FORWARDING -> now.toUpstream().isQuiet() && now.toClient().isQuiet();
            case ENDED -> true;
        };
    }

    /** Describes where the connection is, for messages about a proxy that is not quiet. */
    String describeState() {
        Parts now = parts();
        return switch (now.phase()) {
            case CONNECTING -> "connecting to the upstream";
            case UPSTREAM_DOWN -> now.fallback().describeState();
            case FORWARDING -> now.toUpstream().describeState() + ", " + now.toClient().describeState();
            case ENDED -> "ended";
        };
    }

    /** The connection's phase and parts, as one consistent snapshot. */
    private record Parts(Phase phase, Session fallback, ProxyPipe toUpstream, ProxyPipe toClient) {
    }

    private synchronized Parts parts() {
        return new Parts(phase, fallback, toUpstream, toClient);
    }

    private static void linger0(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException ignored) {
            // closed already: nothing to reset
        }
    }

    /** Closes a channel whose use ends either way. */
    static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // unusable either way
        }
    }
}
