package dev.tcpfixture.spi;

import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509KeyManager;

/**
 * Default TLS material for {@link dev.tcpfixture.FakeTcpServer.Builder#tls()} and
 * {@link dev.tcpfixture.FakeTcpServer.Builder#startTls()}, found through {@link java.util.ServiceLoader}. The module
 * {@code dev.tcpfixture:tcpfixture-tls} provides it (on the module path through its {@code provides} clause, on the
 * class path through {@code META-INF/services}); the core itself makes no certificates.
 *
 * <p>An implementation is created once per JVM (the first provider found wins) and may be called from any thread;
 * it should create its material on the first call and reuse it after. Only JDK types cross this interface.
 *
 * @since 0.1
 */
public interface TlsMaterialProvider {

    /**
     * Returns an initialized server context whose key manager holds a certificate for {@code localhost},
     * {@code 127.0.0.1} and {@code ::1} (subject alternative names), issued by one of the
     * {@linkplain #trustedAuthorities() trusted authorities}, and whose trust manager trusts the issuer of
     * {@linkplain #clientKeyManager(String) client certificates}.
     *
     * @return the server's context
     */
    SSLContext serverContext();

    /**
     * Returns an initialized server context whose key manager holds a certificate with the given fault, that a
     * client trusting only the {@linkplain #trustedAuthorities() trusted authorities} must refuse, as described on
     * {@link dev.tcpfixture.TlsFault}. Used by {@link dev.tcpfixture.FakeTcpServer.Builder#tls(dev.tcpfixture.TlsFault)}
     * and {@link dev.tcpfixture.Script#tlsFault(dev.tcpfixture.TlsFault)}.
     *
     * @param fault what is to be wrong with the server's certificate
     * @return the server's context
     */
    SSLContext serverContext(dev.tcpfixture.TlsFault fault);

    /**
     * Returns a key manager with a new client certificate for {@code CN=commonName}, issued by an authority that the
     * {@linkplain #serverContext() server contexts} trust for client certificates (mutual TLS).
     *
     * @param commonName the common name of the certificate's subject, not blank
     * @return the key manager
     */
    X509KeyManager clientKeyManager(String commonName);

    /**
     * Returns the server's parameters: protocols, cipher suites, client authentication. A fresh object each call.
     *
     * @return the server's parameters
     */
    SSLParameters serverParameters();

    /**
     * Returns the certificates a client must trust to accept the server's certificate: usually one test
     * certificate authority.
     *
     * @return at least one certificate
     */
    List<X509Certificate> trustedAuthorities();
}
