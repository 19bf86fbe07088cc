package dev.tcpfixture.tls;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.TlsVersion;
import dev.tcpfixture.tls.internal.TrustMaterial;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * How a TLS server presents itself: its certificate, the protocol versions it accepts, whether it asks for a client
 * certificate, and which authorities it trusts for client certificates. An immutable value; the {@code with}
 * methods return changed copies.
 *
 * <pre>{@code
 * ServerTls tls = CertificateAuthority.shared().serverTls()
 *         .withVersions(TlsVersion.TLS_1_2)
 *         .withClientAuth(ClientAuth.REQUIRE);
 * SSLServerSocket socket = (SSLServerSocket) tls.newSslContext().getServerSocketFactory().createServerSocket();
 * socket.setSSLParameters(tls.sslParameters());
 * }</pre>
 *
 * @param key the certificate (with its private key) the server presents
 * @param versions the protocol versions the server accepts, never empty
 * @param clientAuth whether the server asks for a client certificate
 * @param clientIssuers the authorities whose client certificates the server trusts; needed unless
 *     {@code clientAuth} is {@link ClientAuth#NONE}
 */
public record ServerTls(CertifiedKey key, Set<TlsVersion> versions, ClientAuth clientAuth,
        List<X509Certificate> clientIssuers) {

    /**
     * Checks the values and makes immutable copies of the collections.
     *
     * @param key the certificate (with its private key) the server presents
     * @param versions the protocol versions the server accepts, not empty
     * @param clientAuth whether the server asks for a client certificate
     * @param clientIssuers the authorities whose client certificates the server trusts
     */
    public ServerTls {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a server needs at least one protocol version");
        }
        versions = Collections.unmodifiableSet(EnumSet.copyOf(versions));
        clientIssuers = List.copyOf(clientIssuers);
    }

    /**
     * Returns the configuration that presents the given certificate, accepts TLS 1.2 and 1.3, asks for no client
     * certificate and trusts no client issuer.
     *
     * @param key the certificate (with its private key) the server presents
     * @return the configuration
     */
    public static ServerTls of(CertifiedKey key) {
        return new ServerTls(key, EnumSet.allOf(TlsVersion.class), ClientAuth.NONE, List.of());
    }

    /**
     * Returns a copy that presents the given certificate instead.
     *
     * @param key the certificate (with its private key) to present, e.g. a faulty one
     * @return the changed copy
     */
    public ServerTls withKey(CertifiedKey key) {
        return new ServerTls(key, versions, clientAuth, clientIssuers);
    }

    /**
     * Returns a copy that accepts only the given protocol versions, e.g. {@code withVersions(TlsVersion.TLS_1_2)} for
     * a server pinned to TLS 1.2.
     *
     * @param version a version to accept
     * @param moreVersions further versions to accept
     * @return the changed copy
     */
    public ServerTls withVersions(TlsVersion version, TlsVersion... moreVersions) {
        return new ServerTls(key, EnumSet.of(version, moreVersions), clientAuth, clientIssuers);
    }

    /**
     * Returns a copy that asks for a client certificate as given.
     *
     * @param clientAuth whether to ask for a client certificate, and to insist on it
     * @return the changed copy
     */
    public ServerTls withClientAuth(ClientAuth clientAuth) {
        return new ServerTls(key, versions, clientAuth, clientIssuers);
    }

    /**
     * Returns a copy that trusts client certificates from the given authorities only.
     *
     * @param issuer an authority's certificate
     * @param moreIssuers further authorities' certificates
     * @return the changed copy
     */
    public ServerTls withClientIssuers(X509Certificate issuer, X509Certificate... moreIssuers) {
        List<X509Certificate> issuers = new ArrayList<>();
        issuers.add(Objects.requireNonNull(issuer, "issuer"));
        for (X509Certificate more : moreIssuers) {
            issuers.add(Objects.requireNonNull(more, "issuer"));
        }
        return new ServerTls(key, versions, clientAuth, issuers);
    }

    /**
     * Returns the JDK names of the {@linkplain #versions() versions}, oldest first.
     *
     * @return e.g. {@code ["TLSv1.2", "TLSv1.3"]}
     */
    public List<String> protocolNames() {
        List<String> names = new ArrayList<>();
        for (TlsVersion version : versions) {
            names.add(version.protocolName());
        }
        return List.copyOf(names);
    }

    /**
     * Returns a new server {@link SSLContext} that presents the {@linkplain #key() certificate} and checks client
     * certificates against the {@linkplain #clientIssuers() client issuers}. The context alone does not pin the
     * versions nor ask for client certificates: apply {@link #sslParameters()} to every {@code SSLServerSocket} or
     * {@code SSLEngine} made from it.
     *
     * @return a new context
     *
     * @throws IllegalStateException if client certificates are asked for but no client issuer is trusted
     */
    public SSLContext newSslContext() {
        if (clientAuth != ClientAuth.NONE && clientIssuers.isEmpty()) {
            throw new IllegalStateException("client authentication " + clientAuth
                    + " needs a trusted client issuer: call withClientIssuers(...)");
        }
        return TrustMaterial.sslContext(key.keyManager(), TrustMaterial.trustManager(clientIssuers));
    }

    /**
     * Returns new parameters with the {@linkplain #versions() versions} and the {@linkplain #clientAuth() client
     * authentication}, and everything else (cipher suites among others) left to the JDK's defaults, for
     * {@code SSLServerSocket.setSSLParameters} or {@code SSLEngine.setSSLParameters}.
     *
     * @return new parameters
     */
    public SSLParameters sslParameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(protocolNames().toArray(new String[0]));
        if (clientAuth == ClientAuth.REQUIRE) {
            parameters.setNeedClientAuth(true);
        } else if (clientAuth == ClientAuth.REQUEST) {
            parameters.setWantClientAuth(true);
        }
        return parameters;
    }
}
