package dev.tcpfixture.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.TlsFault;
import dev.tcpfixture.TlsVersion;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.WithTcpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

// Mutual TLS, a pinned version and a per-connection certificate fault with the JDK's HttpClient; the first test is
// the snippet of README.md's "Mutual TLS and pinned versions" (ReadmeDocumentTest compares).
@WithTcpServer
class MutualTlsClientTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    @Test
    void sendsItsClientCertificate(
            @TcpServer(tls = true, tlsClientAuth = ClientAuth.REQUIRE, tlsVersions = TlsVersion.TLS_1_2)
            FakeTcpServer server) throws Exception {
        server.enqueue(Script.create()
                .expectLine("GET /me HTTP/1.1").skipLinesThrough("")
                .send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                .close());

        HttpClient client = HttpClient.newBuilder()
                .sslContext(server.tlsClient().sslContextWithClientCertificate("alice")) // issued by the test CA
                .build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://" + server.authority() + "/me")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals("ok", response.body());
        assertThat(server.takeConnection().transcript()).contains("client certificate CN=alice", "TLSv1.2");
    }

    @Test
    void withoutACertificateTheClientFails(@TcpServer(tls = true, tlsClientAuth = ClientAuth.REQUIRE)
            FakeTcpServer server) {
        HttpClient client = HttpClient.newBuilder().sslContext(server.tlsClient().sslContext()).build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("https://" + server.authority()
                + "/me")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("bad_certificate");
        assertThat(server.takeConnection().transcript())
                .contains("TLS handshake failed: Empty client certificate chain");
    }

    @Test
    void onlyTheSecondConnectionGetsAnExpiredCertificate(@TcpServer(tls = true) FakeTcpServer server)
            throws Exception {
        server.enqueue(Script.create().expectLine("GET /first HTTP/1.1").skipLinesThrough("").send(OK).close());
        server.enqueue(Script.create().tlsFault(TlsFault.EXPIRED));
        HttpClient client = HttpClient.newBuilder().sslContext(server.tlsClient().sslContext()).build();

        assertThat(client.send(HttpRequest.newBuilder(URI.create("https://" + server.authority() + "/first"))
                .build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("https://" + server.authority()
                + "/second")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("validity check failed");
    }
}
