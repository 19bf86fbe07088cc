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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connections of one server: their records, in order of acceptance, the scripts they take, the sessions
 * still running, and the server's own failures. Decides when the server is quiet.
 */
final class Connections implements ServerPort.Listener {

    private static final int MAX_SERVER_FAILURES = 100;

    private final ServerSettings settings;
    private final ServerThreads threads;
    private final ShutdownSignal shutdown;
    private final ChangeSignal changes;
    private final Quiescence quiescence;

    private final ConcurrentLinkedQueue<QueuedScript> scripts = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedNumbers = new AtomicInteger();
    private final Object unusedLock = new Object();
    private ScriptFailure unusedReported; // guarded by unusedLock: the last report, kept while nothing changes
    private volatile List<Step> defaultScript = List.of();
    private final List<ConnectionRecorder> records = new ArrayList<>(); // guarded by itself
    private final BlockingQueue<ConnectionRecorder> untaken = new LinkedBlockingQueue<>();
    private final Set<Session> running = ConcurrentHashMap.newKeySet();
    private final List<ScriptFailure> serverFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final ReentrantLock registration = new ReentrantLock(); // a session is registered or shut down
    private boolean closed; // guarded by registration

    Connections(ServerSettings settings, ServerThreads threads, ShutdownSignal shutdown, ChangeSignal changes,
            Quiescence quiescence) {
        this.settings = settings;
        this.threads = threads;
        this.shutdown = shutdown;
        this.changes = changes;
        this.quiescence = quiescence;
    }

    // ---- scripts ----

    /** A script in the queue, numbered in the order it was queued, from 1. */
    private record QueuedScript(int number, List<Step> steps) {
    }

    void enqueue(List<Step> steps) {
        scripts.add(new QueuedScript(queuedNumbers.incrementAndGet(), List.copyOf(steps)));
    }

    void defaultScript(List<Step> steps) {
        defaultScript = List.copyOf(steps);
    }

    int queuedScripts() {
        return scripts.size();
    }

    // ---- accepting ----

    /** Records an accepted connection and starts its worker with the script its mode gives it. */
    @Override
    public void accepted(SocketChannel channel, ModeBehaviour mode) {
        try {
            register(channel, mode);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(channel);
            serverFailed("expected to set up every accepted connection, but setting one up failed with "
                    + Messages.abbreviate(e.toString()), e);
        }
    }

