package dev.tcpfixture.tls;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Run in a fresh JVM by {@code FirstUseTest}: times the first uses of this module, and prints one
 * {@code name=nanoseconds} line per step, each step's time on its own (not cumulative).
 */
public final class FirstUse {
    private FirstUse() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        CertifiedKey serverCertificate = CertificateAuthority.shared().serverCertificate();
        long certificate = System.nanoTime();

        ServerTls tls = CertificateAuthority.shared().serverTls();
        SSLContext serverContext = tls.newSslContext();
        long serverContextDone = System.nanoTime();

        SSLContext clientContext = CertificateAuthority.shared().clientTrust().sslContext();
        long clientContextDone = System.nanoTime();

        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket()) {
            server.setSSLParameters(tls.sslParameters());
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            Thread serverThread = new Thread(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.setSoTimeout(10_000);
                    InputStream in = accepted.getInputStream();
                    OutputStream out = accepted.getOutputStream();
                    out.write(in.read());
                    out.flush();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            serverThread.setDaemon(true);
            serverThread.start();
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 10_000);
                plain.setSoTimeout(10_000);
                SSLSocket client = (SSLSocket) clientContext.getSocketFactory()
                        .createSocket(plain, "localhost", server.getLocalPort(), true);
                client.startHandshake();
                client.getOutputStream().write('x');
                client.getOutputStream().flush();
                if (client.getInputStream().read() != 'x') {
                    throw new AssertionError("no echo");
                }
                client.close();
            }
            serverThread.join(10_000);
        }
        long handshake = System.nanoTime();

        System.out.println("serverCertificate=" + (certificate - start));
        System.out.println("serverSslContext=" + (serverContextDone - certificate));
        System.out.println("clientSslContext=" + (clientContextDone - serverContextDone));
        System.out.println("firstHandshakeAndRoundTrip=" + (handshake - clientContextDone));
        System.out.println("subject=" + serverCertificate.certificate().getSubjectX500Principal().getName());
    }
}
