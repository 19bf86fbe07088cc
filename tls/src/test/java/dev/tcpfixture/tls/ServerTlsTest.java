package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.TlsClient;
import dev.tcpfixture.TlsVersion;
import java.util.EnumSet;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** The server configuration and the client trust as values: defaults, copies, checks and what they hand to the JDK. */
class ServerTlsTest {
    private final CertificateAuthority authority = CertificateAuthority.shared();

    @Test
    void authorityServerTlsAcceptsBothVersionsAsksNothingAndTrustsItsAuthorityForClients() {
        ServerTls tls = authority.serverTls();

        assertThat(tls.key()).isSameAs(authority.serverCertificate());
        assertThat(tls.versions()).containsExactly(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
        assertThat(tls.protocolNames()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(tls.clientAuth()).isEqualTo(ClientAuth.NONE);
        assertThat(tls.clientIssuers()).containsExactly(authority.certificate());
    }

    @Test
    void withMethodsReturnChangedCopiesAndLeaveTheOriginal() {
        ServerTls original = authority.serverTls();
        CertifiedKey other = authority.serverCertificate(CertificateFault.EXPIRED);

        ServerTls changed = original.withVersions(TlsVersion.TLS_1_3).withClientAuth(ClientAuth.REQUIRE).withKey(other);

        assertThat(changed.versions()).containsExactly(TlsVersion.TLS_1_3);
        assertThat(changed.clientAuth()).isEqualTo(ClientAuth.REQUIRE);
        assertThat(changed.key()).isSameAs(other);
        assertThat(changed.clientIssuers()).isEqualTo(original.clientIssuers());
        assertThat(original).isEqualTo(authority.serverTls());
        assertThat(changed).isNotEqualTo(original);
    }

    @Test
    void collectionsAreCopiedAndCannotBeChanged() {
        EnumSet<TlsVersion> versions = EnumSet.of(TlsVersion.TLS_1_2);
        ServerTls tls = new ServerTls(authority.serverCertificate(), versions, ClientAuth.NONE, List.of());
        versions.add(TlsVersion.TLS_1_3);

        assertThat(tls.versions()).containsExactly(TlsVersion.TLS_1_2);
        assertThatThrownBy(() -> tls.versions().add(TlsVersion.TLS_1_3)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> tls.clientIssuers().add(authority.certificate()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sslParametersCarryVersionsAndClientAuthAndLeaveCipherSuitesToTheJdk() {
        SSLParameters none = authority.serverTls().withVersions(TlsVersion.TLS_1_2).sslParameters();
        SSLParameters request = authority.serverTls().withClientAuth(ClientAuth.REQUEST).sslParameters();
        SSLParameters require = authority.serverTls().withClientAuth(ClientAuth.REQUIRE).sslParameters();

        assertThat(none.getProtocols()).containsExactly("TLSv1.2");
        assertThat(none.getNeedClientAuth()).isFalse();
        assertThat(none.getWantClientAuth()).isFalse();
        assertThat(none.getCipherSuites()).isNull();
        assertThat(request.getProtocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(request.getWantClientAuth()).isTrue();
        assertThat(request.getNeedClientAuth()).isFalse();
        assertThat(require.getNeedClientAuth()).isTrue();
    }

    @Test
    void noVersionIsRefused() {
        assertThatThrownBy(() -> new ServerTls(authority.serverCertificate(), EnumSet.noneOf(TlsVersion.class),
                ClientAuth.NONE, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a server needs at least one protocol version");
    }

    @Test
    void clientAuthWithoutTrustedIssuerIsRefusedWhenTheContextIsMade() {
        ServerTls tls = ServerTls.of(authority.serverCertificate()).withClientAuth(ClientAuth.REQUIRE);

        assertThatThrownBy(tls::newSslContext)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("client authentication REQUIRE needs a trusted client issuer: call withClientIssuers(...)");
        assertThat(ServerTls.of(authority.serverCertificate()).newSslContext().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void eachServerContextIsNew() {
        ServerTls tls = authority.serverTls();
        SSLContext first = tls.newSslContext();

        assertThat(tls.newSslContext()).isNotSameAs(first);
    }

    @Test
    void clientTrustTrustsItsAuthoritiesOnly() {
        try (TlsClient trust = authority.clientTrust()) {
            assertThat(trust.authorities()).containsExactly(authority.certificate());
            assertThat(trust.trustManager()).isInstanceOf(X509ExtendedTrustManager.class);
            assertThat(trust.trustManager().getAcceptedIssuers()).containsExactly(authority.certificate());
            assertThat(trust.sslContext()).isSameAs(trust.sslContext());
            assertThat(trust.socketFactory()).isSameAs(trust.socketFactory());
            assertThat(trust).hasToString("TlsClient[CN=tcpfixture test CA]");
        }

        CertificateAuthority other = CertificateAuthority.create("other test CA");
        try (TlsClient both = TlsClient.trusting(authority.certificate(), other.certificate())) {
            assertThat(both.trustManager().getAcceptedIssuers())
                    .containsExactlyInAnyOrder(authority.certificate(), other.certificate());
        }
    }

    @Test
    void trustManagerChecksChainsDirectly() throws Exception {
        X509ExtendedTrustManager trust = (X509ExtendedTrustManager) authority.clientTrust().trustManager();

        trust.checkServerTrusted(authority.serverCertificate().chain().toArray(new java.security.cert.X509Certificate[0]), "ECDHE_ECDSA");
        assertThatThrownBy(() -> trust.checkServerTrusted(authority.serverCertificate(CertificateFault.SELF_SIGNED)
                .chain().toArray(new java.security.cert.X509Certificate[0]), "ECDHE_ECDSA"))
                .isInstanceOf(java.security.cert.CertificateException.class)
                .hasMessageContaining("PKIX path building failed");
    }
}
