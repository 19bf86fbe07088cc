package dev.tcpfixture.examples.redis;

import static dev.tcpfixture.junit.TcpAssertions.assertClientClosed;
import static dev.tcpfixture.junit.TcpAssertions.assertClientFails;
import static dev.tcpfixture.junit.TcpAssertions.assertConnectTimesOut;
import static dev.tcpfixture.junit.TcpAssertions.assertConnectsReturning;
import static dev.tcpfixture.junit.TcpAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.examples.redis.RedisCounter.CounterUnavailableException;
import dev.tcpfixture.junit.Connected;
import dev.tcpfixture.junit.TcpAssertions;
import dev.tcpfixture.junit.TcpServer;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A Redis client built on Jedis 8, against a fake Redis that speaks just enough RESP, and its failure handling:
 * Jedis reports a refused or timed-out connect as its own {@code JedisConnectionException} with the socket's
 * exception among its <em>suppressed</em> exceptions, which the assertions find.
 */
class RedisCounterTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    /**
     * What Jedis 8 sends on a new connection before the first command, {@code CLIENT SETINFO LIB-NAME jedis} and
     * {@code CLIENT SETINFO LIB-VER <version>}, pipelined, and the two replies it waits for.
     */
    private static Script greeting() {
        return Script.create()
                .expect("*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$8\r\nLIB-NAME\r\n$5\r\njedis\r\n")
                .expect("*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$7\r\nLIB-VER\r\n")
                .skipLine() // the length of the version
                .skipLine() // the version
                .send("+OK\r\n+OK\r\n");
    }

    private static RedisCounter counter(FakeTcpServer server) {
        return new RedisCounter("127.0.0.1", server.port(), TIMEOUT);
    }

    @Test
    void pingsTheServer(@TcpServer FakeTcpServer server) {
        server.enqueue(greeting().expect("*1\r\n$4\r\nPING\r\n").send("+PONG\r\n"));

        Connected<Boolean> connected = assertConnectsReturning(server, () -> counter(server).isAlive());

        assertThat(connected.result()).isTrue();
        assertClientClosed(connected.connection());
    }

    @Test
    void countsAVisit(@TcpServer FakeTcpServer server) {
        server.enqueue(greeting().expect("*2\r\n$4\r\nINCR\r\n$13\r\nvisits:/index\r\n").send(":42\r\n"));

        Connected<Long> connected = assertConnectsReturning(server, () -> counter(server).countVisit("/index"));

        assertThat(connected.result()).isEqualTo(42L);
        TcpAssertions.assertThat(connected.connection()).receivedLinesInOrder("INCR", "visits:/index")
                .sentText("+OK\r\n+OK\r\n:42\r\n");
        assertClientClosed(connected.connection());
    }

    @Test
    void aRefusedConnectIsRefusedForJedisToo(@TcpServer(mode = ConnectionMode.REFUSE) FakeTcpServer server) {
        // Jedis itself: JedisConnectionException "Failed to connect to 127.0.0.1:<port>." with the
        // ConnectException as a suppressed exception, not as its cause
        Throwable jedis = assertRefused(server, () -> {
            try (Jedis client = new Jedis(new HostAndPort("127.0.0.1", server.port()),
                    DefaultJedisClientConfig.builder().connectionTimeoutMillis(300).build())) {
                client.ping();
            }
        });
        assertThat(jedis).isInstanceOf(JedisConnectionException.class)
                .hasMessage("Failed to connect to 127.0.0.1:" + server.port() + ".")
                .hasNoCause();
        assertThat(jedis.getSuppressed()).singleElement().isInstanceOf(ConnectException.class);

        // the application's client wraps that once more: the ConnectException is the suppressed one of its cause
        Throwable thrown = assertRefused(server, () -> counter(server).countVisit("/index"));

        assertThat(thrown).isInstanceOf(CounterUnavailableException.class)
                .cause().isInstanceOf(JedisConnectionException.class);
        assertThat(thrown.getCause().getSuppressed()).singleElement().isInstanceOf(ConnectException.class);
        TcpAssertions.assertThat(server).hasNoConnections();
    }

    @Test
    void aConnectThatTimesOutGivesUpWithinTheClientsTimeout(
            @TcpServer(mode = ConnectionMode.CONNECT_TIMEOUT) FakeTcpServer server) {
        // the client's own connect timeout (300 ms) took effect, not the operating system's (minutes): within 2 s
        Throwable thrown = assertConnectTimesOut(server, Duration.ofSeconds(2),
                () -> counter(server).countVisit("/index"));

        assertThat(thrown).isInstanceOf(CounterUnavailableException.class);
        Throwable[] suppressed = thrown.getCause().getSuppressed();
        assertThat(suppressed).singleElement().isInstanceOf(SocketTimeoutException.class);
        assertThat(suppressed[0]).hasMessage("Connect timed out");
    }

    @Test
    void aConnectionResetAtOnceIsTheClientsError(
            @TcpServer(mode = ConnectionMode.ACCEPT_THEN_RESET) FakeTcpServer server) {
        CounterUnavailableException thrown = assertClientFails(CounterUnavailableException.class,
                () -> counter(server).countVisit("/index"));

        // Jedis wraps the socket's exception as the cause, here: the reset came while it wrote or read its greeting
        assertThat(thrown.getCause()).isInstanceOf(JedisConnectionException.class)
                .cause().isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
        TcpAssertions.assertThat(server).hasConnectionCount(1);
    }

    @Test
    void aConnectionResetWhileWaitingForTheReplyIsTheClientsError(@TcpServer FakeTcpServer server) {
        server.enqueue(greeting().expect("*2\r\n$4\r\nINCR\r\n$13\r\nvisits:/index\r\n").reset());

        CounterUnavailableException thrown = assertClientFails(CounterUnavailableException.class,
                () -> counter(server).countVisit("/index"));

        assertThat(thrown.getCause()).isInstanceOf(JedisConnectionException.class)
                .cause().isInstanceOf(SocketException.class).hasMessage("Connection reset");
        RecordedConnection connection = server.takeConnection(Duration.ofSeconds(5));
        TcpAssertions.assertThat(connection).wasClosedByServer();
    }
}
