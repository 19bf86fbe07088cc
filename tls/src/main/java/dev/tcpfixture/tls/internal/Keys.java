package dev.tcpfixture.tls.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;

/**
 * EC P-256 key pairs and the random source, from the JDK's providers. Kept apart from {@link CertificateMaker} and
 * free of BouncyCastle types so that the first key pair of a JVM does not wait for BouncyCastle's classes: linking a
 * class that uses them has the JVM load them, signature checks of their jars included.
 */
public final class Keys {
    /** The random source for keys, serial numbers and signatures. */
    static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    /**
     * Makes one throwaway signature with the key and loads the JDK's certificate and digest services: the JDK's part
     * of the first certificate, run while {@link Preloader}'s threads load BouncyCastle.
     */
    public static void rehearse(PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key, RANDOM);
            signature.update(new byte[] {0});
            signature.sign();
            CertificateFactory.getInstance("X.509");
            MessageDigest.getInstance("SHA-1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA256withECDSA, X.509 or SHA-1", e);
        }
    }

    /** Returns a new key pair on the P-256 curve (secp256r1). */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK could not generate an EC P-256 key pair", e);
        }
    }
}
