package dev.tcpfixture.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A blocking TLS server on 127.0.0.1 and an ephemeral port, made the way the engine will use {@link ServerTls}: a
 * server socket from {@link ServerTls#newSslContext()} with {@link ServerTls#sslParameters()} applied. After the
 * handshake it answers an HTTP GET with "200 ok" and any other line with that line back; each connection's
 * handshake outcome is queued for the test.
 */
final class TestTlsServer implements AutoCloseable {
    static final int TIMEOUT_MILLIS = 10_000;

    /** What the server saw of one handshake: the session, or the exception that ended it. */
    record Handshake(String protocol, String clientSubject, Exception failure) {
        boolean succeeded() {
            return failure == null;
        }
    }

    private final SSLServerSocket serverSocket;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-tls-server");
        thread.setDaemon(true);
        return thread;
    });
    private final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();

    TestTlsServer(ServerTls tls) throws IOException {
        serverSocket = (SSLServerSocket) tls.newSslContext().getServerSocketFactory().createServerSocket();
        serverSocket.setSSLParameters(tls.sslParameters());
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        threads.execute(this::acceptLoop);
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** Returns the next connection's handshake outcome, waiting at most ten seconds. */
    Handshake nextHandshake() throws InterruptedException {
        Handshake handshake = handshakes.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (handshake == null) {
            throw new AssertionError("the server saw no handshake within " + TIMEOUT_MILLIS + " ms");
        }
        return handshake;
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                SSLSocket socket = (SSLSocket) serverSocket.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            try {
                socket.startHandshake();
            } catch (IOException e) {
                handshakes.add(new Handshake(null, null, e));
                return;
            }
            SSLSession session = socket.getSession();
            String clientSubject = null;
            try {
                clientSubject = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException noClientCertificate) {
                // none presented
            }
            handshakes.add(new Handshake(session.getProtocol(), clientSubject, null));
            answer(socket, session.getProtocol());
        } catch (IOException e) {
            // the client went away; the test looks at what the client saw
        }
    }

    private static void answer(SSLSocket socket, String protocol) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        String line;
        try {
            line = in.readLine();
        } catch (SocketException e) {
            return; // a client that only handshakes, or that dropped the connection after a client-side check
        }
        if (line == null) {
            return;
        }
        if (line.startsWith("GET ")) {
            String header;
            do {
                header = in.readLine();
            } while (header != null && !header.isEmpty());
            byte[] body = ("ok " + protocol).getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        } else {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the test server's threads did not end within " + TIMEOUT_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the test server's threads were ending", e);
        }
    }
}
