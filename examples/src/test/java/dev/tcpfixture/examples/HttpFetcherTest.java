package dev.tcpfixture.examples;

import static dev.tcpfixture.junit.TcpAssertions.assertConnectsReturning;
import static dev.tcpfixture.junit.TcpAssertions.assertReadTimesOut;
import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.Connected;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.WithTcpServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The tutorial's HTTP/1.0 fetcher, tested against a fake web server instead of the real one on port 80. */
@WithTcpServer
class HttpFetcherTest {

    private static final String URL = "http://data.pr4e.org/romeo.txt";

    @Test
    void fetchesRomeoLikeTheTutorial(@TcpServer FakeTcpServer server) {
        server.enqueue(Demo.ROMEO_SERVER);
        HttpFetcher fetcher = new HttpFetcher(server.host(), server.port(), 2_000);

        Connected<String> connected = assertConnectsReturning(server, () -> fetcher.fetch(URL));

        assertThat(connected.result()).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(HttpFetcher.body(connected.result())).isEqualTo(Demo.ROMEO);
        assertThat(connected.connection()).receivedText("GET " + URL + " HTTP/1.0\r\n\r\n");
    }

    @Test
    void reassemblesAResponseThatArrivesInPieces(@TcpServer FakeTcpServer server) throws Exception {
        server.enqueue(Script.create()
                .skipLinesThrough("")
                .fragment(1, 2, 3, 5, 8)
                .send("HTTP/1.0 200 OK\r\n\r\n")
                .drip(7, Duration.ofMillis(5))
                .send(Demo.ROMEO)
                .close());

        String response = new HttpFetcher(server.host(), server.port(), 2_000).fetch(URL);

        assertThat(HttpFetcher.body(response)).isEqualTo(Demo.ROMEO);
    }

    @Test
    void returnsWhatCameBeforeTheServerHungUp(@TcpServer FakeTcpServer server) throws Exception {
        server.enqueue(Script.create()
                .skipLinesThrough("")
                .closeAfterSending(30)
                .send("HTTP/1.0 200 OK\r\n\r\n")
                .send(Demo.ROMEO));

        String response = new HttpFetcher(server.host(), server.port(), 2_000).fetch(URL);

        // HTTP/1.0 without Content-Length checks: the fetcher cannot tell a cut body from a whole one
        assertThat(response).hasSize(30).startsWith("HTTP/1.0 200 OK\r\n\r\nBut soft");
    }

    @Test
    void givesUpOnAServerThatNeverAnswers(@TcpServer FakeTcpServer server) {
        server.enqueue(Script.create().skipLinesThrough("").stall());
        HttpFetcher fetcher = new HttpFetcher(server.host(), server.port(), 200);

        // the fetcher's own read timeout (200 ms) took effect: it gave up within 2 s
        assertReadTimesOut(server, Duration.ofSeconds(2), () -> fetcher.fetch(URL));

        RecordedConnection connection = server.takeConnection(Duration.ofSeconds(2));
        assertThat(connection).receivedLine("GET " + URL + " HTTP/1.0");
        dev.tcpfixture.junit.TcpAssertions.assertClientClosed(connection);
    }
}
