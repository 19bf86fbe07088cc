package dev.tcpfixture.tls.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Trust managers, SSL contexts, PEM text and PKCS#12 trust stores, with the JDK's own classes only. */
public final class TrustMaterial {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TrustMaterial() {
    }

    /**
     * Returns the JDK's PKIX trust manager with the given certificates as its only trust anchors (the same checks
     * as with the JVM's default trust store: validity, host name when the connection asks for it, key usage).
     * With no certificates it trusts nobody.
     */
    public static X509ExtendedTrustManager trustManager(List<X509Certificate> anchors) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore(anchors));
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager) {
                    return (X509ExtendedTrustManager) manager;
                }
            }
            throw new IllegalStateException("the JDK's trust manager factory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not create a trust manager", e);
        }
    }

    /** Returns an in-memory PKCS#12 key store holding the certificates as trusted entries. */
    private static KeyStore trustStore(List<X509Certificate> anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("tcpfixture-ca-" + i, anchors.get(i));
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not create a trust store", e);
        }
    }

    /** Returns a TLS context (the JDK's "TLS": TLS 1.3 and 1.2 as the JVM enables them). */
    public static SSLContext sslContext(KeyManager keyManager, TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManager == null ? null : new KeyManager[] {keyManager},
                    new TrustManager[] {trustManager}, RANDOM);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not create an SSLContext", e);
        }
    }
}
