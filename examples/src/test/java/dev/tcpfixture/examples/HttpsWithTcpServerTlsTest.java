package dev.tcpfixture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.TcpServerExtension;
import dev.tcpfixture.junit.WithTcpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code @TcpServer(tls = true)} and the extension's {@code tls()} with the JDK's HttpClient over HTTPS. */
@WithTcpServer
class HttpsWithTcpServerTlsTest {

    static String get(FakeTcpServer server, String path) throws Exception {
        server.enqueue(Script.create().expectLine("GET " + path + " HTTP/1.1").skipLinesThrough("")
                .send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").close());
        HttpClient client = HttpClient.newBuilder()
                .sslContext(server.tlsClient().sslContext())
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("https://" + server.authority() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void theAttributeMakesATlsServer(@TcpServer(tls = true) FakeTcpServer server) throws Exception {
        assertThat(server.isTls()).isTrue();
        assertThat(get(server, "/attribute")).isEqualTo("ok");
    }

    @Test
    void anIpv6TlsServerIsTrustedForItsAddressToo(@TcpServer(tls = true, ipv6 = true) FakeTcpServer server)
            throws Exception {
        assertThat(server.host()).isEqualTo("::1");
        assertThat(get(server, "/v6")).isEqualTo("ok");
    }

    @Nested
    class ByTheExtension {

        @RegisterExtension
        static TcpServerExtension extension = TcpServerExtension.builder().tls().build();

        @Test
        void everyServerSpeaksTls(@TcpServer FakeTcpServer server) throws Exception {
            assertThat(server.isTls()).isTrue();
            assertThat(get(server, "/extension")).isEqualTo("ok");
        }
    }
}
