package dev.tcpfixture.benchmarks;

import dev.tcpfixture.FakeTcpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import jdk.net.ExtendedSocketOptions;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A diagnostic, not a JMH benchmark: the TLS lifecycle of {@link TlsLifecycleBenchmark} cut into its phases
 * (start, TCP connect, handshake, request written, response head read, response body read, client close,
 * server close), each timed with {@link System#nanoTime()}, for one server and one set of knobs at a time. It
 * also counts the kernel's delayed acknowledgements ({@code TcpExt DelayedACKs} of {@code /proc/net/netstat},
 * machine-wide) and the reads that returned bytes. Used to find where MockWebServer's TLS lifecycle spends its
 * time; run with {@code java -cp benchmarks/target/benchmarks.jar dev.tcpfixture.benchmarks.TlsPhases}.
 */
final class TlsPhases {

    /** What one run changes against the benchmark's configuration; the defaults are the benchmark's. */
    record Knobs(String server, boolean clientNoDelay, boolean clientQuickAck, boolean connectionClose,
            boolean serverClosesFirst, boolean serverNoDelay, String tlsVersion) {

        static Knobs of(String server) {
            return new Knobs(server, true, false, false, false, false, null);
        }

        Knobs withClientNoDelay(boolean on) {
            return new Knobs(server, on, clientQuickAck, connectionClose, serverClosesFirst, serverNoDelay, tlsVersion);
        }

        Knobs withClientQuickAck() {
            return new Knobs(server, clientNoDelay, true, connectionClose, serverClosesFirst, serverNoDelay, tlsVersion);
        }

        Knobs withConnectionClose() {
            return new Knobs(server, clientNoDelay, clientQuickAck, true, serverClosesFirst, serverNoDelay, tlsVersion);
        }

        Knobs withServerClosingFirst() {
            return new Knobs(server, clientNoDelay, clientQuickAck, connectionClose, true, serverNoDelay, tlsVersion);
        }

        Knobs withServerNoDelay() {
            return new Knobs(server, clientNoDelay, clientQuickAck, connectionClose, serverClosesFirst, true, tlsVersion);
        }

        Knobs withTls(String version) {
            return new Knobs(server, clientNoDelay, clientQuickAck, connectionClose, serverClosesFirst, serverNoDelay,
                    version);
        }

        boolean http() {
            return !server.equals("fake-tls");
        }

        String describe() {
            List<String> changes = new ArrayList<>();
            if (!clientNoDelay) {
                changes.add("client Nagle on");
            }
            if (clientQuickAck) {
                changes.add("client TCP_QUICKACK");
            }
            if (connectionClose) {
                changes.add("Connection: close");
            }
            if (serverClosesFirst) {
                changes.add("server closed first");
            }
            if (serverNoDelay) {
                changes.add("server TCP_NODELAY");
            }
            if (tlsVersion != null) {
                changes.add(tlsVersion);
            }
            return server + (changes.isEmpty() ? " (as benchmarked)" : " + " + String.join(", ", changes));
        }
    }

    private static final String[] PHASES = {"start", "connect", "handshake", "request", "head", "body",
        "close-1st", "close-2nd"};
    private static final String ANSWER = new String(Exchange.LINE_ANSWER, StandardCharsets.US_ASCII);

    private TlsPhases() {
    }

    public static void main(String[] args) throws Exception {
        int warmUp = 30;
        int cycles = 60;
        String only = null;
        for (String arg : args) {
            if (arg.startsWith("--cycles=")) {
                cycles = Integer.parseInt(arg.substring("--cycles=".length()));
            } else if (arg.startsWith("--warmup=")) {
                warmUp = Integer.parseInt(arg.substring("--warmup=".length()));
            } else if (arg.startsWith("--only=")) {
                only = arg.substring("--only=".length());
            }
        }
        List<Knobs> runs = List.of(
                Knobs.of("fake-tls"),
                Knobs.of("mws-tls"),
                Knobs.of("mws-tls").withClientNoDelay(false),
                Knobs.of("mws-tls").withConnectionClose(),
                Knobs.of("mws-tls").withServerClosingFirst(),
                Knobs.of("mws-tls").withTls("TLSv1.2"),
                Knobs.of("mws-tls").withClientQuickAck(),
                Knobs.of("mws-tls").withServerNoDelay(),
                Knobs.of("mws-plain"));
        System.out.printf(Locale.ROOT, "TLS lifecycle phases: median (p90) in µs over %d cycles after %d warm-up cycles;"
                + " delayed ACKs per cycle (machine-wide); reads that returned bytes per response%n", cycles, warmUp);
        for (Knobs knobs : runs) {
            if (only == null || knobs.describe().equals(only)) {
                System.out.println(measure(knobs, warmUp, cycles));
            }
        }
        if (only != null && !only.equals("okhttp")) {
            return;
        }
        System.out.printf(Locale.ROOT, "%nWith OkHttp 5.5.1 as the client (a user's test): start MockWebServer over"
                + " HTTPS, one call, close the client's connections, close the server; median (p90) in µs%n");
        for (boolean http2 : new boolean[] {true, false}) {
            for (boolean serverNoDelay : new boolean[] {false, true}) {
                System.out.println(measureOkHttp(http2, serverNoDelay, false, warmUp, cycles));
            }
            System.out.println(measureOkHttp(http2, true, true, warmUp, cycles));
        }
    }

