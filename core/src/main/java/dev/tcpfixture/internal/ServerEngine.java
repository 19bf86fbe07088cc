package dev.tcpfixture.internal;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The running fake server: the port, the listener that serves the current {@link ConnectionMode}, the
 * connections and their threads.
 *
 * <p>The port is held for the server's whole life by a socket that is bound with {@code SO_REUSEPORT} but
 * never listens. A listener is bound beside it while the mode accepts connections; in {@code REFUSE} mode
 * there is none, so the kernel answers SYNs with RST; in {@code CONNECT_TIMEOUT} mode a listener with a
 * backlog of one is filled by two connections of the server's own, so the kernel drops further SYNs.
 */
public final class ServerEngine implements AutoCloseable {

    /** How long close() and failures() wait at most for connections still working through what arrived. */
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final Duration THREAD_STOP_TIMEOUT = Duration.ofSeconds(2);
    private static final int FILLER_CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final Duration IDLE_LINGER = Duration.ofSeconds(1);
    private static final int MAX_SERVER_FAILURES = 100;
    private static final AtomicInteger SERVER_NUMBERS = new AtomicInteger();

    /** What a connection gets in mode {@code ACCEPT_THEN_CLOSE}: FIN at once, then recording until the client closes. */
    private static final List<Step> ACCEPT_THEN_CLOSE = List.of(Steps.shutdownOutput());

    private final ServerSettings settings;
    private final Object lock = new Object();
    private final Object sessionsLock = new Object();
    private final Object activityMonitor = new Object();
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<List<Step>> scripts = new ConcurrentLinkedQueue<>();
    private final List<ConnectionRecorder> connections = new ArrayList<>(); // guarded by itself
    private final BlockingQueue<ConnectionRecorder> untaken = new LinkedBlockingQueue<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object idle = new Object();
    private final ArrayDeque<NamedWork> handoff = new ArrayDeque<>(); // guarded by idle
    private int idleThreads; // guarded by idle
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final List<ScriptFailure> serverFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final ChangeSignal changes = new ChangeSignal();

    private final InetAddress address;
    private Socket portHolder; // bound once the server first stops listening; guarded by lock
    private volatile int port;
    private volatile String threadPrefix;
    private volatile List<Step> defaultScript = List.of();
    private volatile ConnectionMode mode;
    private volatile boolean shuttingDown;
    private Acceptor acceptor;
    private ServerSocketChannel blackhole;
    private final List<Socket> fillers = new ArrayList<>();

    private ServerEngine(ServerSettings settings) {
        this.settings = settings;
        InetAddress bindAddress = settings.bindAddress();
        this.address = bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bindAddress;
        if (!ReusePort.SUPPORTED) {
            throw new UnsupportedOperationException("tcpfixture needs SO_REUSEPORT to keep its port while it "
                    + "refuses connections; this platform does not offer it");
        }
    }

    /** Takes the port a first socket was given; every later socket binds the same one. */
    private void portBound(int boundPort) {
        port = boundPort;
        threadPrefix = "tcpfixture-" + SERVER_NUMBERS.incrementAndGet() + "-port-" + boundPort;
    }

    /**
     * Binds the socket that keeps the port while no listener is bound: with {@code SO_REUSEPORT}, beside the
     * listener if there is one, and never listening.
     */
    private void holdPort() throws IOException {
        if (portHolder != null) {
            return;
        }
        Socket holder = new Socket();
        try {
            holder.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            holder.bind(new InetSocketAddress(settings.bindAddress(), port));
        } catch (IOException | RuntimeException e) {
            holder.close();
            throw e;
        }
        portHolder = holder;
        if (port == 0) {
            portBound(holder.getLocalPort());
        }
    }

