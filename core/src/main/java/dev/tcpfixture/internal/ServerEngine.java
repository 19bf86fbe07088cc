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
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
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

    private static final Duration SETTLE_ON_CLOSE = Duration.ofMillis(50);
    private static final Duration SETTLE_ON_VERIFY = Duration.ofMillis(250);
    private static final Duration THREAD_STOP_TIMEOUT = Duration.ofSeconds(2);
    private static final int FILLER_CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final AtomicInteger SERVER_NUMBERS = new AtomicInteger();

    private final ServerSettings settings;
    private final String threadPrefix;
    private final Object lock = new Object();
    private final Object sessionsLock = new Object();
    private final Object activityMonitor = new Object();
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<List<Step>> scripts = new ConcurrentLinkedQueue<>();
    private final List<ConnectionRecorder> connections = new CopyOnWriteArrayList<>();
    private final BlockingQueue<ConnectionRecorder> untaken = new LinkedBlockingQueue<>();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final List<ScriptFailure> serverFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final ChangeSignal changes = new ChangeSignal();

    private final Socket portHolder;
    private final InetAddress address;
    private final int port;
    private volatile List<Step> defaultScript = List.of();
    private volatile ConnectionMode mode;
    private volatile boolean shuttingDown;
    private Acceptor acceptor;
    private ServerSocketChannel blackhole;
    private final List<Socket> fillers = new ArrayList<>();

    private ServerEngine(ServerSettings settings) throws IOException {
        this.settings = settings;
        InetAddress bindAddress = settings.bindAddress();
        this.address = bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bindAddress;
        if (!supportsReusePort()) {
            throw new UnsupportedOperationException("tcpfixture needs SO_REUSEPORT to keep its port while it "
                    + "refuses connections; this platform does not offer it");
        }
        Socket holder = new Socket();
        try {
            holder.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            holder.bind(new InetSocketAddress(bindAddress, 0));
        } catch (IOException | RuntimeException e) {
            holder.close();
            throw e;
        }
        this.portHolder = holder;
        this.port = holder.getLocalPort();
        this.threadPrefix = "tcpfixture-" + SERVER_NUMBERS.incrementAndGet() + "-port-" + port;
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

    private static boolean supportsReusePort() {
        return ReusePort.SUPPORTED;
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
     * Switches the connection mode; when this returns, new connection attempts get the new behaviour.
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
        closeEndpoint();
        mode = newMode;
        if (accepting) {
            acceptor = Acceptor.start(new InetSocketAddress(settings.bindAddress(), port), settings.backlog(),
                    this::newThread, threadPrefix + "-acceptor", this::accepted);
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
            } catch (java.net.SocketTimeoutException e) {
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
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            serverFailures.add(new ScriptFailure(0, "", "setting up an accepted connection failed: " + e, "", e));
        }
    }

    private void handleAccepted(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        ConnectionRecorder recorder = new ConnectionRecorder(connectionIds.incrementAndGet(),
                (InetSocketAddress) socket.getRemoteSocketAddress(), (InetSocketAddress) socket.getLocalSocketAddress(),
                settings.recordingLimit(), settings.charset(), changes);
        connections.add(recorder);
        ConnectionMode current = mode;
        if (current == ConnectionMode.ACCEPT_THEN_CLOSE) {
            recorder.serverClosed(false, "server closed the connection at once (mode ACCEPT_THEN_CLOSE)");
            socket.close();
        } else if (current == ConnectionMode.ACCEPT_THEN_RESET) {
            recorder.serverClosed(true, "server reset the connection at once (mode ACCEPT_THEN_RESET)");
            socket.setSoLinger(true, 0);
            socket.close();
        } else {
            List<Step> steps = scripts.poll();
            Session session = new Session(socket, recorder, this);
            synchronized (sessionsLock) {
                if (shuttingDown) {
                    session.closeForShutdown();
                } else {
                    sessions.add(session);
                    newThread(threadPrefix + "-connection-" + recorder.id(),
                            new ConnectionWorker(session, steps != null ? steps : defaultScript)).start();
                }
            }
        }
        untaken.add(recorder);
        changes.signal();
    }

    private Thread newThread(String name, Runnable body) {
        Thread thread = new Thread(null, () -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
                changes.signal();
            }
        }, name, 256 * 1024);
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
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
            return shutdown.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Waits a little while any connection is still working through what already arrived. */
    private void settle(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (activityMonitor) {
            while (sessions.stream().anyMatch(Session::isBusy)) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                try {
                    // woken by every change of activity; the bound covers data that arrives without one
                    TimeUnit.NANOSECONDS.timedWait(activityMonitor, Math.min(remaining, 2_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ---- queries ----

    public RecordedConnection takeConnection(Duration timeout) throws InterruptedException {
        return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public List<RecordedConnection> connections() {
        return List.copyOf(connections);
    }

    public int connectionCount() {
        return connections.size();
    }

    /**
     * Returns every failure so far, after giving busy connections a moment to finish what already arrived.
     *
     * @return the failures, server-level ones first
     */
    public List<ScriptFailure> failures() {
        if (!shuttingDown) {
            settle(SETTLE_ON_VERIFY);
        }
        List<ScriptFailure> all = new ArrayList<>(serverFailures);
        for (ConnectionRecorder connection : connections) {
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
    public boolean awaitUntil(java.util.function.BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        return changes.await(condition, timeout);
    }

    public int liveThreadCount() {
        return threads.size();
    }

    public boolean isClosed() {
        return shuttingDown;
    }

    // ---- closing ----

    /**
     * Stops accepting, lets busy connections finish what already arrived (briefly), closes every connection
     * and waits for every thread of the server to end.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (shuttingDown) {
                return;
            }
            closeEndpoint();
            closeQuietly(portHolder);
            settle(SETTLE_ON_CLOSE);
            synchronized (sessionsLock) {
                shuttingDown = true;
            }
        }
        shutdown.countDown();
        for (Session session : sessions) {
            session.closeForShutdown();
        }
        long deadline = System.nanoTime() + THREAD_STOP_TIMEOUT.toNanos();
        for (Thread thread : List.copyOf(threads)) {
            join(thread, deadline);
        }
        for (Thread thread : List.copyOf(threads)) {
            serverFailures.add(new ScriptFailure(0, "", "server thread " + thread.getName()
                    + " did not stop within " + THREAD_STOP_TIMEOUT.toMillis() + " ms", "", null));
        }
    }

    private void join(Thread thread, long deadline) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            long remaining = deadline - System.nanoTime();
            if (remaining > 0) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
