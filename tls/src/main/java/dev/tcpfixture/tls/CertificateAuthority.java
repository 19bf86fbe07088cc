package dev.tcpfixture.tls;

import dev.tcpfixture.TlsClient;
import dev.tcpfixture.tls.internal.CertificateMaker;
import dev.tcpfixture.tls.internal.CertificateMaker.Leaf;
import dev.tcpfixture.tls.internal.CertificateMaker.Purpose;
import dev.tcpfixture.tls.internal.Keys;
import dev.tcpfixture.tls.internal.Preloader;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A certificate authority for tests: an EC P-256 key and a self-signed CA certificate, both in memory, that issues
 * server and client certificates.
 *
 * <p>{@link #shared()} is the authority of the whole JVM, created on first use; its default server certificate is
 * created once too. Everything here is safe to use from several threads.
 *
 * <pre>{@code
 * CertificateAuthority authority = CertificateAuthority.shared();
 * ServerTls server = authority.serverTls();                      // for the server under test
 * SSLContext client = authority.clientTrust().sslContext();     // for the client under test
 * }</pre>
 */
public final class CertificateAuthority {
    /** The names of the default server certificate, in its subject alternative names. */
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");
    private static final String WRONG_HOST_NAME = "not-localhost.invalid";

    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final Duration AUTHORITY_VALIDITY = Duration.ofDays(2 * 365);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    private static final Duration FAULTY_VALIDITY = Duration.ofDays(30);
    private static final Duration ONE_DAY = Duration.ofDays(1);

    /** Lazily created, once per JVM, by the class loader's own locking. */
    private static final class Shared {
        static final CertificateAuthority INSTANCE = new CertificateAuthority("tcpfixture test CA");
    }

    /** The authority behind {@link CertificateFault#UNTRUSTED_ISSUER}: never handed to a client. */
    private static final class Untrusted {
        static final CertificateAuthority INSTANCE = new CertificateAuthority("tcpfixture untrusted test CA");
    }

    private final KeyPair keys;
    private final X509Certificate certificate;
    private final Object lock = new Object();
    private CertifiedKey serverCertificate; // guarded by lock
    private final Map<CertificateFault, CertifiedKey> faulty = new EnumMap<>(CertificateFault.class); // guarded by lock

    private CertificateAuthority(String commonName) {
        // the first authority of a JVM: BouncyCastle loads on other threads while this one does the JDK's part
        boolean first = Preloader.startOnce();
        Instant now = Instant.now();
        this.keys = Keys.newKeyPair();
        if (first) {
            Keys.rehearse(keys.getPrivate());
        }
        this.certificate = CertificateMaker.authority(keys, commonName, now.minus(CLOCK_SKEW), now.plus(AUTHORITY_VALIDITY));
    }

    /**
     * Returns the JVM's test authority, creating it on the first call.
     *
     * @return the authority shared by everything in this JVM that does not create its own
     */
    public static CertificateAuthority shared() {
        return Shared.INSTANCE;
    }

    /**
     * Creates a new authority with its own key, independent of {@link #shared()}: for a test that must not share its
     * trust with others, or that needs two authorities.
     *
     * @param commonName the common name of the authority's certificate, e.g. {@code "payments test CA"}
     * @return a new authority with a new key
     */
    public static CertificateAuthority create(String commonName) {
        requireText(commonName, "commonName");
        return new CertificateAuthority(commonName);
    }

    /**
     * Returns the authority's self-signed certificate: what a client must trust.
     *
     * @return the CA certificate
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Returns this authority's server certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1} (DNS and IP
     * subject alternative names), valid for a year; created on the first call and reused after.
     *
     * @return the default server certificate with its private key
     */
    public CertifiedKey serverCertificate() {
        synchronized (lock) {
            if (serverCertificate == null) {
                serverCertificate = issue(LOOPBACK_NAMES.get(0), LOOPBACK_NAMES, Purpose.SERVER);
            }
            return serverCertificate;
        }
    }

    /**
     * Returns a new server certificate for the given host names, valid for a year. IP address literals
     * ({@code "127.0.0.1"}, {@code "::1"}) become IP subject alternative names, anything else a DNS one; the first
     * name is also the subject's common name. No name is looked up.
     *
     * @param hostName the first host name, also the common name
     * @param moreHostNames further host names
     * @return a new server certificate with its private key
     */
    public CertifiedKey serverCertificate(String hostName, String... moreHostNames) {
        List<String> names = new ArrayList<>();
        names.add(requireText(hostName, "hostName"));
        for (String name : moreHostNames) {
            names.add(requireText(name, "hostName"));
        }
        return issue(hostName, names, Purpose.SERVER);
    }

    /**
     * Returns a server certificate with the given fault, that a client trusting this authority must refuse;
     * created on the first call for each fault and reused after. The faults are described on
     * {@link CertificateFault}.
     *
     * @param fault what is to be wrong with the certificate
     * @return the faulty server certificate with its private key
     */
    public CertifiedKey serverCertificate(CertificateFault fault) {
        Objects.requireNonNull(fault, "fault");
        synchronized (lock) {
            return faulty.computeIfAbsent(fault, this::issueFaulty);
        }
    }

    private CertifiedKey issueFaulty(CertificateFault fault) {
        String host = LOOPBACK_NAMES.get(0);
        Instant now = Instant.now();
        switch (fault) {
            case EXPIRED:
                return issue(new Leaf(host, LOOPBACK_NAMES, Purpose.SERVER,
                        now.minus(FAULTY_VALIDITY), now.minus(ONE_DAY)), this);
            case NOT_YET_VALID:
                return issue(new Leaf(host, LOOPBACK_NAMES, Purpose.SERVER,
                        now.plus(ONE_DAY), now.plus(ONE_DAY).plus(FAULTY_VALIDITY)), this);
            case WRONG_HOST:
                return issue(WRONG_HOST_NAME, List.of(WRONG_HOST_NAME), Purpose.SERVER);
            case UNTRUSTED_ISSUER:
                // the shared untrusted authority, or the shared one for an untrusted authority's own request
                CertificateAuthority other = this == Untrusted.INSTANCE ? Shared.INSTANCE : Untrusted.INSTANCE;
                return other.issue(host, LOOPBACK_NAMES, Purpose.SERVER);
            case SELF_SIGNED:
                return issue(new Leaf(host, LOOPBACK_NAMES, Purpose.SERVER,
                        now.minus(CLOCK_SKEW), now.plus(LEAF_VALIDITY)), null);
            default:
                throw new AssertionError(fault);
        }
    }

    /**
     * Returns a new client certificate for mutual TLS, with the given common name as its subject
     * ({@code CN=commonName}), valid for a year. Pass its {@link CertifiedKey#keyManager() key manager} to
     * {@link TlsClient#sslContext(javax.net.ssl.X509KeyManager)}.
     *
     * @param commonName the subject's common name, e.g. {@code "alice"}
     * @return a new client certificate with its private key
     */
    public CertifiedKey clientCertificate(String commonName) {
        requireText(commonName, "commonName");
        return issue(commonName, List.of(), Purpose.CLIENT);
    }

    /**
     * Returns what a client needs to trust this authority, and nothing else: contexts, a socket factory, a trust
     * manager, and trust files for clients outside the JVM. A new object each call: close it to delete the files
     * it wrote, if any.
     *
     * @return trust in this authority only
     */
    public TlsClient clientTrust() {
        return TlsClient.trusting(certificate);
    }

    /**
     * Returns the server configuration with this authority's {@linkplain #serverCertificate() default server
     * certificate}, TLS 1.2 and 1.3, no client authentication, and this authority trusted for client certificates
     * once client authentication is switched on.
     *
     * @return the server configuration to change with its {@code with} methods
     */
    public ServerTls serverTls() {
        return ServerTls.of(serverCertificate()).withClientIssuers(certificate);
    }

    /** Names the authority's certificate subject. */
    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
    }

    /** Issues a leaf signed by this authority, valid for a year from now (less the allowance for clock skew). */
    private CertifiedKey issue(String commonName, List<String> hostNames, Purpose purpose) {
        Instant now = Instant.now();
        return issue(new Leaf(commonName, hostNames, purpose, now.minus(CLOCK_SKEW), now.plus(LEAF_VALIDITY)), this);
    }

    /** Issues a leaf, signed by {@code issuer}, or by its own key when {@code issuer} is null. */
    private static CertifiedKey issue(Leaf leaf, CertificateAuthority issuer) {
        KeyPair subject = Keys.newKeyPair();
        X509Certificate certificate = issuer == null
                ? CertificateMaker.leaf(leaf, subject.getPublic(), null, subject.getPrivate())
                : CertificateMaker.leaf(leaf, subject.getPublic(), issuer.certificate, issuer.keys.getPrivate());
        return new CertifiedKey(subject.getPrivate(), List.of(certificate));
    }

    private static String requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
