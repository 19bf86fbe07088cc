package dev.tcpfixture.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.util.IPAddress;

/**
 * Creates X.509 certificates: BouncyCastle lays out the certificate, the JDK's own providers make the keys
 * ({@link Keys}) and the ECDSA signatures (BouncyCastle's provider is neither registered nor loaded, which keeps the
 * first certificate of a JVM cheap).
 */
public final class CertificateMaker {

    /** What a leaf certificate is for: its extended key usage. */
    public enum Purpose {
        /** TLS server authentication. */
        SERVER,
        /** TLS client authentication. */
        CLIENT
    }

    /**
     * The contents of a leaf certificate.
     *
     * @param commonName the subject's common name
     * @param hostNames the subject alternative names: IP address literals become IP entries, anything else a DNS one
     * @param purpose server or client authentication
     * @param notBefore the start of the validity period
     * @param notAfter the end of the validity period
     */
    public record Leaf(String commonName, List<String> hostNames, Purpose purpose, Instant notBefore, Instant notAfter) {
        /** Copies the host names. */
        public Leaf {
            hostNames = List.copyOf(hostNames);
        }
    }

    private static final SecureRandom RANDOM = Keys.RANDOM;

    private CertificateMaker() {
    }

    /** Returns the self-signed certificate of a certificate authority with the given keys. */
    public static X509Certificate authority(KeyPair keys, String commonName, Instant notBefore, Instant notAfter) {
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        return sign(authorityBuilder(commonName, publicKey, notBefore, notAfter), keys.getPrivate());
    }

