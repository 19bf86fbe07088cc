package dev.tcpfixture.tls.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager holding one private key and its chain, for either side of a handshake. It offers its key for every
 * key type that matches the key's algorithm and ignores the authorities a server names in its certificate request:
 * a client certificate from another authority is sent, so that the server's rejection of it can be tested.
 *
 * <p>Built directly rather than through a {@code KeyManagerFactory}, whose PKCS#12 key store encrypts the key on the
 * way in (thousands of password hash rounds on the first server's start).
 */
public final class SingleKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "tcpfixture";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    /** A key manager for the given key and its chain, leaf first. */
    public SingleKeyManager(PrivateKey key, List<X509Certificate> chain) {
        this.key = key;
        this.chain = chain.toArray(new X509Certificate[0]);
    }

    private String aliasFor(String keyType) {
        if (keyType == null) {
            return null;
        }
        // key types are "EC" or "RSA", in older names "EC_EC" or "RSA_EC" (key type, then the signer's)
        int underscore = keyType.indexOf('_');
        String algorithm = underscore < 0 ? keyType : keyType.substring(0, underscore);
        return algorithm.equalsIgnoreCase(key.getAlgorithm()) ? ALIAS : null;
    }

    private String aliasFor(String[] keyTypes) {
        if (keyTypes != null) {
            for (String keyType : keyTypes) {
                if (aliasFor(keyType) != null) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    private String[] aliases(String keyType) {
        return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliases(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliases(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