    /**
     * Starts a server.
     *
     * @param settings the options
     * @return the running server
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ServerEngine start(ServerSettings settings) {
        try {
            ServerEngine engine = new ServerEngine(settings);
            try {
                synchronized (engine.lock) {
                    engine.switchTo(settings.initialMode());
                }
            } catch (IOException | RuntimeException e) {
                engine.close();
                throw e;
            }
            return engine;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a fake TCP server on "
                    + Transcripts.host(settings.bindAddress()) + ": " + e.getMessage(), e);
        }
    }

    /** Whether this platform offers {@code SO_REUSEPORT}, found out once. */
    private static final class ReusePort {
        static final boolean SUPPORTED = probe();

        private static boolean probe() {
            try (ServerSocket probe = new ServerSocket()) {
                return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
            } catch (IOException e) {
                return false;
            }
        }
    }

    public ServerSettings settings() {
        return settings;
    }

    public int port() {
        return port;
    }

    public InetAddress address() {
        return address;
    }

    public String threadPrefix() {
        return threadPrefix;
    }

    public void enqueue(List<Step> steps) {
        scripts.add(List.copyOf(steps));
    }

    public void defaultScript(List<Step> steps) {
        defaultScript = List.copyOf(steps);
    }

    public int queuedScripts() {
        return scripts.size();
    }

    public ConnectionMode mode() {
        return mode;
    }

    /**
     * Switches the connection mode; when this returns, connections not accepted yet get the new behaviour.
     *
     * @param newMode the mode
     */
    public void mode(ConnectionMode newMode) {
        synchronized (lock) {
            if (shuttingDown) {
                throw new IllegalStateException("the fake TCP server on port " + port + " is closed");
            }
            try {
                switchTo(newMode);
            } catch (IOException e) {
                throw new UncheckedIOException("could not switch port " + port + " to " + newMode, e);
            }
        }
    }

    private void switchTo(ConnectionMode newMode) throws IOException {
        boolean accepting = accepts(newMode);
        if (mode != null && accepting && accepts(mode)) {
            mode = newMode;
            return;
        }
        if (!accepting) {
            holdPort(); // before the listener goes, so that the port is never free
        }
        closeEndpoint();
        mode = newMode;
        if (accepting) {
            Acceptor bound = Acceptor.bind(new InetSocketAddress(settings.bindAddress(), port), settings.backlog());
            if (port == 0) {
                portBound(bound.port());
            }
            acceptor = bound;
            bound.start(this::startThread, threadPrefix + "-acceptor", this::accepted, this::acceptFailed);
        } else if (newMode == ConnectionMode.CONNECT_TIMEOUT) {
            blackhole = Acceptor.bindListener(new InetSocketAddress(settings.bindAddress(), port), 1);
            fillBacklog();
        }
    }

    private static boolean accepts(ConnectionMode mode) {
        return mode == ConnectionMode.ACCEPT || mode == ConnectionMode.ACCEPT_THEN_CLOSE
                || mode == ConnectionMode.ACCEPT_THEN_RESET;
    }

    /** With a backlog of one, the kernel queues two connections; after them it drops SYNs. */
    private void fillBacklog() throws IOException {
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
        for (Socket filler : fillers) {
            closeQuietly(filler);
        }
        fillers.clear();
        if (blackhole != null) {
            closeQuietly(blackhole);
            blackhole = null;
        }
        if (acceptor != null) {
            acceptor.stop(System.nanoTime() + THREAD_STOP_TIMEOUT.toNanos());
            acceptor = null;
        }
    }

    private void accepted(SocketChannel channel) {
        Socket socket = channel.socket();
        try {
            handleAccepted(socket);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(socket);
            serverFailed("setting up an accepted connection failed: " + e, e);
        }
    }

    private void acceptFailed(Throwable failure, long repeats) {
        serverFailed("accepting a connection failed: " + failure
                + (repeats > 0 ? " (and " + repeats + " times more)" : "") + "; still accepting", failure);
    }