    /** A test's lifecycle with OkHttp's own client: does a user of MockWebServer over HTTPS meet the delay? */
    static String measureOkHttp(boolean http2, boolean serverNoDelay, boolean clientNoDelay, int warmUp, int cycles)
            throws Exception {
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (clientNoDelay) {
            builder.socketFactory(new NoDelaySocketFactory());
        }
        OkHttpClient client = builder
                .sslSocketFactory(TlsMaterial.CLIENT, TlsMaterial.CLIENT_CERTIFICATES.trustManager())
                .protocols(http2 ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1) : List.of(Protocol.HTTP_1_1))
                .build();
        long[] call = new long[cycles];
        long[] whole = new long[cycles];
        long delayedAcks = 0;
        String negotiated = "?";
        for (int i = -warmUp; i < cycles; i++) {
            long acksBefore = delayedAcks();
            long t0 = System.nanoTime();
            long t1;
            long t2;
            try (MockWebServer server = new MockWebServer()) {
                server.useHttps(TlsMaterial.MWS_SERVER);
                if (serverNoDelay) {
                    server.setServerSocketFactory(NoDelayServerSocketFactory.INSTANCE);
                }
                server.enqueue(ServerKind.RESPONSE);
                server.start(InetAddress.getLoopbackAddress(), 0);
                t1 = System.nanoTime();
                try (Response response = client.newCall(new Request.Builder().url(server.url("/ping")).build())
                        .execute()) {
                    if (!Exchange.HTTP_BODY.equals(response.body().string())) {
                        throw new IOException("unexpected response " + response);
                    }
                    negotiated = response.protocol().toString();
                }
                t2 = System.nanoTime();
                client.connectionPool().evictAll();
            }
            long t3 = System.nanoTime();
            if (i >= 0) {
                call[i] = t2 - t1;
                whole[i] = t3 - t0;
                delayedAcks += delayedAcks() - acksBefore;
            }
        }
        client.dispatcher().executorService().shutdown();
        return String.format(Locale.ROOT, "  OkHttp client, %-8s server TCP_NODELAY %-5s client TCP_NODELAY %-5s:"
                + " call %.0f (%.0f), whole lifecycle %.0f (%.0f); delayed ACKs per cycle %.2f", negotiated,
                serverNoDelay, clientNoDelay,
                LifecyclePhases.micros(LifecyclePhases.percentile(call, 50)),
                LifecyclePhases.micros(LifecyclePhases.percentile(call, 90)),
                LifecyclePhases.micros(LifecyclePhases.percentile(whole, 50)),
                LifecyclePhases.micros(LifecyclePhases.percentile(whole, 90)), (double) delayedAcks / cycles);
    }

    static String measure(Knobs knobs, int warmUp, int cycles) throws Exception {
        long[][] phases = new long[PHASES.length][cycles];
        long reads = 0;
        long delayedAcks = 0;
        for (int i = -warmUp; i < cycles; i++) {
            long acksBefore = delayedAcks();
            long[] times = new long[PHASES.length + 1];
            int responseReads = cycle(knobs, times);
            long acksAfter = delayedAcks();
            if (i >= 0) {
                for (int p = 0; p < PHASES.length; p++) {
                    phases[p][i] = times[p + 1] - times[p];
                }
                reads += responseReads;
                delayedAcks += acksAfter - acksBefore;
            }
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%n  %s%n   ", knobs.describe()));
        long total = 0;
        for (int p = 0; p < PHASES.length; p++) {
            line.append(String.format(Locale.ROOT, " %s %.0f (%.0f)", PHASES[p],
                    LifecyclePhases.micros(LifecyclePhases.percentile(phases[p], 50)),
                    LifecyclePhases.micros(LifecyclePhases.percentile(phases[p], 90))));
            total += LifecyclePhases.percentile(phases[p], 50);
        }
        line.append(String.format(Locale.ROOT, "%n    sum of medians %.0f µs; delayed ACKs per cycle %.2f;"
                + " reads per response %.2f", LifecyclePhases.micros(total), (double) delayedAcks / cycles,
                (double) reads / cycles));
        return line.toString();
    }

    /**
     * One lifecycle; fills times[0..8] (the phases' boundaries) and returns the reads that returned bytes. The
     * client closes first (close-1st), then the server (close-2nd), unless the knobs say the opposite.
     */
    private static int cycle(Knobs knobs, long[] times) throws Exception {
        times[0] = System.nanoTime();
        AutoCloseable server;
        InetSocketAddress address;
        if (knobs.server().equals("fake-tls")) {
            FakeTcpServer fake = FakeTcpServer.builder().tls(TlsMaterial.FAKE_SERVER).start();
            fake.enqueue(ServerKind.SCRIPT);
            server = fake;
            address = fake.address();
        } else {
            MockWebServer mws = new MockWebServer();
            if (knobs.server().equals("mws-tls")) {
                mws.useHttps(TlsMaterial.MWS_SERVER);
            }
            if (knobs.serverNoDelay()) {
                mws.setServerSocketFactory(NoDelayServerSocketFactory.INSTANCE);
            }
            mws.enqueue(ServerKind.RESPONSE);
            mws.start(InetAddress.getLoopbackAddress(), 0);
            server = mws;
            address = new InetSocketAddress(InetAddress.getLoopbackAddress(), mws.getPort());
        }
        int reads;
        try {
            times[1] = System.nanoTime();
            Socket plain = new Socket();
            plain.setTcpNoDelay(knobs.clientNoDelay());
            if (knobs.clientQuickAck()) {
                plain.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            }
            plain.setSoTimeout(Client.READ_TIMEOUT_MILLIS);
            plain.connect(address, Client.CONNECT_TIMEOUT_MILLIS);
            times[2] = System.nanoTime();
            Socket socket = plain;
            if (!knobs.server().equals("mws-plain")) { // TLS over the connected socket, as Client.tlsRoundtrip
                SSLSocket tls = (SSLSocket) TlsMaterial.CLIENT.createSocket(plain, "localhost", address.getPort(), true);
                if (knobs.tlsVersion() != null) {
                    tls.setEnabledProtocols(new String[] {knobs.tlsVersion()});
                }
                tls.startHandshake();
                socket = tls;
            }
            times[3] = System.nanoTime();
            reads = exchange(knobs, socket, times);
            if (knobs.serverClosesFirst()) {
                server.close();
                times[7] = System.nanoTime();
                socket.close();
            } else {
                socket.close();
                times[7] = System.nanoTime();
            }
        } finally {
            server.close(); // a second close() does nothing, for both servers
        }
        times[8] = System.nanoTime();
        return reads;
    }

    /** Unconnected client sockets with TCP_NODELAY on (OkHttp connects them itself). */
    private static final class NoDelaySocketFactory extends javax.net.SocketFactory {

        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException("OkHttp creates unconnected sockets");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException("OkHttp creates unconnected sockets");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException("OkHttp creates unconnected sockets");
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException("OkHttp creates unconnected sockets");
        }
    }

    /** Writes the request, reads the head and then the body (exactly Content-Length bytes). */
    private static int exchange(Knobs knobs, Socket socket, long[] times) throws IOException {
        OutputStream out = socket.getOutputStream();
        byte[] request = knobs.http()
                ? ("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (knobs.connectionClose() ? "Connection: close\r\n" : "")
                        + "\r\n").getBytes(StandardCharsets.US_ASCII)
                : Exchange.LINE_REQUEST;
        out.write(request);
        out.flush();
        times[4] = System.nanoTime();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        int length = 0;
        int reads = 0;
        int headEnd = -1;
        int expected = -1;
        while (expected < 0 || length < expected) {
            int count = in.read(buffer, length, buffer.length - length);
            if (count < 0) {
                throw new IOException("closed early: " + new String(buffer, 0, length, StandardCharsets.ISO_8859_1));
            }
            length += count;
            reads++;
            if (!knobs.http()) {
                if (buffer[length - 1] == '\n') {
                    expected = length;
                    times[5] = System.nanoTime();
                }
                continue;
            }
            if (headEnd < 0) {
                headEnd = indexOf(buffer, length);
                if (headEnd >= 0) {
                    times[5] = System.nanoTime();
                    String head = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1);
                    expected = headEnd + 4 + contentLength(head);
                }
            }
        }
        times[6] = System.nanoTime();
        String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        boolean expectedAnswer = knobs.http()
                ? text.startsWith("HTTP/1.1 200 ") && text.endsWith("\r\n\r\n" + Exchange.HTTP_BODY)
                : text.equals(ANSWER);
        if (!expectedAnswer) {
            throw new IOException("unexpected answer " + text);
        }
        return reads;
    }

    private static int indexOf(byte[] data, int length) {
        for (int i = 0; i + 3 < length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int contentLength(String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        throw new IOException("no Content-Length: " + head);
    }

    /** The machine's count of delayed acknowledgements so far (Linux), or 0 where it cannot be read. */
    static long delayedAcks() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                    List<String> names = Arrays.asList(lines.get(i).split(" "));
                    return Long.parseLong(lines.get(i + 1).split(" ")[names.indexOf("DelayedACKs")]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
