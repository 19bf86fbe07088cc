package dev.tcpfixture.tls;

import dev.tcpfixture.tls.internal.TrustMaterial;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What a client needs to trust a set of authorities, and only them: a trust manager, an {@link SSLContext} and a
 * socket factory for JVM clients, and {@linkplain #writeFiles() files} for the others.
 *
 * <p>The trust manager is the JDK's own PKIX one, so a client sees the same checks and exceptions as with the JVM's
 * default trust store. Host names are checked only where the client asks for it, as with the defaults: HTTPS clients
 * ({@code HttpsURLConnection}, {@code java.net.http.HttpClient}) do; a bare {@code SSLSocket} does not unless its
 * endpoint identification algorithm is set to {@code "HTTPS"}.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class ClientTrust {
    private final List<X509Certificate> authorities;
    private final X509ExtendedTrustManager trustManager;
    private final SSLContext sslContext;
    private final SSLSocketFactory socketFactory;

    private ClientTrust(List<X509Certificate> authorities) {
        this.authorities = authorities;
        this.trustManager = TrustMaterial.trustManager(authorities);
        this.sslContext = TrustMaterial.sslContext(null, trustManager);
        this.socketFactory = sslContext.getSocketFactory();
    }

    /**
     * Returns trust in the given authorities' certificates. {@link CertificateAuthority#clientTrust()} is the usual
     * way to get one.
     *
     * @param authority a certificate to trust as a trust anchor
     * @param moreAuthorities further certificates to trust
     * @return trust in these certificates only
     */
    public static ClientTrust of(X509Certificate authority, X509Certificate... moreAuthorities) {
        List<X509Certificate> all = new ArrayList<>();
        all.add(Objects.requireNonNull(authority, "authority"));
        for (X509Certificate more : moreAuthorities) {
            all.add(Objects.requireNonNull(more, "authority"));
        }
        return new ClientTrust(List.copyOf(all));
    }

    /**
     * Returns the trusted authorities' certificates.
     *
     * @return the certificates, in the order given
     */
    public List<X509Certificate> authorities() {
        return authorities;
    }

    /**
     * Returns the trust manager, an {@link X509ExtendedTrustManager} that trusts these authorities only.
     *
     * @return the JDK's PKIX trust manager over these authorities
     */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /**
     * Returns a client {@link SSLContext} that trusts these authorities and presents no client certificate.
     *
     * @return the same context every call
     */
    public SSLContext sslContext() {
        return sslContext;
    }

    /**
     * Returns a new client {@link SSLContext} that trusts these authorities and presents the given client
     * certificate (mutual TLS), e.g. one from {@link CertificateAuthority#clientCertificate(String)}.
     *
     * @param clientCertificate the certificate and key the client presents
     * @return a new context
     */
    public SSLContext sslContext(CertifiedKey clientCertificate) {
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        return TrustMaterial.sslContext(clientCertificate.keyManager(), trustManager);
    }

    /**
     * Returns the socket factory of {@link #sslContext()}.
     *
     * @return the same factory every call
     */
    public SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /**
     * Writes these authorities to a new temporary directory: a PEM file for Python, curl or openssl and a PKCS#12
     * trust store for JVM clients configured by path. Close the returned files to delete them.
     *
     * @return the files, to close
     */
    public TrustFiles writeFiles() {
        return TrustFiles.write(authorities);
    }

    /** Names the trusted authorities. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (X509Certificate authority : authorities) {
            names.add(authority.getSubjectX500Principal().getName());
        }
        return "ClientTrust" + names;
    }
}
