package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with real JDK clients on loopback: the recording is plaintext, the transcript notes the handshake, and
 * verification stays exact.
 */
@Timeout(120)
class TlsTest {

    static final int TIMEOUT_MILLIS = 5_000;
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path keyDirectory;

    static TlsKeys server;
    static TlsKeys client;
    static TlsKeys stranger;

    @BeforeAll
    static void makeKeys() throws Exception {
        server = TlsKeys.generate(keyDirectory, "localhost");
        client = TlsKeys.generate(keyDirectory, "client");
        stranger = TlsKeys.generate(keyDirectory, "stranger");
    }

    static Script http(String path, String body) {
        return Script.create().expectLine("GET " + path + " HTTP/1.1").skipLinesThrough("")
                .send("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .close();
    }

    static SSLSocket connect(SSLContext context, FakeTcpServer fake) throws IOException {
        Socket plain = new Socket();
        plain.connect(fake.address(), TIMEOUT_MILLIS);
        plain.setSoTimeout(TIMEOUT_MILLIS);
        return (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", fake.port(), true);
    }

    static String handshakeNote(RecordedConnection connection) {
        return connection.events().stream().filter(e -> e.detail().startsWith("TLS handshake"))
                .map(TranscriptEvent::detail).collect(Collectors.joining(" | "));
    }

    @Test
    void httpsUrlConnectionReadsTheAnswerAndTheRecordingIsPlaintext() throws Exception {
        try (FakeTcpServer fake = FakeTcpServer.builder().tls(server.keyContext(null)).start()) {
            fake.enqueue(http("/hello", "hello"));
            assertThat(fake.isTls()).isTrue();
            HttpsURLConnection connection = (HttpsURLConnection) URI.create(
                    "https://localhost:" + fake.port() + "/hello").toURL().openConnection();
            connection.setSSLSocketFactory(server.trustContext().getSocketFactory());
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            try (InputStream in = connection.getInputStream()) {
                assertThat(connection.getResponseCode()).isEqualTo(200);
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            } finally {
                connection.disconnect();
            }
            fake.verify();
            RecordedConnection recorded = fake.takeConnection(WAIT);
            assertThat(recorded.receivedLines()).first().isEqualTo("GET /hello HTTP/1.1");
            assertThat(recorded.sentText()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nhello");
            assertThat(handshakeNote(recorded)).startsWith("TLS handshake: TLSv1.3, TLS_")
                    // the JDK's sockets send no SNI for a host name without a dot, such as localhost
                    .contains("SNI none").contains("client certificate none");
        }
    }

    @Test
    void httpClientOffersAlpnAndSpeaksHttp11() throws Exception {
        try (FakeTcpServer fake = FakeTcpServer.builder().tls(server.keyContext(null)).start()) {
            fake.enqueue(http("/json", "{}"));
            HttpClient http = HttpClient.newBuilder().sslContext(server.trustContext())
                    .connectTimeout(WAIT).build();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + fake.port() + "/json")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{}");
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            fake.verify();
            RecordedConnection recorded = fake.takeConnection(WAIT);
            assertThat(handshakeNote(recorded)).contains("SNI localhost").contains("ALPN offered h2,http/1.1")
                    .contains("ALPN selected none");
        }
    }

    @Test
    void alpnProtocolIsChosenFromTheParameters() throws Exception {
        SSLParameters parameters = new SSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        try (FakeTcpServer fake = FakeTcpServer.builder().tls(server.keyContext(null), parameters).start()) {
            fake.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            try (SSLSocket socket = connect(server.trustContext(), fake)) {
                SSLParameters offer = socket.getSSLParameters();
                offer.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                socket.setSSLParameters(offer);
                socket.startHandshake();
                assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(reader(socket).readLine()).isEqualTo("PONG");
            }
            fake.verify();
            assertThat(handshakeNote(fake.takeConnection(WAIT))).contains("ALPN selected http/1.1");
        }
    }

    @Test
    void lineClientOverSslSocketAndBothDirectionsRecordedAsPlaintext() throws Exception {
        try (FakeTcpServer fake = FakeTcpServer.builder().tls(server.keyContext(null)).start()) {
            fake.enqueue(Script.create().sendLine("HELLO").expectLine("PING").sendLine("PONG").expectLine("QUIT")
                    .sendLine("BYE").close());
            try (SSLSocket socket = connect(server.trustContext(), fake)) {
                BufferedReader in = reader(socket);
                OutputStream out = socket.getOutputStream();
                assertThat(in.readLine()).isEqualTo("HELLO");
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("PONG");
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("BYE");
                assertThat(in.readLine()).as("end of stream after the server's close_notify").isNull();
            }
            fake.verify();
            RecordedConnection recorded = fake.takeConnection(WAIT);
            assertThat(recorded.receivedText()).isEqualTo("PING\r\nQUIT\r\n");
            assertThat(recorded.sentText()).isEqualTo("HELLO\r\nPONG\r\nBYE\r\n");
        }
    }

    static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }
}
