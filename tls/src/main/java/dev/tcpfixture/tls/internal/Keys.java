package dev.tcpfixture.tls.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
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