    private void register(SocketChannel channel, ModeBehaviour mode) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ConnectionRecorder recorder = new ConnectionRecorder(ids.incrementAndGet(),
                (InetSocketAddress) channel.getRemoteAddress(), (InetSocketAddress) channel.getLocalAddress(),
                settings.recordingLimit(), settings.charset(), changes, quiescence);
        synchronized (records) {
            records.add(recorder);
        }
        List<Step> steps = scriptFor(mode);
        Session session = new Session(channel, recorder, settings, shutdown, changes);
        registration.lock();
        try {
            if (closed) {
                session.closeForShutdown();
                session.done();
            } else {
                running.add(session);
                try {
                    threads.execute("connection-" + recorder.id(), new ConnectionWorker(session, steps, running));
                } catch (RuntimeException | Error e) {
                    running.remove(session);
                    session.done(); // no thread will run it: it must not look busy
                    throw e;
                }
            }
        } finally {
            registration.unlock();
        }
        untaken.add(recorder);
        changes.signal();
    }

    /**
     * Returns what an accepted connection runs: its mode's script, or else the next queued script (the default
     * script once the queue is empty), after the TLS handshake on a server that speaks TLS from the first byte,
     * unless the script replaces the handshake with a handshake fault.
     */
    private List<Step> scriptFor(ModeBehaviour mode) {
        List<Step> steps = mode.script();
        if (steps != null) {
            return steps;
        }
        QueuedScript queued = scripts.poll();
        steps = queued != null ? queued.steps() : defaultScript;
        if (settings.tls() == null || !settings.tls().fromStart()
                || !steps.isEmpty() && steps.get(0).replacesHandshake()) {
            return steps;
        }
        List<Step> withHandshake = new ArrayList<>(steps.size() + 1);
        withHandshake.add(Steps.tlsHandshake());
        withHandshake.addAll(steps);
        return withHandshake;
    }

    /** Records a failure to accept as a failure of the server; the server goes on accepting. */
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
                    + " server failures, but there were more; later ones are not kept", "", null));
        }
        changes.signal();
    }

    // ---- quiescence ----

    /**
     * Waits until every running connection but {@code self} is quiet: it has processed everything its client
     * delivered (see {@link RecordedInput#isQuiet()}), or it has ended. Not interruptible: an interrupt is kept
     * for the caller.
     *
     * @param bound how long to wait at most
     * @param self the connection of the calling thread, or {@code null}
     * @return {@code null} if quiet, or else a description of a connection that was still busy at the bound
     */
    String awaitQuiet(Duration bound, Session self) {
        long deadline = Deadlines.after(bound);
        boolean interrupted = false;
        try {
            while (true) {
                long seen = changes.version();
                Session busy = null;
                for (Session session : running) {
                    if (session != self && !session.isQuiet()) {
                        busy = session;
                        break;
                    }
                }
                if (busy == null) {
                    return null;
                }
                try {
                    if (!changes.awaitChange(seen, deadline)) {
                        return "connection #" + busy.recorder().id() + " was still " + busy.describeState();
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

    /** Whether {@code session} is a running connection of this server. */
    boolean isRunning(Session session) {
        return running.contains(session);
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

    /**
     * Returns the failure that reports the queued scripts no connection took, or {@code null} if there are
     * none. The same instance as last time while the unused scripts are the same ones.
     */
    ScriptFailure unusedScripts() {
        List<QueuedScript> unused = List.copyOf(scripts);
        synchronized (unusedLock) {
            if (unused.isEmpty()) {
                unusedReported = null;
                return null;
            }
            String message = describeUnused(unused);
            if (unusedReported == null || !unusedReported.message().equals(message)) {
                unusedReported = new ScriptFailure(0, "", message, "", null);
            }
            return unusedReported;
        }
    }

    private String describeUnused(List<QueuedScript> unused) {
        int total = queuedNumbers.get();
        StringBuilder text = new StringBuilder("expected a connection for each queued script, but ")
                .append(unused.size()).append(" of ").append(Messages.count(total, "queued script", "queued scripts"))
                .append(unused.size() == 1 ? " was" : " were").append(" not taken by any connection (")
                .append(Messages.count(count(), "connection", "connections"))
                .append(" accepted; to allow this: FakeTcpServer.builder().allowUnusedScripts()):");
        int listed = Math.min(unused.size(), Messages.MAX_LISTED);
        for (int i = 0; i < listed; i++) {
            QueuedScript script = unused.get(i);
            text.append(System.lineSeparator()).append("  queued script #").append(script.number()).append(": ")
                    .append(Messages.abbreviate(Steps.describe(script.steps()), 2 * Messages.MAX_TEXT));
        }
        if (unused.size() > listed) {
            text.append(System.lineSeparator()).append("  ... and ")
                    .append(Messages.count(unused.size() - listed, "more unused script", "more unused scripts"));
        }
        return text.toString();
    }

    /** Returns every failure recorded, the server's own first. */
    List<ScriptFailure> failures() {
        List<ScriptFailure> all = new ArrayList<>(serverFailures);
        for (RecordedConnection connection : all()) {
            all.addAll(connection.failures());
        }
        return all;
    }

    // ---- closing ----

    /** Closes every running connection; connections accepted from now on are closed at once. */
    void shutdown() {
        registration.lock();
        try {
            closed = true;
        } finally {
            registration.unlock();
        }
        for (Session session : List.copyOf(running)) {
            session.closeForShutdown();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the socket is unusable either way
        }
    }
}
