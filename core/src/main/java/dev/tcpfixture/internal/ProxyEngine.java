package dev.tcpfixture.internal;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.ProxyFault;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The running proxy: the fake server's {@linkplain ServerPort port} (with its connection modes) and
 * {@linkplain ServerThreads threads}, its own {@linkplain ProxyConnections connections} and {@linkplain FaultSet
 * faults}; answering only once the proxy is quiet, and closing, as {@link ServerEngine} does for a server.
 */
public final class ProxyEngine implements AutoCloseable, Quiescence {

    private static final Duration THREAD_STOP_TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger PROXY_NUMBERS = new AtomicInteger();

    private final ProxySettings settings;
    private final ChangeSignal changes = new ChangeSignal();
    private final ShutdownSignal shutdown = new ShutdownSignal();
    private final FaultSet faults = new FaultSet();
    private volatile Supplier<InetSocketAddress> upstream = () -> null;
    private volatile InetSocketAddress lastUpstream;
    private final ServerThreads threads;
    private final ProxyConnections connections;
    private final ServerPort port;
    private final ReentrantLock closing = new ReentrantLock();
    private volatile boolean closeStarted;

    private ProxyEngine(ProxySettings settings) {
        this.settings = settings;
        this.threads = new ServerThreads("tcpfixture-proxy-" + PROXY_NUMBERS.incrementAndGet());
        this.connections = new ProxyConnections(settings, threads, shutdown, changes, this, faults, this::resolveUpstream);
        this.port = new ServerPort(settings.server(), threads, connections);
    }

    /**
     * Starts a proxy.
     *
     * @param settings the options
     * @param upstream the upstream, or {@code null} for none yet
     * @return the running proxy
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ProxyEngine start(ProxySettings settings, InetSocketAddress upstream) {
        ProxyEngine engine = new ProxyEngine(settings);
        engine.upstream(upstream);
        try {
            engine.port.switchTo(settings.server().initialMode());
        } catch (IOException e) {
            engine.close();
            throw new UncheckedIOException("could not start a TCP proxy on "
                    + Messages.host(settings.server().bindAddress()) + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    public ProxySettings settings() {
        return settings;
    }

    public int port() {
        return port.port();
    }

    public InetAddress address() {
        return port.address();
    }

    // ---- upstream, mode and faults ----

    /** Returns the upstream set, or the one a resolver gave last; {@code null} if none. */
    public InetSocketAddress upstream() {
        return lastUpstream;
    }

    /** Sets the upstream for connections accepted from now on. */
    public void upstream(InetSocketAddress address) {
        lastUpstream = address;
        upstream = () -> address;
    }

    /** Sets a resolver, asked for the upstream at each connection accepted from now on. */
    public void upstream(Supplier<InetSocketAddress> resolver) {
        upstream = resolver;
        lastUpstream = null; // until the resolver answers: the address set before is not where connections go
    }

    /** Asks for the upstream of a new connection; it must be loopback. */
    private InetSocketAddress resolveUpstream() {
        InetSocketAddress address = upstream.get();
        if (address != null && (address.isUnresolved() || !address.getAddress().isLoopbackAddress())) {
            throw new IllegalStateException("a TCP proxy forwards to a loopback address only, not " + address);
        }
        if (address != null) {
            lastUpstream = address;
        }
        return address;
    }

    public ConnectionMode mode() {
        return port.mode();
    }

    /**
     * Switches the connection mode of the proxy's own port.
     *
     * @throws IllegalStateException if the proxy is closed
     */
    public void mode(ConnectionMode mode) {
        try {
            port.switchTo(mode);
        } catch (IOException e) {
            throw new UncheckedIOException("could not switch port " + port.port() + " to " + mode, e);
        }
    }

    /** Adds a fault; it takes effect on open connections at once. */
    public boolean add(ProxyFault fault) {
        boolean added = faults.add(fault);
        if (added) {
            connections.faultsChanged();
        }
        return added;
    }

    /** Removes a fault; open connections go on without it at once. */
    public boolean remove(ProxyFault fault) {
        boolean removed = faults.remove(fault);
        if (removed) {
            connections.faultsChanged();
        }
        return removed;
    }

    /** Removes every fault. */
    public void clearFaults() {
        if (faults.clear()) {
            connections.faultsChanged();
        }
    }

    public List<ProxyFault> faults() {
        return faults.snapshot().faults();
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
     * Returns every failure, once the proxy is quiet (at most the step timeout; a proxy not quiet by then adds a
     * failure that says so).
     */
    public List<ScriptFailure> failures() {
        String busy = closeStarted ? null : awaitQuietOrBusy();
        List<ScriptFailure> all = connections.failures();
        if (busy != null) {
            all.add(new ScriptFailure(0, "", "expected the proxy to become quiet within "
                    + Messages.duration(settings.server().stepTimeout()) + ", but " + busy + ", so what its clients "
                    + "sent last may not be recorded yet", "", null));
        }
        return List.copyOf(all);
    }

    @Override
    public boolean awaitQuiet() {
        return closeStarted || awaitQuietOrBusy() == null;
    }

    private String awaitQuietOrBusy() {
        try {
            port.acceptPending();
        } catch (IOException e) {
            connections.serverFailed("expected to accept every connection, but accepting failed with "
                    + Messages.abbreviate(e.toString()) + "; still accepting", e);
        }
        return connections.awaitQuiet(settings.server().stepTimeout());
    }

    public boolean awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        return changes.await(condition, timeout);
    }

    public int liveThreadCount() {
        return threads.liveCount();
    }

    public boolean isClosed() {
        return closeStarted;
    }

    /**
     * Stops accepting (accepting what the kernel completed), waits until the proxy is quiet, closes every
     * connection and waits for every thread of the proxy to end. A second call waits for the first to finish.
     */
    @Override
    public void close() {
        closing.lock();
        try {
            if (closeStarted) {
                return;
            }
            threads.shutdown();
            port.close(Deadlines.after(THREAD_STOP_TIMEOUT));
            String busy = awaitQuietOrBusy();
            if (busy != null) {
                connections.serverFailed("expected the proxy to become quiet within "
                        + Messages.duration(settings.server().stepTimeout()) + " before closing, but " + busy, null);
            }
            closeStarted = true;
            shutdown.trigger();
            connections.shutdown();
            for (String thread : threads.shutdownAndJoin(Deadlines.after(THREAD_STOP_TIMEOUT))) {
                connections.serverFailed("expected proxy thread " + thread + " to stop within "
                        + Messages.duration(THREAD_STOP_TIMEOUT) + ", but it is still running", null);
            }
        } finally {
            closing.unlock();
        }
    }
}
