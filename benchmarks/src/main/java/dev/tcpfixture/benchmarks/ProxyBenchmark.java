package dev.tcpfixture.benchmarks;

import dev.tcpfixture.TcpProxy;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The same client against a plain upstream, directly ({@code direct}) or through a {@link TcpProxy} with no fault
 * ({@code proxy}, default options: recording on, up to 1 MiB per direction): a bulk transfer of 100 MB on a fresh
 * connection (the upstream counts the bytes and answers with the count), and 32-byte request/response round trips
 * on one open connection.
 */
@State(Scope.Thread)
public class ProxyBenchmark {

    /** The bytes of one bulk transfer. */
    public static final int BULK_BYTES = 100 * 1024 * 1024;

    @Param({"direct", "proxy"})
    public String path;

    private ProxyUpstream upstream;
    private TcpProxy proxy;
    private InetSocketAddress target;
    private Socket echo;
    private InputStream echoIn;
    private OutputStream echoOut;
    private final byte[] request = new byte[ProxyUpstream.MESSAGE];
    private final byte[] reply = new byte[ProxyUpstream.MESSAGE];
    private final byte[] chunk = new byte[64 * 1024];

    @Setup(Level.Trial)
    public void start() throws IOException {
        upstream = ProxyUpstream.start();
        if (path.equals("proxy")) {
            proxy = TcpProxy.start(upstream.address());
            target = proxy.address();
        } else if (path.equals("direct")) {
            target = upstream.address();
        } else {
            throw new IllegalArgumentException("path is direct or proxy, not " + path);
        }
        echo = connect();
        echoIn = echo.getInputStream();
        echoOut = echo.getOutputStream();
        echoOut.write('E');
        Arrays.fill(request, (byte) 'r');
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(target, 2_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        echo.close();
        if (proxy != null) {
            proxy.close();
            if (proxy.liveThreadCount() != 0) {
                throw new IllegalStateException("proxy threads left after close(): " + proxy.liveThreadCount());
            }
            proxy.verify();
        }
        upstream.close();
    }

    /** One 32-byte request and its 32-byte answer on the open connection. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int roundTrip() throws IOException {
        request[0]++;
        echoOut.write(request);
        if (echoIn.readNBytes(reply, 0, reply.length) != reply.length || reply[0] != request[0]) {
            throw new IllegalStateException("wrong echo");
        }
        return reply[0];
    }

    /** 100 MB to the upstream on a fresh connection, until the upstream confirms the count. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long bulk() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write('B');
            for (int sent = 0; sent < BULK_BYTES; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, BULK_BYTES - sent));
            }
            socket.shutdownOutput();
            long count = new DataInputStream(socket.getInputStream()).readLong();
            if (count != BULK_BYTES) {
                throw new IllegalStateException("the upstream counted " + count + " bytes, not " + BULK_BYTES);
            }
            return count;
        }
    }
}
