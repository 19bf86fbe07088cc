package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.TlsFault;
import dev.tcpfixture.spi.TlsMaterialProvider;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code FakeTcpServer.builder().tls(fault)}: the server presents the faulty certificate, {@code tlsClient()} still
 * trusts the normal authority, so a JDK client that checks host names refuses the handshake with the exception that
 * {@link TlsFault} documents, every time, and the server's transcript records the failure. Loopback only.
 */
@Timeout(180)
class TlsFaultSwitchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int ROUNDS = 10;

    private static final String VALIDITY = "PKIX path validation failed: "
            + "java.security.cert.CertPathValidatorException: validity check failed";
    private static final String PATH_BUILDING = "PKIX path building failed: "
            + "sun.security.provider.certpath.SunCertPathBuilderException: "
            + "unable to find valid certification path to requested target";
    private static final String WRONG_IP = "No subject alternative names matching IP address 127.0.0.1 found";

    /** The message fragment a JDK 17 client gets for the fault (connecting to 127.0.0.1). */
    static String expectedMessage(TlsFault fault) {
        switch (fault) {
            case EXPIRED:
            case NOT_YET_VALID:
                return VALIDITY;
            case WRONG_HOST:
                return WRONG_IP;
            case UNTRUSTED_ISSUER:
            case SELF_SIGNED:
                return PATH_BUILDING;
            default:
                throw new AssertionError(fault);
        }
    }

    /** The type of the deepest cause. */
    static Class<? extends Throwable> expectedRootCause(TlsFault fault) {
        switch (fault) {
            case EXPIRED:
                return CertificateExpiredException.class;
            case NOT_YET_VALID:
                return CertificateNotYetValidException.class;
            case WRONG_HOST:
                return CertificateException.class;
            case UNTRUSTED_ISSUER:
            case SELF_SIGNED:
                return CertPathBuilderException.class;
            default:
                throw new AssertionError(fault);
        }
    }

    private static Throwable root(Throwable thrown) {
        Throwable current = thrown;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    private static void assertRefused(Throwable thrown, TlsFault fault) {
        assertThat(thrown).isInstanceOf(SSLHandshakeException.class).hasMessageContaining(expectedMessage(fault));
        assertThat(root(thrown)).isInstanceOf(expectedRootCause(fault));
        if (fault == TlsFault.WRONG_HOST) {
            assertThat(root(thrown)).hasMessage(WRONG_IP);
        }
    }

    /** Takes the next connection and checks that its transcript records the failed handshake. */
    private static RecordedConnection assertHandshakeFailed(FakeTcpServer server) {
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.awaitQuiet()).isTrue();
        assertThat(connection.transcript()).contains("TLS handshake failed: Received fatal alert: certificate_unknown")
                .doesNotContain("TLS handshake: TLSv");
        assertThat(connection.receivedByteCount()).as("no application data").isZero();
        return connection;
    }

    @ParameterizedTest
    @EnumSource(TlsFault.class)
    void anSslSocketCheckingHostNamesRefusesTheCertificateEveryRound(TlsFault fault) throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls(fault).start()) {
            assertThat(server.isTls()).isTrue();
            SSLContext trust = server.tlsClient().sslContext();
            for (int round = 0; round < ROUNDS; round++) {
                server.enqueue(Script.create().expectLine("hello").sendLine("hi"));
                Throwable thrown = catchFrom(() -> TestClients.sslSocketEcho(trust, "127.0.0.1", server.port(), true));
                assertRefused(thrown, fault);
                RecordedConnection connection = assertHandshakeFailed(server);
                assertThat(connection.failures()).singleElement().satisfies(failure ->
                        assertThat(failure.describe()).contains("TLS failed first"));
            }
            assertThat(server.connectionCount()).isEqualTo(ROUNDS);
            assertThat(server.transcript()).contains("TLS handshake failed: Received fatal alert: certificate_unknown");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsFault.class)
    void httpsUrlConnectionRefusesTheCertificateEveryRound(TlsFault fault) throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls(fault).start()) {
            SSLContext trust = server.tlsClient().sslContext();
            for (int round = 0; round < ROUNDS; round++) {
                server.enqueue(OneSwitchTest.http("never"));
                Throwable thrown = catchFrom(() -> TestClients.httpsUrlConnectionGet(trust, server.port()));
                assertRefused(thrown, fault);
                RecordedConnection connection = assertHandshakeFailed(server);
                assertThat(connection.failures()).singleElement().satisfies(failure ->
                        assertThat(failure.describe()).contains("TLS failed first"));
            }
            assertThat(server.connectionCount()).isEqualTo(ROUNDS);
        }
    }

    @Test
    void theNormalServerStillConnectsWithTheSameTrust() throws Exception {
        try (FakeTcpServer faulty = FakeTcpServer.builder().tls(TlsFault.EXPIRED).start();
                FakeTcpServer normal = FakeTcpServer.builder().tls().start()) {
            assertThat(faulty.tlsClient().authorities()).isEqualTo(normal.tlsClient().authorities())
                    .containsExactly(CertificateAuthority.shared().certificate());
            normal.enqueue(Script.create().expectLine("hello").sendLine("hi"));
            assertThat(TestClients.sslSocketEcho(faulty.tlsClient().sslContext(), "127.0.0.1", normal.port(), true))
                    .isEqualTo("hi");
            assertThat(normal.awaitQuiet()).isTrue();
            normal.verify();
        }
    }

    @Test
    void withoutTheHostNameCheckAWrongHostCertificateIsAccepted() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls(TlsFault.WRONG_HOST).start()) {
            server.enqueue(Script.create().expectLine("hello").sendLine("hi"));
            assertThat(TestClients.sslSocketEcho(server.tlsClient().sslContext(), "127.0.0.1", server.port(), false))
                    .as("the bug WRONG_HOST is there to find").isEqualTo("hi");
            assertThat(server.awaitQuiet()).isTrue();
            server.verify();
        }
    }

    @Test
    void eachFaultHasItsOwnCertificateFromTheProvider() {
        TlsMaterialProvider provider = new dev.tcpfixture.tls.internal.DefaultTlsMaterialProvider();
        for (TlsFault fault : TlsFault.values()) {
            assertThat(provider.serverContext(fault)).as("reused").isSameAs(provider.serverContext(fault))
                    .isNotSameAs(provider.serverContext());
        }
        assertThat(CertificateFault.values()).extracting(Enum::name)
                .containsExactly(java.util.Arrays.stream(TlsFault.values()).map(Enum::name).toArray(String[]::new));
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> FakeTcpServer.builder().tls((TlsFault) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("fault");
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static Throwable catchFrom(Call call) {
        try {
            Object result = call.run();
            throw new AssertionError("the client connected and got " + result);
        } catch (Exception e) {
            return e;
        }
    }
}
