package dev.tcpfixture.benchmarks;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.ScriptFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * The servers compared, each set up the way its users would for the same job: answer one request with a
 * fixed answer. {@link #startForOneExchange()} queues a single answer (a test's usual set-up);
 * {@link #startServing()} answers every connection (a default script, a fixed dispatcher).
 */
enum ServerKind {

    /** tcpfixture's {@link FakeTcpServer}, default options. */
    FAKE("fake", Client.Protocol.LINE, "tcpfixture-") {
        @Override
        BenchServer startForOneExchange() {
            FakeTcpServer server = FakeTcpServer.start();
            server.enqueue(SCRIPT);
            return new FakeHandle(server);
        }

        @Override
        BenchServer startServing() {
            FakeTcpServer server = FakeTcpServer.start();
            server.defaultScript(SCRIPT);
            return new FakeHandle(server);
        }
    },

    /** The floor: a plain {@link java.net.ServerSocket}, a new thread per connection. */
    RAW("raw", Client.Protocol.LINE, "raw-") {
        @Override
        BenchServer startServing() {
            return RawServer.start(false);
        }
    },

    /** A plain {@link java.net.ServerSocket} with a cached thread pool: a reference, not the floor. */
    RAW_POOLED("raw-pooled", Client.Protocol.LINE, "raw-") {
        @Override
        BenchServer startServing() {
            return RawServer.start(true);
        }
    },

    /** The fake server speaking TLS from the first byte, with tcpfixture-tls's certificate. */
    FAKE_TLS("fake-tls", Client.Protocol.LINE, "tcpfixture-") {
        @Override
        BenchServer startForOneExchange() {
            FakeTcpServer server = FakeTcpServer.builder().tls(TlsMaterial.FAKE_SERVER).start();
            server.enqueue(SCRIPT);
            return new FakeHandle(server);
        }

        @Override
        BenchServer startServing() {
            FakeTcpServer server = FakeTcpServer.builder().tls(TlsMaterial.FAKE_SERVER).start();
            server.defaultScript(SCRIPT);
            return new FakeHandle(server);
        }
    },

    /**
     * MockWebServer over HTTPS as {@link #MOCKWEBSERVER_TLS}, but its accepted sockets get TCP_NODELAY, as the
     * fake's and the raw floor's do, through MockWebServer's public {@code serverSocketFactory}: the TLS
     * comparison of the servers' own costs. As shipped, MockWebServer leaves Nagle's algorithm on, which holds
     * back two of its small TLS records until the client's delayed acknowledgements (40 ms each on Linux).
     */
    MOCKWEBSERVER_TLS_NODELAY("mockwebserver-tls-nodelay", Client.Protocol.HTTP, "MockWebServer") {
        @Override
        BenchServer startForOneExchange() {
            MockWebServer server = new MockWebServer();
            server.setServerSocketFactory(NoDelayServerSocketFactory.INSTANCE);
            server.useHttps(TlsMaterial.MWS_SERVER);
            server.enqueue(RESPONSE);
            return MwsHandle.start(server);
        }

        @Override
        BenchServer startServing() {
            MockWebServer server = new MockWebServer();
            server.setServerSocketFactory(NoDelayServerSocketFactory.INSTANCE);
            server.useHttps(TlsMaterial.MWS_SERVER);
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return RESPONSE;
                }
            });
            return MwsHandle.start(server);
        }
    },

    /**
     * MockWebServer over HTTPS with okhttp-tls's held certificate, as its documentation shows and as shipped
     * (Nagle's algorithm on for its accepted sockets).
     */
    MOCKWEBSERVER_TLS("mockwebserver-tls", Client.Protocol.HTTP, "MockWebServer") {
        @Override
        BenchServer startForOneExchange() {
            MockWebServer server = new MockWebServer();
            server.useHttps(TlsMaterial.MWS_SERVER);
            server.enqueue(RESPONSE);
            return MwsHandle.start(server);
        }

        @Override
        BenchServer startServing() {
            MockWebServer server = new MockWebServer();
            server.useHttps(TlsMaterial.MWS_SERVER);
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return RESPONSE;
                }
            });
            return MwsHandle.start(server);
        }
    },

    /** OkHttp's {@code mockwebserver3.MockWebServer} 5.5.1, on 127.0.0.1. */
    MOCKWEBSERVER("mockwebserver", Client.Protocol.HTTP, "MockWebServer") {
        @Override
        BenchServer startForOneExchange() {
            MockWebServer server = new MockWebServer();
            server.enqueue(RESPONSE);
            return MwsHandle.start(server);
        }

        @Override
        BenchServer startServing() {
            MockWebServer server = new MockWebServer();
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return RESPONSE;
                }
            });
            return MwsHandle.start(server);
        }
    };

    static final Script SCRIPT = Script.create().expectLine(Exchange.REQUEST_LINE).sendLine(Exchange.ANSWER_LINE);
    static final MockResponse RESPONSE = new MockResponse.Builder().body(Exchange.HTTP_BODY).build();

    private final String id;
    private final Client.Protocol protocol;
    private final String threadNamePrefix;

    ServerKind(String id, Client.Protocol protocol, String threadNamePrefix) {
        this.id = id;
        this.protocol = protocol;
        this.threadNamePrefix = threadNamePrefix;
    }

    /** How the names of this server's threads begin. */
    String threadNamePrefix() {
        return threadNamePrefix;
    }

    /** How many threads of servers of this kind are alive in this JVM. */
    long liveServerThreads() {
        return serverThreads().size();
    }

    private List<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(threadNamePrefix)).toList();
    }

    /**
     * Waits (a bounded time) for every thread of servers of this kind to end, and throws if one does not: the
     * check, after all servers are closed, that nothing was left running.
     */
    void checkNoServerThreadsLeft() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread thread : serverThreads()) {
            long remaining = deadline - System.nanoTime();
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Thread> left = serverThreads();
        if (!left.isEmpty()) {
            throw new IllegalStateException(id + ": " + left.size() + " server thread(s) still running after every"
                    + " server was closed, for example " + left.get(0).getName());
        }
    }

    /** Fake-server close() calls, and the sum of liveThreadCount() right after each returned. */
    static final AtomicLong FAKE_CLOSES = new AtomicLong();
    static final AtomicLong FAKE_LIVE_THREADS_AFTER_CLOSE = new AtomicLong();

    /** The line the benchmarks print about the fake server's close() at the end of a trial. */
    static String fakeCloseReport() {
        return "# fake server: liveThreadCount() summed right after " + FAKE_CLOSES.get() + " close() calls: "
                + FAKE_LIVE_THREADS_AFTER_CLOSE.get() + " (0 if close() always waited for every thread)";
    }

    /** The name used in JMH parameters and in the report. */
    String id() {
        return id;
    }

    Client.Protocol protocol() {
        return protocol;
    }

    /** Starts a server that answers the next connection. */
    BenchServer startForOneExchange() {
        return startServing();
    }

    /** Starts a server that answers every connection. */
    abstract BenchServer startServing();

    static ServerKind byId(String id) {
        for (ServerKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no server kind " + id);
    }

    /** The fake server; closing checks that it stopped every thread and recorded no failure. */
    private static final class FakeHandle implements BenchServer {
        private final FakeTcpServer server;
        private final InetSocketAddress address;

        FakeHandle(FakeTcpServer server) {
            this.server = server;
            this.address = server.address();
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public void close() {
            server.close();
            FAKE_CLOSES.incrementAndGet();
            // not 0 when a thread that already left the server's set is still ending: added up without a branch
            // (a rarely taken branch here deoptimizes the compiled benchmark), reported after the trial, and
            // checkNoServerThreadsLeft() makes sure that such a thread did end
            FAKE_LIVE_THREADS_AFTER_CLOSE.addAndGet(server.liveThreadCount());
            List<ScriptFailure> failures = server.failures();
            if (!failures.isEmpty()) {
                throw new IllegalStateException("fake server recorded failures: " + failures.get(0).describe());
            }
        }
    }

    /** MockWebServer; its own close() shuts down its sockets and its task runner. */
    private static final class MwsHandle implements BenchServer {
        private final MockWebServer server;
        private final InetSocketAddress address;

        private MwsHandle(MockWebServer server) throws IOException {
            this.server = server;
            this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
        }

        static MwsHandle start(MockWebServer server) {
            try {
                server.start(InetAddress.getLoopbackAddress(), 0);
                return new MwsHandle(server);
            } catch (IOException e) {
                server.close();
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
