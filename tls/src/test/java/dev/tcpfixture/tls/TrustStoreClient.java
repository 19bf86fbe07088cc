package dev.tcpfixture.tls;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Run in a fresh JVM by {@code TrustFilesTest}: a client configured only through the {@code javax.net.ssl.trustStore}
 * system properties, with the JVM's default {@link SSLContext}. Arguments: the port on 127.0.0.1. Prints the reply
 * and the protocol, or the exception.
 */
public final class TrustStoreClient {
    private TrustStoreClient() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            plain.setSoTimeout(10_000);
            SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory()
                    .createSocket(plain, "localhost", port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            System.out.println("ok " + socket.getSession().getProtocol() + " " + reply);
            socket.close();
        } catch (Exception e) {
            System.out.println("error " + e);
        }
    }
}
