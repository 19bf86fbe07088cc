package dev.tcpfixture.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.WithTcpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

// The TLS quick start of README.md for JUnit, run as written there (ReadmeDocumentTest compares).
@WithTcpServer
class HttpsClientTest {

    @Test
    void fetchesOverHttps(@TcpServer(tls = true) FakeTcpServer server) throws Exception {
        server.enqueue(Script.create()
                .expectLine("GET /status HTTP/1.1").skipLinesThrough("")
                .send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                .close());

        HttpClient client = HttpClient.newBuilder()
                .sslContext(server.tlsClient().sslContext())   // trusts the test CA, and only it
                .build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://" + server.authority() + "/status")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals("ok", response.body());
    }
}
