package dev.tcpfixture.internal;

import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The connections of one proxy: their records in order of acceptance, the ones still running, and the proxy's
 * own failures. A connection accepted in mode {@code ACCEPT} is forwarded ({@link ProxiedConnection}); one
 * accepted in {@code ACCEPT_THEN_CLOSE} or {@code ACCEPT_THEN_RESET} runs that mode's script exactly as on a fake
 * server. Decides when the proxy is quiet.
 */
final class ProxyConnections implements ServerPort.Listener {

    private static final int MAX_SERVER_FAILURES = 100;

    private final ProxySettings settings;
    private final ServerThreads threads;
    private final ShutdownSignal shutdown;
    private final ChangeSignal changes;
    private final Quiescence quiescence;
    private final FaultSet faults;
    private final BufferPool buffers = new BufferPool();
    private final Supplier<InetSocketAddress> upstream;

    private final List<ConnectionRecorder> records = new ArrayList<>(); // guarded by itself
    private final BlockingQueue<ConnectionRecorder> untaken = new LinkedBlockingQueue<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Set<ProxiedConnection> proxied = ConcurrentHashMap.newKeySet();
    private final List<ScriptFailure> serverFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final ReentrantLock registration = new ReentrantLock();
    private boolean closed; // guarded by registration

    ProxyConnections(ProxySettings settings, ServerThreads threads, ShutdownSignal shutdown, ChangeSignal changes,
            Quiescence quiescence, FaultSet faults, Supplier<InetSocketAddress> upstream) {
        this.settings = settings;
        this.threads = threads;
        this.shutdown = shutdown;
        this.changes = changes;
        this.quiescence = quiescence;
        this.faults = faults;
        this.upstream = upstream;
    }

    @Override
    public void accepted(SocketChannel channel, ModeBehaviour mode) {
        try {
            register(channel, mode);
        } catch (IOException | RuntimeException | Error e) {
            ProxiedConnection.closeQuietly(channel);
            serverFailed("expected to set up every accepted connection, but setting one up failed with "
                    + Messages.abbreviate(e.toString()), e);
        }
    }

    private void register(SocketChannel channel, ModeBehaviour mode) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ServerSettings server = settings.server();
        ConnectionRecorder recorder = new ConnectionRecorder(ids.incrementAndGet(),
                (InetSocketAddress) channel.getRemoteAddress(), (InetSocketAddress) channel.getLocalAddress(),
                server.recordingLimit(), server.charset(), changes, quiescence);
        synchronized (records) {
            records.add(recorder);
        }
        List<Step> steps = mode.script();
        registration.lock();
        try {
            if (steps != null) {
                Session session = new Session(channel, recorder, server, shutdown, changes);
                if (closed) {
                    session.closeForShutdown();
                    session.done();
                } else {
                    sessions.add(session);
                    try {
                        threads.execute("connection-" + recorder.id(), new ConnectionWorker(session, steps, sessions));
                    } catch (RuntimeException | Error e) {
                        sessions.remove(session);
                        session.done();
                        throw e;
                    }
                }
            } else {
                ProxiedConnection connection = new ProxiedConnection(channel, recorder, settings, upstream,
                        faults, buffers, threads, shutdown, changes, proxied);
                if (closed) {
                    connection.closeForShutdown();
                } else {
                    proxied.add(connection);
                    try {
                        threads.execute("connection-" + recorder.id(), connection);
                    } catch (RuntimeException | Error e) {
                        proxied.remove(connection);
                        connection.closeForShutdown();
                        throw e;
                    }
                }
            }
        } finally {
            registration.unlock();
        }
        untaken.add(recorder);
        changes.signal();
    }

    @Override
    public void acceptFailed(Throwable failure, long repeats) {
        serverFailed("expected to accept every connection, but accepting failed with "
                + Messages.abbreviate(failure.toString())
                + (repeats > 0 ? " (and " + Messages.count(repeats, "time", "times") + " more)" : "")
                + "; still accepting", failure);
    }

    void serverFailed(String message, Throwable cause) {
        if (serverFailures.size() < MAX_SERVER_FAILURES) {
            serverFailures.add(new ScriptFailure(0, "", message, "", cause));
        } else if (serverFailures.size() == MAX_SERVER_FAILURES) {
            serverFailures.add(new ScriptFailure(0, "", "expected at most " + MAX_SERVER_FAILURES
                    + " proxy failures, but there were more; later ones are not kept", "", null));
        }
        changes.signal();
    }

    /** Wakes every forwarding connection: the faults changed. */
    void faultsChanged() {
        for (ProxiedConnection connection : proxied) {
            connection.faultsChanged();
        }
    }

    // ---- quiescence ----

    /**
     * Waits until every running connection is quiet. Not interruptible: an interrupt is kept for the caller.
     *
     * @return {@code null} if quiet, or else a description of a connection still busy at the bound
     */
    String awaitQuiet(Duration bound) {
        long deadline = Deadlines.after(bound);
        boolean interrupted = false;
        try {
            while (true) {
                long seen = changes.version();
                String busy = busy();
                if (busy == null) {
                    return null;
                }
                try {
                    if (!changes.awaitChange(seen, deadline)) {
                        return busy();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String busy() {
        for (Session session : sessions) {
            if (!session.isQuiet()) {
                return "connection #" + session.recorder().id() + " was still " + session.describeState();
            }
        }
        for (ProxiedConnection connection : proxied) {
            if (!connection.isQuiet()) {
                return "connection #" + connection.id() + " was still busy (" + connection.describeState() + ")";
            }
        }
        return null;
    }

    // ---- queries ----

    RecordedConnection take(Duration timeout) throws InterruptedException {
        return untaken.poll(Deadlines.nanos(timeout), TimeUnit.NANOSECONDS);
    }

    List<RecordedConnection> all() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    int count() {
        synchronized (records) {
            return records.size();
        }
    }

    List<ScriptFailure> failures() {
        List<ScriptFailure> all = new ArrayList<>(serverFailures);
        for (RecordedConnection connection : all()) {
            all.addAll(connection.failures());
        }
        return all;
    }

    /** Closes every running connection; connections accepted from now on are closed at once. */
    void shutdown() {
        registration.lock();
        try {
            closed = true;
        } finally {
            registration.unlock();
        }
        for (Session session : List.copyOf(sessions)) {
            session.closeForShutdown();
        }
        for (ProxiedConnection connection : List.copyOf(proxied)) {
            connection.closeForShutdown();
        }
    }
}
