package dev.tcpfixture.internal;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.TlsVersion;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The TLS options of a server, immutable: the context that holds the server's key, the parameters (protocols,
 * cipher suites, client authentication, ALPN protocols to choose from) and whether connections speak TLS from
 * the first byte or only after a {@code startTls()} step. Validated when made, by making an engine.
 */
public final class TlsSettings {

    private final SSLContext context;
    private final SSLParameters parameters; // a private copy; never handed out
    private final boolean fromStart;
    private final List<X509Certificate> trustedAuthorities; // null: the caller's own material, trust unknown

    private TlsSettings(SSLContext context, SSLParameters parameters, boolean fromStart,
            List<X509Certificate> trustedAuthorities) {
        this.context = context;
        this.parameters = parameters;
        this.fromStart = fromStart;
        this.trustedAuthorities = trustedAuthorities;
    }

    /**
     * Validates and copies the options.
     *
     * @param context an initialized server context
     * @param parameters the parameters, or {@code null} for the context's defaults
     * @param fromStart whether connections speak TLS from the first byte
     * @return the settings
     * @throws IllegalArgumentException if the context is not initialized or the parameters name a protocol or
     *     cipher suite the context does not support
     */
    public static TlsSettings of(SSLContext context, SSLParameters parameters, boolean fromStart) {
        return of(context, parameters, fromStart, null);
    }

    /**
     * As {@link #of(SSLContext, SSLParameters, boolean)}, with the authorities a client must trust (the default
     * material of {@code tls()}), or {@code null} if unknown.
     *
     * @param context the server's context
     * @param parameters the parameters, or {@code null}
     * @param fromStart TLS from the first byte, or after a STARTTLS step
     * @param trustedAuthorities the authorities, or {@code null}
     * @return the settings
     */
    public static TlsSettings of(SSLContext context, SSLParameters parameters, boolean fromStart,
            List<X509Certificate> trustedAuthorities) {
        Objects.requireNonNull(context, "context");
        SSLEngine engine;
        try {
            engine = context.createSSLEngine();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("the SSLContext must be initialized (SSLContext.init) with the "
                    + "server's key: " + e.getMessage(), e);
        }
        engine.setUseClientMode(false);
        if (parameters != null) {
            try {
                engine.setSSLParameters(parameters);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the SSLParameters do not suit the SSLContext "
                        + context.getProtocol() + ": " + e.getMessage(), e);
            }
        }
        SSLParameters copy = engine.getSSLParameters(); // a fresh copy with what the engine accepted
        if (parameters != null && parameters.getApplicationProtocols() != null) {
            copy.setApplicationProtocols(parameters.getApplicationProtocols().clone());
        }
        if (copy.getProtocols().length == 0) {
            throw new IllegalArgumentException("the SSLParameters enable no protocol the context supports");
        }
        if (copy.getCipherSuites().length == 0) {
            throw new IllegalArgumentException("the SSLParameters enable no cipher suite the context supports");
        }
        return new TlsSettings(context, copy, fromStart,
                trustedAuthorities == null ? null : List.copyOf(trustedAuthorities));
    }

    /**
     * Returns these settings with the client authentication and protocol versions changed, validated again.
     *
     * @param clientAuth whether the server asks for a client certificate; {@code null} keeps the parameters'
     * @param versions the versions to accept; {@code null} keeps the parameters'
     * @return the changed settings, or these if nothing changes
     * @throws IllegalArgumentException if the context supports none of the versions
     */
    TlsSettings adjusted(ClientAuth clientAuth, Set<TlsVersion> versions) {
        if (clientAuth == null && versions == null) {
            return this;
        }
        SSLParameters changed = copyOfParameters();
        if (versions != null) {
            changed.setProtocols(versions.stream().map(TlsVersion::protocolName).toArray(String[]::new));
        }
        if (clientAuth == ClientAuth.REQUIRE) {
            changed.setNeedClientAuth(true);
        } else if (clientAuth == ClientAuth.REQUEST) {
            changed.setWantClientAuth(true);
        } else if (clientAuth == ClientAuth.NONE) {
            changed.setNeedClientAuth(false); // clears "want" as well
        }
        return of(context, changed, fromStart, trustedAuthorities);
    }

    /**
     * Returns these settings with another context, which holds another key (a faulty certificate), and the same
     * parameters.
     *
     * @param otherContext the context
     * @return the changed settings
     */
    TlsSettings withContext(SSLContext otherContext) {
        return of(otherContext, copyOfParameters(), fromStart, trustedAuthorities);
    }

    private SSLParameters copyOfParameters() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters);
        SSLParameters copy = engine.getSSLParameters();
        if (parameters.getApplicationProtocols() != null) {
            copy.setApplicationProtocols(parameters.getApplicationProtocols().clone());
        }
        return copy;
    }

    /** @return whether connections speak TLS from the first byte */
    public boolean fromStart() {
        return fromStart;
    }

    /**
     * Returns the authorities a client must trust, known for the default material only.
     *
     * @return the authorities, or {@code null} for the caller's own material
     */
    public List<X509Certificate> trustedAuthorities() {
        return trustedAuthorities;
    }

    /** Makes a server-mode engine with these parameters; {@code selector} chooses the ALPN protocol. */
    SSLEngine newEngine(java.util.function.BiFunction<SSLEngine, List<String>, String> selector) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters);
        engine.setHandshakeApplicationProtocolSelector(selector);
        return engine;
    }

    /** @return the ALPN protocols the server may choose, in order of preference; empty if none */
    List<String> applicationProtocols() {
        String[] protocols = parameters.getApplicationProtocols();
        return protocols == null ? List.of() : List.of(protocols);
    }

    @Override
    public String toString() {
        return (fromStart ? "TLS" : "STARTTLS") + " " + String.join("/", parameters.getProtocols())
                + (parameters.getNeedClientAuth() ? " need-client-auth"
                        : parameters.getWantClientAuth() ? " want-client-auth" : "");
    }
}
