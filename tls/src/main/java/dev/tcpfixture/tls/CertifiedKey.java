package dev.tcpfixture.tls;

import dev.tcpfixture.tls.internal.SingleKeyManager;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A private key with the certificate chain that vouches for it, leaf first: what one side of a handshake presents.
 *
 * @param privateKey the leaf certificate's private key
 * @param chain the leaf certificate first, then the intermediate certificates if any (never the root)
 */
public record CertifiedKey(PrivateKey privateKey, List<X509Certificate> chain) {

    /**
     * Checks that there is a key and at least one certificate, and copies the chain.
     *
     * @param privateKey the leaf certificate's private key
     * @param chain the leaf certificate first, then the intermediate certificates if any
     */
    public CertifiedKey {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certified key needs at least its own certificate");
        }
    }

    /**
     * Returns the leaf certificate, the first of the chain.
     *
     * @return the leaf certificate
     */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * Returns a key manager that presents this key and chain, for {@code SSLContext.init} on either side. As a
     * client's, it sends its certificate whatever authorities the server names in its request.
     *
     * @return a new key manager for this key only
     */
    public X509ExtendedKeyManager keyManager() {
        return new SingleKeyManager(privateKey, chain);
    }

    /** Names the subject, the issuer and the end of validity; never the key. */
    @Override
    public String toString() {
        X509Certificate leaf = certificate();
        return "CertifiedKey[subject=" + leaf.getSubjectX500Principal().getName()
                + ", issuer=" + leaf.getIssuerX500Principal().getName()
                + ", notAfter=" + leaf.getNotAfter().toInstant() + "]";
    }
}
