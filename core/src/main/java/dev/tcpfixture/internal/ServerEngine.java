package dev.tcpfixture.internal;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The running fake server: its {@linkplain ServerPort port}, its {@linkplain Connections connections} and its
 * {@linkplain ServerThreads threads}, and the two things that need all three: answering only once the server
 * is quiet, and closing.
 */
public final class ServerEngine implements AutoCloseable, Quiescence {

    private static final Duration THREAD_STOP_TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger SERVER_NUMBERS = new AtomicInteger();


    private final ServerSettings settings;
    private final ChangeSignal changes = new ChangeSignal();
    private final ShutdownSignal shutdown = new ShutdownSignal();
    private final ServerThreads threads;
    private final Connections connections;
    private final ServerPort port;
    private final ReentrantLock closing = new ReentrantLock();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean closeStarted;
    private volatile boolean closeRequested; // from the first moment of close(): no new scripts

    private ServerEngine(ServerSettings settings) {
        this.settings = settings;
        this.threads = new ServerThreads("tcpfixture-" + SERVER_NUMBERS.incrementAndGet());
        this.connections = new Connections(settings, threads, shutdown, changes, this);
        this.port = new ServerPort(settings, threads, connections);
    }

    /**
     * Starts a server.
     *
     * @param settings the options
     * @return the running server
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ServerEngine start(ServerSettings settings) {
        ServerEngine engine = new ServerEngine(settings);
        try {
            engine.port.switchTo(settings.initialMode());
        } catch (IOException e) {
            engine.close();
            throw new UncheckedIOException("could not start a fake TCP server on "
                    + Messages.host(settings.bindAddress()) + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    public ServerSettings settings() {
        return settings;
    }

    public int port() {
        return port.port();
    }

    public InetAddress address() {
        return port.address();
    }

    /**
     * Queues a script.
     *
     * @param steps the steps
     * @throws IllegalArgumentException if a step expects a line longer than the line limit
     * @throws IllegalStateException if the server is closed
     */
    public void enqueue(List<Step> steps) {
        checkScript(steps, "queued");
        connections.enqueue(steps);
    }

    /**
     * Sets the default script.
     *
     * @param steps the steps
     * @throws IllegalArgumentException if a step expects a line longer than the line limit
     * @throws IllegalStateException if the server is closed
     */
    public void defaultScript(List<Step> steps) {
        checkScript(steps, "set as the default script");
        connections.defaultScript(steps);
    }

    private void checkScript(List<Step> steps, String what) {
        if (closeRequested) {
            throw new IllegalStateException(Messages.server(new java.net.InetSocketAddress(address(), port()))
                    + " is closed: a script " + what + " now would never run");
        }
        java.nio.charset.Charset charset = settings.charset(); // as the steps set it, for the lines they expect
        for (int index = 0; index < steps.size(); index++) {
            Step step = steps.get(index);
            if (step.replacesHandshake() && settings.tls() == null) {
                throw new IllegalStateException("the script " + Steps.describe(steps) + " has the TLS handshake "
                        + "fault \"" + step.description() + "\", but the server has no TLS settings: build it with "
                        + "FakeTcpServer.builder().tls(...) or startTls(...)");
            }
            if (step.replacesHandshake() && settings.tls().fromStart() && index > 0) {
                throw new IllegalStateException("the script " + Steps.describe(steps) + " has the TLS handshake "
                        + "fault \"" + step.description() + "\" after other steps, but the server speaks TLS from "
                        + "the first byte (built with tls(...)): the fault replaces the handshake, so it must be "
                        + "the first step");
            }
            if (step.startsTls() && settings.tls() == null) {
                throw new IllegalStateException("the script " + Steps.describe(steps) + " upgrades to TLS with "
                        + "startTls(), but the server has no TLS settings: build it with "
                        + "FakeTcpServer.builder().startTls(sslContext)");
            }
            if (step.startsTls() && settings.tls().fromStart()) {
                throw new IllegalStateException("the script " + Steps.describe(steps) + " upgrades to TLS with "
                        + "startTls(), but the server speaks TLS from the first byte (built with tls(...)): build "
                        + "it with FakeTcpServer.builder().startTls(sslContext) to start in plaintext");
            }
            if (step.setsCharset() != null) {
                charset = step.setsCharset();
            }
            long length = step.expectedLineLength(charset);
            if (length > settings.lineLimit()) {
                throw new IllegalArgumentException("the step " + step.description() + " expects a line of "
                        + Messages.count(length, "byte", "bytes") + " in " + charset.name()
                        + ", longer than the server's line limit of "
                        + Messages.count(settings.lineLimit(), "byte", "bytes") + ", so no client could meet it; "
                        + "raise the limit with FakeTcpServer.builder().lineLimit(...)");
            }
        }
    }

