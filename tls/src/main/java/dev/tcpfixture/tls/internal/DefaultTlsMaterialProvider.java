package dev.tcpfixture.tls.internal;

import dev.tcpfixture.spi.TlsMaterialProvider;
import dev.tcpfixture.tls.CertificateAuthority;
import dev.tcpfixture.tls.ServerTls;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The default material behind {@code FakeTcpServer.builder().tls()}: the {@linkplain CertificateAuthority#shared()
 * shared authority}'s server certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, TLS 1.2 and 1.3,
 * no client authentication. The context is made on the first call and reused.
 */
public final class DefaultTlsMaterialProvider implements TlsMaterialProvider {

    private final Object lock = new Object();
    private ServerTls serverTls; // guarded by lock
    private SSLContext context; // guarded by lock

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

    @Override
    public SSLParameters serverParameters() {
        return serverTls().sslParameters();
    }

    @Override
    public List<X509Certificate> trustedAuthorities() {
        return List.of(CertificateAuthority.shared().certificate());
    }
}
