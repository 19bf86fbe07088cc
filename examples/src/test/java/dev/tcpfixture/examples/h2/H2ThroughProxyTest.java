package dev.tcpfixture.examples.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.ProxyFault;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.TcpProxy;
import dev.tcpfixture.TranscriptEvent;
import dev.tcpfixture.junit.Proxy;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The H2 JDBC driver against H2's own TCP server, started in this process on 127.0.0.1 and an ephemeral port, with
 * a {@link TcpProxy} between them. Which H2 timeout applies to a stalled server: the URL setting
 * {@code NETWORK_TIMEOUT} (milliseconds), which the driver sets as the socket's read timeout
 * ({@code Connection.setNetworkTimeout} is a no-op in H2 2.5, and a query timeout is enforced by the server, which
 * a stalled connection never reaches). Without it the driver waits for good. When it fires, H2 drops the socket's
 * {@code SocketTimeoutException} (logged at debug level) and throws {@code JdbcSQLNonTransientConnectionException:
 * Connection is broken: "session closed" [90067-252]}.
 */
class H2ThroughProxyTest {

    private static Server h2;

    @Proxy
    TcpProxy proxy;

    @BeforeAll
    static void startH2() throws SQLException {
        assertThat(System.getProperty("h2.bindAddress")).as("H2 binds loopback only (set in the pom)")
                .isEqualTo("127.0.0.1");
        h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        try (Connection direct = DriverManager.getConnection(url(h2.getPort(), ""), "sa", "");
                Statement statement = direct.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS city(id INT PRIMARY KEY, name VARCHAR(64))");
            statement.execute("MERGE INTO city KEY(id) VALUES (1, 'Ann Arbor'), (2, 'Lund')");
        }
    }

    @AfterAll
    static void stopH2() {
        h2.stop();
        // every test's proxy was closed after it: none of its threads is left
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("tcpfixture-proxy-"))).isEmpty();
    }

    @BeforeEach
    void forwardToH2() {
        proxy.upstream("127.0.0.1", h2.getPort());
    }

    private static String url(int port, String settings) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:proxied;DB_CLOSE_DELAY=-1" + settings;
    }

    private Connection connectThroughProxy(String settings) throws SQLException {
        return DriverManager.getConnection(url(proxy.port(), settings), "sa", "");
    }

    private static String cityName(Connection connection, int id) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM city WHERE id = " + id)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    @Test
    void queriesGoThroughAndTheProxyRecordsTheDriversBytes() throws SQLException {
        try (Connection connection = connectThroughProxy("")) {
            assertThat(cityName(connection, 2)).isEqualTo("Lund");
        }
        assertThat(proxy.awaitQuiet()).isTrue();
        RecordedConnection recorded = proxy.takeConnection(Duration.ofSeconds(2));
        assertThat(recorded.receivedByteCount()).isPositive();
        assertThat(recorded.sentByteCount()).isPositive();
        assertThat(new String(recorded.received(), java.nio.charset.StandardCharsets.UTF_16BE))
                .contains("SELECT name FROM city WHERE id = 2"); // H2 writes strings as UTF-16 chars
    }

    @Test
    void latencyMakesAQuerySlowerByAtLeastTheLatency() throws SQLException {
        try (Connection connection = connectThroughProxy("")) {
            assertThat(cityName(connection, 1)).isEqualTo("Ann Arbor");
            proxy.add(ProxyFault.latency(Duration.ofMillis(300)));
            long start = System.nanoTime();
            assertThat(cityName(connection, 1)).isEqualTo("Ann Arbor");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void aCutAfterSomeBytesGivesTheDriversConnectionBrokenError() throws SQLException {
        try (Connection connection = connectThroughProxy("")) {
            assertThat(cityName(connection, 1)).isEqualTo("Ann Arbor");
            proxy.add(ProxyFault.closeAfter(10)); // the next answer is cut after 10 bytes
            assertThatThrownBy(() -> cityName(connection, 1)).isInstanceOf(SQLException.class)
                    .satisfies(e -> System.out.println("H2 after a cut: " + e))
                    .hasMessageContaining("Connection is broken");
        }
        RecordedConnection recorded = proxy.takeConnection(Duration.ofSeconds(2));
        assertThat(recorded.events()).anyMatch(event -> event.kind() == TranscriptEvent.Kind.SERVER_CLOSED
                && event.detail().contains("close after 10 bytes"));
    }

    @Test
    void refusalGivesTheDriversConnectionError() {
        proxy.mode(ConnectionMode.REFUSE);
        assertThatThrownBy(() -> connectThroughProxy("")).isInstanceOf(SQLException.class)
                .satisfies(e -> System.out.println("H2 refused: " + e))
                .hasMessageContaining("Connection refused");
    }

    @Test
    void aStallTripsTheNetworkTimeout() throws SQLException {
        try (Connection connection = connectThroughProxy(";NETWORK_TIMEOUT=500")) {
            assertThat(cityName(connection, 1)).isEqualTo("Ann Arbor");
            proxy.add(ProxyFault.stall());
            long start = System.nanoTime();
            assertThatThrownBy(() -> cityName(connection, 1)).isInstanceOf(SQLException.class)
                    .satisfies(e -> System.out.println("H2 after a stall: " + e))
                    .hasMessageContaining("Connection is broken")
                    .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(90067);
            // H2 reads with the socket's timeout, swallows its SocketTimeoutException and closes the session
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
        assertThat(proxy.awaitQuiet()).isTrue();
        RecordedConnection recorded = proxy.takeConnection(Duration.ofSeconds(2));
        // the driver's own timeout fired: the proxy did not end the connection (and H2 2.5 leaves its socket open
        // after the timeout; the proxy closes it when the test ends)
        assertThat(recorded.closedFirstBy()).isEmpty();
        assertThat(recorded.receivedByteCount()).isPositive();
    }

    @Test
    void anUpstreamThatIsDownGivesTheDriversConnectionError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        proxy.upstream("127.0.0.1", closedPort);
        assertThatThrownBy(() -> connectThroughProxy("")).isInstanceOf(SQLException.class)
                .satisfies(e -> System.out.println("H2 with the upstream down: " + e))
                .hasMessageContaining("Connection reset");
        RecordedConnection recorded = proxy.takeConnection(Duration.ofSeconds(2));
        assertThat(recorded.transcript()).contains("did not accept the connection");
    }

    @Test
    void aDriverThatGoesAwayMidQueryLeavesAnExactRecord() throws Exception {
        Connection connection = connectThroughProxy("");
        assertThat(cityName(connection, 2)).isEqualTo("Lund");
        connection.close();
        assertThat(proxy.awaitQuiet()).isTrue();
        RecordedConnection recorded = proxy.takeConnection(Duration.ofSeconds(2));
        assertThat(recorded.awaitClosed(Duration.ofSeconds(2))).isTrue();
        assertThat(recorded.events().stream().map(TranscriptEvent::kind))
                .contains(TranscriptEvent.Kind.CLIENT_CLOSED);
        // the driver still works directly: the proxy left the server intact
        try (Connection direct = DriverManager.getConnection(url(h2.getPort(), ""), "sa", "")) {
            assertThat(cityName(direct, 2)).isEqualTo("Lund");
        }
    }
}