    private void serverFailed(String message, Throwable cause) {
        if (serverFailures.size() < MAX_SERVER_FAILURES) {
            serverFailures.add(new ScriptFailure(0, "", message, "", cause));
        } else if (serverFailures.size() == MAX_SERVER_FAILURES) {
            serverFailures.add(new ScriptFailure(0, "", "more server failures than " + MAX_SERVER_FAILURES
                    + "; later ones are not kept", "", null));
        }
        changes.signal();
    }

    private void handleAccepted(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        ConnectionRecorder recorder = new ConnectionRecorder(connectionIds.incrementAndGet(),
                (InetSocketAddress) socket.getRemoteSocketAddress(), (InetSocketAddress) socket.getLocalSocketAddress(),
                settings.recordingLimit(), settings.charset(), changes);
        synchronized (connections) {
            connections.add(recorder);
        }
        ConnectionMode current = mode;
        if (current == ConnectionMode.ACCEPT_THEN_RESET) {
            recorder.serverClosed(true, "server reset the connection at once (mode ACCEPT_THEN_RESET)");
            socket.setSoLinger(true, 0);
            socket.close();
        } else {
            // closing at once could send RST for a request already received; a half-close sends FIN, and the
            // worker reads and records what the client sends until it closes too
            List<Step> steps = current == ConnectionMode.ACCEPT_THEN_CLOSE ? ACCEPT_THEN_CLOSE : scripts.poll();
            Session session = new Session(socket, recorder, this);
            synchronized (sessionsLock) {
                if (shuttingDown) {
                    session.closeForShutdown();
                } else {
                    sessions.add(session);
                    try {
                        dispatch(threadPrefix + "-connection-" + recorder.id(),
                                new ConnectionWorker(session, steps != null ? steps : defaultScript));
                    } catch (RuntimeException | Error e) {
                        session.done(); // no thread will run it: it must not look busy
                        throw e;
                    }
                }
            }
        }
        untaken.add(recorder);
        changes.signal();
    }