    /**
     * Returns a leaf certificate for {@code subjectKey} signed by the given authority, or self-signed when
     * {@code issuer} is {@code null} (then {@code issuerKey} is the subject's own private key).
     */
    public static X509Certificate leaf(Leaf leaf, PublicKey subjectKey, X509Certificate issuer, PrivateKey issuerKey) {
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded());
        X500Name issuerName = issuer == null
                ? name(leaf.commonName())
                : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        SubjectPublicKeyInfo issuerPublicKey = issuer == null
                ? publicKey
                : SubjectPublicKeyInfo.getInstance(issuer.getPublicKey().getEncoded());
        return sign(leafBuilder(leaf, publicKey, issuerName, issuerPublicKey, issuer == null), issuerKey);
    }

    /**
     * Lays out a throwaway authority certificate and server certificate, with a made-up key and no signature, and
     * keeps nothing: run by {@link Preloader} so that BouncyCastle's classes are loaded, and their code run once,
     * before the first real certificate needs them.
     */
    static void rehearse() {
        SubjectPublicKeyInfo madeUpKey = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1), new byte[65]);
        Instant now = Instant.now();
        ContentSigner noSignature = new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return EcdsaSigner.ALGORITHM;
            }

            @Override
            public OutputStream getOutputStream() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public byte[] getSignature() {
                return new byte[0];
            }
        };
        try {
            authorityBuilder("rehearsal", madeUpKey, now, now).build(noSignature).getEncoded();
            leafBuilder(new Leaf("localhost", List.of("localhost", "127.0.0.1", "::1"), Purpose.SERVER, now, now),
                    madeUpKey, name("rehearsal"), madeUpKey, false).build(noSignature).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509v3CertificateBuilder authorityBuilder(
            String commonName, SubjectPublicKeyInfo publicKey, Instant notBefore, Instant notAfter) {
        X500Name name = name(commonName);
        X509v3CertificateBuilder builder = builder(name, name, publicKey, notBefore, notAfter);
        add(builder, Extension.basicConstraints, true, new BasicConstraints(true));
        add(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        add(builder, Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(publicKey)));
        return builder;
    }

    private static X509v3CertificateBuilder leafBuilder(Leaf leaf, SubjectPublicKeyInfo publicKey, X500Name issuerName,
            SubjectPublicKeyInfo issuerPublicKey, boolean selfSigned) {
        X509v3CertificateBuilder builder = builder(issuerName, name(leaf.commonName()), publicKey, leaf.notBefore(),
                leaf.notAfter());
        if (!selfSigned) {
            // a self-signed leaf carries no CA flag and no key usage, like the ones keytool and most scripts make
            add(builder, Extension.basicConstraints, true, new BasicConstraints(false));
            add(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            add(builder, Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(keyIdentifier(issuerPublicKey)));
        }
        add(builder, Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(publicKey)));
        add(builder, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                leaf.purpose() == Purpose.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
        if (!leaf.hostNames().isEmpty()) {
            List<GeneralName> names = new ArrayList<>();
            for (String host : leaf.hostNames()) {
                names.add(IPAddress.isValid(host)
                        ? new GeneralName(GeneralName.iPAddress, host)
                        : new GeneralName(GeneralName.dNSName, host));
            }
            add(builder, Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        }
        return builder;
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static X509v3CertificateBuilder builder(
            X500Name issuer, X500Name subject, SubjectPublicKeyInfo publicKey, Instant notBefore, Instant notAfter) {
        // positive, non-zero and at most 64 bits: well within the 20 octets RFC 5280 allows
        BigInteger serial = new BigInteger(63, RANDOM).add(BigInteger.ONE);
        return new X509v3CertificateBuilder(issuer, serial, time(notBefore), time(notAfter), subject, publicKey);
    }

    /**
     * Returns a certificate time as RFC 5280 has it: UTCTime through 2049, GeneralizedTime after, in whole seconds.
     * BouncyCastle reads it from its DER encoding: its constructors from a {@code Date} or a {@code String} go through
     * {@code SimpleDateFormat}, whose first use in a JVM loads the JDK's locale data, some 40 ms of the first
     * certificate.
     */
    static Time time(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        boolean utcTime = utc.getYear() >= 1950 && utc.getYear() <= 2049;
        StringBuilder text = new StringBuilder(15);
        if (utcTime) {
            digits(text, utc.getYear() % 100, 2);
        } else {
            digits(text, utc.getYear(), 4);
        }
        digits(text, utc.getMonthValue(), 2);
        digits(text, utc.getDayOfMonth(), 2);
        digits(text, utc.getHour(), 2);
        digits(text, utc.getMinute(), 2);
        digits(text, utc.getSecond(), 2);
        text.append('Z');
        byte[] der = new byte[2 + text.length()];
        der[0] = (byte) (utcTime ? BERTags.UTC_TIME : BERTags.GENERALIZED_TIME);
        der[1] = (byte) text.length();
        for (int i = 0; i < text.length(); i++) {
            der[2 + i] = (byte) text.charAt(i);
        }
        return new Time(utcTime ? ASN1UTCTime.getInstance(der) : ASN1GeneralizedTime.getInstance(der));
    }

    private static void digits(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        text.append(digits);
    }

    private static void add(X509v3CertificateBuilder builder, ASN1ObjectIdentifier oid, boolean critical,
            ASN1Encodable value) {
        try {
            builder.addExtension(oid, critical, value);
        } catch (IOException e) {
            throw new IllegalStateException("could not encode the certificate extension " + oid, e);
        }
    }

    /** The key identifier of RFC 5280, 4.2.1.2, method 1: the SHA-1 hash of the public key's bits. */
    private static byte[] keyIdentifier(SubjectPublicKeyInfo publicKey) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(publicKey.getPublicKeyData().getBytes());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-1 digest", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            byte[] encoded = builder.build(new EcdsaSigner(signingKey)).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(encoded));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not create the certificate", e);
        }
    }

    /** ECDSA with SHA-256 through the JDK's own provider. */
    private static final class EcdsaSigner implements ContentSigner {
        private static final AlgorithmIdentifier ALGORITHM = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

        private final PrivateKey key;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream(512);

        EcdsaSigner(PrivateKey key) {
            this.key = key;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return ALGORITHM;
        }

        @Override
        public OutputStream getOutputStream() {
            return data;
        }

        @Override
        public byte[] getSignature() {
            try {
                Signature signature = Signature.getInstance("SHA256withECDSA");
                signature.initSign(key, RANDOM);
                signature.update(data.toByteArray());
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not sign the certificate with SHA256withECDSA", e);
            }
        }
    }
}
