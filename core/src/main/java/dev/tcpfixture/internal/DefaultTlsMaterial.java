package dev.tcpfixture.internal;

import dev.tcpfixture.TlsFault;
import dev.tcpfixture.spi.TlsMaterialProvider;
import java.security.cert.X509Certificate;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import javax.net.ssl.SSLContext;

/**
 * Finds the {@link TlsMaterialProvider} once per JVM, through {@link ServiceLoader}: first with the thread's context
 * class loader, then with the core's own. A missing provider is not remembered, so adding it later works.
 */
public final class DefaultTlsMaterial {

    /** The coordinates named when no provider is found. */
    public static final String TLS_ARTIFACT = "dev.tcpfixture:tcpfixture-tls";

    private static TlsMaterialProvider provider; // guarded by DefaultTlsMaterial.class

    private DefaultTlsMaterial() {
    }

    /**
     * Returns the provider, found on the first call.
     *
     * @return the provider
     * @throws IllegalStateException if none is on the class path or module path, or it could not be loaded
     */
    public static synchronized TlsMaterialProvider provider() {
        if (provider == null) {
            provider = find();
        }
        return provider;
    }

    /**
     * Builds the settings for the default material: the provider's context and parameters, and the authorities
     * clients must trust.
     *
     * @param fromStart whether TLS starts with the first byte ({@code tls()}) or with a STARTTLS step
     * @return the settings
     */
    public static TlsSettings settings(boolean fromStart) {
        TlsMaterialProvider material = provider();
        List<X509Certificate> authorities = List.copyOf(material.trustedAuthorities());
        if (authorities.isEmpty()) {
            throw new IllegalStateException("the TLS material provider " + material.getClass().getName()
                    + " names no trusted authority");
        }
        return TlsSettings.of(material.serverContext(), material.serverParameters(), fromStart, authorities);
    }

    /**
     * Builds the settings for a faulty certificate: the provider's context for {@code fault}, its parameters, and
     * the normal authorities clients trust (so they refuse the certificate). TLS from the first byte.
     *
     * @param fault what is to be wrong with the server's certificate
     * @return the settings
     * @throws IllegalStateException if no provider is found
     */
    public static TlsSettings settings(TlsFault fault) {
        return settings(true).withContext(faultyContext(fault));
    }

    /**
     * Returns the provider's server context with a certificate that has {@code fault}.
     *
     * @param fault what is to be wrong with the server's certificate
     * @return the context
     * @throws IllegalStateException if no provider is found, or it returns no context
     */
    public static SSLContext faultyContext(TlsFault fault) {
        Objects.requireNonNull(fault, "fault");
        TlsMaterialProvider material = provider();
        SSLContext context = material.serverContext(fault);
        if (context == null) {
            throw new IllegalStateException("the TLS material provider " + material.getClass().getName()
                    + " returned no context for " + fault);
        }
        return context;
    }

    private static TlsMaterialProvider find() {
        try {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            TlsMaterialProvider found = context == null ? null
                    : first(ServiceLoader.load(TlsMaterialProvider.class, context));
            if (found == null) {
                found = first(ServiceLoader.load(TlsMaterialProvider.class,
                        TlsMaterialProvider.class.getClassLoader()));
            }
            if (found != null) {
                return found;
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("the TLS material provider of " + TLS_ARTIFACT
                    + " could not be loaded: " + e.getMessage(), e);
        }
        throw new IllegalStateException("tls() without arguments needs the default certificates of " + TLS_ARTIFACT
                + ": add it as a test dependency (same version as the core), or bring your own material with "
                + "tls(SSLContext) or tls(SSLContext, SSLParameters) (startTls(SSLContext) for STARTTLS)");
    }

    private static TlsMaterialProvider first(ServiceLoader<TlsMaterialProvider> loader) {
        Iterator<TlsMaterialProvider> iterator = loader.iterator();
        return iterator.hasNext() ? iterator.next() : null;
    }
}