    /** Starts a thread of this server, tracked until it ends so that close() can wait for it. */
    private Thread startThread(String name, Runnable body) {
        Thread thread = new Thread(null, () -> {
            try {
                body.run();
            } finally {
                changes.signal(); // the thread stays in the set until it is seen dead: close() joins it
            }
        }, name, 256 * 1024);
        thread.setDaemon(true);
        threads.removeIf(known -> known.getState() == Thread.State.TERMINATED);
        threads.add(thread);
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            threads.remove(thread);
            throw e;
        }
        return thread;
    }

    /**
     * Runs a connection's worker on a thread of this server: an idle one that finished its last connection
     * moments ago, or a new one. Reusing threads makes many short connections cheap; idle threads wait at most
     * {@link #IDLE_LINGER} for more work and are woken and joined by {@link #close()}.
     */
    private void dispatch(String name, Runnable worker) {
        synchronized (idle) {
            if (idleThreads > handoff.size()) {
                handoff.add(new NamedWork(name, worker));
                idle.notify();
                return;
            }
        }
        startThread(name, () -> work(new NamedWork(name, worker)));
    }

    private void work(NamedWork first) {
        for (NamedWork next = first; next != null; next = nextWork()) {
            Thread.interrupted(); // nothing of the last connection carries over to the next
            Thread.currentThread().setName(next.name());
            next.body().run();
        }
    }

    /**
     * Waits briefly for another connection to work on; {@code null} when there is none or the server closes.
     * A server that has had one connection so far keeps no idle thread: most tests make one, and then
     * {@link #close()} need not wake and join a waiting thread.
     */
    private NamedWork nextWork() {
        if (connectionIds.get() < 2) {
            return null;
        }
        long deadline = System.nanoTime() + IDLE_LINGER.toNanos();
        synchronized (idle) {
            idleThreads++;
            try {
                while (handoff.isEmpty() && !shuttingDown) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return null;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(idle, remaining);
                    } catch (InterruptedException e) {
                        return handoff.poll(); // work handed over with the interrupt is still done
                    }
                }
                return handoff.poll();
            } finally {
                idleThreads--;
            }
        }
    }

    /** A worker and the name its thread takes while running it. */
    private record NamedWork(String name, Runnable body) {
    }

    /** A connection's worker is done: forget its session, which holds buffers and the socket. */
    void sessionDone(Session session) {
        sessions.remove(session);
    }

    // ---- waiting ----

    void activityChanged() {
        synchronized (activityMonitor) {
            activityMonitor.notifyAll();
        }
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * Waits for {@code duration} or until the server shuts down.
     *
     * @return {@code true} if the server shut down
     */
    boolean awaitShutdown(Duration duration) {
        try {
            return shutdown.await(Durations.nanos(duration), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Waits, at most {@code atMost}, while any connection is still working through bytes that already
     * arrived. Woken by every change of a worker's activity: a worker that goes back to waiting for the
     * client, or is done, always says so. Not interruptible: an interrupt is kept for the caller.
     */
    private void settle(Duration atMost) {
        long deadline = System.nanoTime() + Durations.nanos(atMost);
        boolean interrupted = false;
        synchronized (activityMonitor) {
            while (sessions.stream().anyMatch(Session::isBusy)) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(activityMonitor, remaining);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- queries ----

    public RecordedConnection takeConnection(Duration timeout) throws InterruptedException {
        return untaken.poll(Durations.nanos(timeout), TimeUnit.NANOSECONDS);
    }

    public List<RecordedConnection> connections() {
        synchronized (connections) {
            return List.copyOf(connections);
        }
    }

    public int connectionCount() {
        synchronized (connections) {
            return connections.size();
        }
    }

    /**
     * Returns every failure so far, after giving busy connections a moment to finish what already arrived.
     *
     * @return the failures, server-level ones first
     */
    public List<ScriptFailure> failures() {
        if (!shuttingDown) {
            settle(SETTLE);
        }
        List<ScriptFailure> all = new ArrayList<>(serverFailures);
        for (RecordedConnection connection : connections()) {
            all.addAll(connection.failures());
        }
        return List.copyOf(all);
    }

    /**
     * Waits until {@code condition} holds, checking it again whenever the record of the server changes.
     *
     * @param condition the condition on the server's record
     * @param timeout how long to wait at most
     * @return whether the condition held in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitUntil(BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        return changes.await(condition, timeout);
    }

    public int liveThreadCount() {
        threads.removeIf(thread -> thread.getState() == Thread.State.TERMINATED);
        return threads.size();
    }

    public boolean isClosed() {
        return shuttingDown;
    }

    // ---- closing ----

    /**
     * Stops accepting, lets busy connections finish what already arrived, closes every connection and waits
     * for every thread of the server to end. A second call waits for the first to finish. Not interruptible:
     * an interrupt is kept for the caller.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (shuttingDown) {
                Uninterruptibly.await(closed, System.nanoTime() + THREAD_STOP_TIMEOUT.plus(SETTLE).toNanos());
                return;
            }
            closeEndpoint();
            if (portHolder != null) {
                closeQuietly(portHolder);
            }
            settle(SETTLE);
            synchronized (sessionsLock) {
                shuttingDown = true;
            }
        }
        try {
            shutdown.countDown();
            synchronized (idle) {
                idle.notifyAll(); // idle threads see shuttingDown and end
            }
            for (Session session : List.copyOf(sessions)) {
                session.closeForShutdown();
            }
            long deadline = System.nanoTime() + THREAD_STOP_TIMEOUT.toNanos();
            Thread self = Thread.currentThread();
            for (Thread thread : List.copyOf(threads)) {
                if (thread != self) {
                    Uninterruptibly.join(thread, deadline);
                }
            }
            for (Thread thread : List.copyOf(threads)) {
                if (thread != self && thread.isAlive()) {
                    serverFailed("server thread " + thread.getName() + " did not stop within "
                            + Durations.describe(THREAD_STOP_TIMEOUT), null);
                }
            }
        } finally {
            closed.countDown();
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