    public int queuedScripts() {
        return connections.queuedScripts();
    }

    public ConnectionMode mode() {
        return port.mode();
    }

    /**
     * Switches the connection mode; when this returns, connections not accepted yet get the new behaviour.
     *
     * @param mode the mode
     * @throws IllegalStateException if the server is closed
     */
    public void mode(ConnectionMode mode) {
        try {
            port.switchTo(mode);
        } catch (IOException e) {
            throw new UncheckedIOException("could not switch port " + port.port() + " to " + mode, e);
        }
    }

    // ---- queries ----

    public RecordedConnection takeConnection(Duration timeout) throws InterruptedException {
        return connections.take(timeout);
    }

    public List<RecordedConnection> connections() {
        return connections.all();
    }

    public int connectionCount() {
        return connections.count();
    }

    /**
     * Returns every failure, once the server is quiet: every connection the kernel completed is accepted, and
     * every connection has processed what its client delivered. Waits at most the step timeout; a server that
     * is not quiet by then adds a failure that says so.
     *
     * @return the failures, server-level ones first
     */
    public List<ScriptFailure> failures() {
        String busy = closeStarted ? null : awaitQuietOrBusy();
        List<ScriptFailure> all = connections.failures();
        if (!settings.allowUnusedScripts()) {
            ScriptFailure unused = connections.unusedScripts();
            if (unused != null) {
                all.add(unused);
            }
        }
        if (busy != null) {
            all.add(new ScriptFailure(0, "", "expected the server to become quiet within "
                    + Messages.duration(settings.stepTimeout()) + ", but " + busy + ", so what its clients sent "
                    + "last may not be checked yet", "", null));
        }
        return List.copyOf(all);
    }

    /**
     * Waits until the server is quiet; see {@link #failures()}.
     *
     * @return {@code true} if it became quiet within the step timeout, or is closed
     */
    @Override
    public boolean awaitQuiet() {
        return closeStarted || awaitQuietOrBusy() == null;
    }

    /**
     * Brings the server to quiet, not waiting for the calling thread's own connection, which counts as waiting
     * for the server meanwhile.
     *
     * @return {@code null} if quiet, or else which connection was still busy at the bound
     */
    private String awaitQuietOrBusy() {
        try {
            port.acceptPending();
        } catch (IOException e) {
            connections.serverFailed("expected to accept every connection, but accepting failed with "
                    + Messages.abbreviate(e.toString()) + "; still accepting", e);
        }
        Session self = ownSession();
        if (self == null) {
            return connections.awaitQuiet(settings.stepTimeout(), null);
        }
        return self.whileAwaitingServer(() -> connections.awaitQuiet(settings.stepTimeout(), self));
    }

    /** Returns the connection of this server whose step the calling thread runs, or {@code null}. */
    private Session ownSession() {
        Session current = ConnectionWorker.current();
        return current != null && connections.isRunning(current) ? current : null;
    }

    /**
     * Waits until {@code condition} holds, checking it again whenever the record of the server changes.
     *
     * @param condition the condition on the server's record
     * @param timeout how long to wait at most
     * @return whether the condition held in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        return changes.await(condition, timeout);
    }

    public int liveThreadCount() {
        return threads.liveCount();
    }

    public boolean isClosed() {
        return closeStarted;
    }

    // ---- closing ----

    /**
     * Stops accepting (accepting what the kernel completed), waits until the server is quiet, closes every
     * connection and waits for every thread of the server to end. A second call waits for the first to finish.
     * Not interruptible: an interrupt is kept for the caller.
     */
    @Override
    public void close() {
        if (!closing.tryLock()) {
            if (ownSession() != null) {
                return; // the close in progress waits for this thread: waiting for it in turn would stall both
            }
            closing.lock(); // uninterruptible; the close in progress is bounded
        }
        try {
            if (closeStarted) {
                return;
            }
            closeRequested = true;
            // idle threads end meanwhile; a connection accepted from now on gets a thread of its own
            threads.shutdown();
            port.close(Deadlines.after(THREAD_STOP_TIMEOUT));
            String busy = awaitQuietOrBusy();
            if (busy != null) {
                connections.serverFailed("expected the server to become quiet within "
                        + Messages.duration(settings.stepTimeout()) + " before closing, but " + busy, null);
            }
            closeStarted = true;
            shutdown.trigger();
            connections.shutdown();
            for (String thread : threads.shutdownAndJoin(Deadlines.after(THREAD_STOP_TIMEOUT))) {
                connections.serverFailed("expected server thread " + thread + " to stop within "
                        + Messages.duration(THREAD_STOP_TIMEOUT) + ", but it is still running", null);
            }
        } finally {
            closed.countDown();
            closing.unlock();
        }
    }
}
