package dev.tcpfixture.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** The JDK clients of the tests; every blocking call has a timeout and every connection goes to 127.0.0.1. */
final class TestClients {
    private static final int TIMEOUT_MILLIS = TestTlsServer.TIMEOUT_MILLIS;

    private TestClients() {
    }

    /**
     * Connects a plain socket to 127.0.0.1 and layers TLS over it for {@code host} (so a name is checked without being
     * looked up), handshakes, sends a line and returns the line that comes back.
     *
     * @param checkHostName whether to set the endpoint identification algorithm "HTTPS", as HTTPS clients do
     * @param protocols the versions the client enables, or null for the JDK's defaults
     */
    static String sslSocketEcho(SSLContext context, String host, int port, boolean checkHostName, String... protocols)
            throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                if (checkHostName) {
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                }
                if (protocols.length > 0) {
                    parameters.setProtocols(protocols);
                }
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                return in.readLine();
            }
        } finally {
            plain.close();
        }
    }

    /**
     * Handshakes like {@link #sslSocketEcho} (host name checked), then reads without writing first, as the client of
     * a protocol where the server speaks first (SMTP, FTP) does; returns what it read, or -1 at the end of the stream.
     */
    static int sslSocketHandshakeThenRead(SSLContext context, int port, String... protocols) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (protocols.length > 0) {
                    parameters.setProtocols(protocols);
                }
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                return socket.getInputStream().read();
            }
        } finally {
            plain.close();
        }
    }

    /** GET https://127.0.0.1:port/ with {@code HttpsURLConnection} (default host name check); returns the body. */
    static String httpsUrlConnectionGet(SSLContext context, int port) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) URI.create("https://127.0.0.1:" + port + "/").toURL()
                .openConnection(Proxy.NO_PROXY);
        try {
            connection.setSSLSocketFactory(context.getSocketFactory());
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            if (connection.getResponseCode() != 200) {
                throw new AssertionError("status " + connection.getResponseCode());
            }
            try (InputStream body = connection.getInputStream()) {
                return new String(body.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            connection.disconnect();
        }
    }

    /** Returns an {@code HttpClient} with the context, no proxy and a connect timeout;. */
    static HttpClient httpClient(SSLContext context) {
        return HttpClient.newBuilder()
                .sslContext(context)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofMillis(TIMEOUT_MILLIS))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** GET https://127.0.0.1:port/ with {@code java.net.http.HttpClient}; returns the body. */
    static String httpClientGet(HttpClient client, int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofMillis(TIMEOUT_MILLIS))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("status " + response.statusCode());
        }
        return response.body();
    }
}
