package dev.tcpfixture.tls.internal;

import dev.tcpfixture.TlsFault;
import dev.tcpfixture.spi.TlsMaterialProvider;
import dev.tcpfixture.tls.CertificateAuthority;
import dev.tcpfixture.tls.CertificateFault;
import dev.tcpfixture.tls.ServerTls;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509KeyManager;

/**
 * The default material behind {@code FakeTcpServer.builder().tls()}: the {@linkplain CertificateAuthority#shared()
 * shared authority}'s server certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, TLS 1.2 and 1.3,
 * no client authentication unless the server asks for it, and the shared authority trusted for client certificates.
 * The context is made on the first call and reused.
 */
public final class DefaultTlsMaterialProvider implements TlsMaterialProvider {

    private final Object lock = new Object();
    private ServerTls serverTls; // guarded by lock
    private SSLContext context; // guarded by lock
    private final Map<TlsFault, SSLContext> faultyContexts = new EnumMap<>(TlsFault.class); // guarded by lock

    /** Made by {@link java.util.ServiceLoader}. */
    public DefaultTlsMaterialProvider() {
    }

    private ServerTls serverTls() {
        synchronized (lock) {
            if (serverTls == null) {
                serverTls = CertificateAuthority.shared().serverTls();
                context = serverTls.newSslContext();
            }
            return serverTls;
        }
    }

    @Override
    public SSLContext serverContext() {
        serverTls();
        synchronized (lock) {
            return context;
        }
    }

    /**
     * Returns the context with the shared authority's {@linkplain CertificateAuthority#serverCertificate(
     * CertificateFault) faulty certificate} for {@code fault}, made on the first call for each fault and reused.
     */
    @Override
    public SSLContext serverContext(TlsFault fault) {
        Objects.requireNonNull(fault, "fault");
        ServerTls normal = serverTls();
        synchronized (lock) {
            return faultyContexts.computeIfAbsent(fault, key -> normal
                    .withKey(CertificateAuthority.shared().serverCertificate(certificateFault(key))).newSslContext());
        }
    }

    /** The tls module's name for the core's fault. */
    static CertificateFault certificateFault(TlsFault fault) {
        switch (fault) {
            case EXPIRED:
                return CertificateFault.EXPIRED;
            case NOT_YET_VALID:
                return CertificateFault.NOT_YET_VALID;
            case WRONG_HOST:
                return CertificateFault.WRONG_HOST;
            case UNTRUSTED_ISSUER:
                return CertificateFault.UNTRUSTED_ISSUER;
            case SELF_SIGNED:
                return CertificateFault.SELF_SIGNED;
            default:
                throw new AssertionError(fault);
        }
    }

    /** Returns the key manager of a new client certificate from the shared authority. */
    @Override
    public X509KeyManager clientKeyManager(String commonName) {
        return CertificateAuthority.shared().clientCertificate(commonName).keyManager();
    }

    @Override
    public SSLParameters serverParameters() {
        return serverTls().sslParameters();
    }

    @Override
    public List<X509Certificate> trustedAuthorities() {
        return List.of(CertificateAuthority.shared().certificate());
    }
}
