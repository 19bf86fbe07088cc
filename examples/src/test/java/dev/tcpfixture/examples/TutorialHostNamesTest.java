package dev.tcpfixture.examples;

import static dev.tcpfixture.junit.TcpAssertions.assertConnectTimesOut;
import static dev.tcpfixture.junit.TcpAssertions.assertConnectsReturning;
import static dev.tcpfixture.junit.TcpAssertions.assertRefused;
import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.Connected;
import dev.tcpfixture.junit.FakeHost;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.UnknownHost;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's fetcher, unchanged, with its own host name: {@code data.pr4e.org} reaches the fake server through
 * a faked name (the port passed in), and the tutorial's three failures side by side, each with the exception the
 * client sees. Runs on JDK 25 with tcpfixture-names (the examples' second Surefire execution).
 */
@Tag("host-names")
class TutorialHostNamesTest {

    private static final String URL = "http://data.pr4e.org/romeo.txt";

    @Test
    @FakeHost(name = "data.pr4e.org", server = "web")
    void fetchesRomeoFromDataPr4eOrg(@TcpServer("web") FakeTcpServer server) {
        server.enqueue(Demo.ROMEO_SERVER);
        HttpFetcher fetcher = new HttpFetcher("data.pr4e.org", server.port(), 2_000);

        Connected<String> connected = assertConnectsReturning(server, () -> fetcher.fetch(URL));

        assertThat(HttpFetcher.body(connected.result())).isEqualTo(Demo.ROMEO);
        assertThat(connected.connection()).receivedText("GET " + URL + " HTTP/1.0\r\n\r\n");
    }

    // ---- the tutorial's three failures ----

    @Test
    @UnknownHost("data.pr4e.org")
    void noSuchHost() {
        Throwable thrown = catchThrowable(() -> new HttpFetcher("data.pr4e.org", 80, 2_000).fetch(URL));

        assertThat(thrown).isExactlyInstanceOf(UnknownHostException.class).hasMessage("data.pr4e.org");
    }

    @Test
    @FakeHost(name = "data.pr4e.org", server = "web")
    void serviceDown(@TcpServer(value = "web", mode = ConnectionMode.REFUSE) FakeTcpServer server) {
        HttpFetcher fetcher = new HttpFetcher("data.pr4e.org", server.port(), 2_000);

        Throwable thrown = catchThrowable(() -> fetcher.fetch(URL));

        assertThat(thrown).isExactlyInstanceOf(ConnectException.class).hasMessage("Connection refused");
        assertRefused(server, () -> fetcher.fetch(URL));
    }

    @Test
    @FakeHost(name = "data.pr4e.org", server = "web")
    void serverDown(@TcpServer(value = "web", mode = ConnectionMode.CONNECT_TIMEOUT) FakeTcpServer server) {
        HttpFetcher fetcher = new HttpFetcher("data.pr4e.org", server.port(), 300);

        Throwable thrown = catchThrowable(() -> fetcher.fetch(URL));

        assertThat(thrown).isExactlyInstanceOf(SocketTimeoutException.class).hasMessage("Connect timed out");
        // the fetcher's own connect timeout (300 ms) took effect: it gave up within 2 s
        assertConnectTimesOut(server, Duration.ofSeconds(2), () -> fetcher.fetch(URL));
    }

    @Test
    @FakeHost(name = "data.pr4e.org", server = "web", delay = "PT0.5S")
    void aSlowLookupIsNotCoveredByTheConnectTimeout(@TcpServer("web") FakeTcpServer server) throws Exception {
        server.enqueue(Demo.ROMEO_SERVER);
        HttpFetcher fetcher = new HttpFetcher("data.pr4e.org", server.port(), 100);

        long start = System.nanoTime();
        String response = fetcher.fetch(URL); // the name resolves in new InetSocketAddress(...), before connect

        assertThat(HttpFetcher.body(response)).isEqualTo(Demo.ROMEO);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    // ---- the same with the JDK's HttpClient ----

    @Test
    @FakeHost(name = "data.pr4e.org", server = "web")
    void httpClientByName(@TcpServer("web") FakeTcpServer server) throws Exception {
        server.enqueue(Script.create()
                .expectLine("GET /romeo.txt HTTP/1.1")
                .skipLinesThrough("")
                .send("HTTP/1.1 200 OK\r\nContent-Length: " + Demo.ROMEO.length() + "\r\n\r\n" + Demo.ROMEO));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://data.pr4e.org:" + server.port() + "/romeo.txt")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo(Demo.ROMEO);
    }

    @Test
    @UnknownHost("data.pr4e.org")
    void httpClientNoSuchHost() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        Throwable thrown = catchThrowable(() -> client.send(HttpRequest.newBuilder(
                URI.create("http://data.pr4e.org/romeo.txt")).build(), HttpResponse.BodyHandlers.ofString()));

        // HttpClient resolves the name itself, and reports an unresolved address as a ConnectException
        assertThat(thrown).isExactlyInstanceOf(ConnectException.class)
                .hasRootCauseExactlyInstanceOf(UnresolvedAddressException.class);
    }
}
