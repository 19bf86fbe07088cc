package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Security;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

/** What the certificates hold: names, keys, extensions, validity, and who signed them. */
class CertificateAuthorityTest {
    private static final int DNS = 2;
    private static final int IP = 7;
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final CertificateAuthority authority = CertificateAuthority.shared();

    @Test
    void sharedAuthorityIsOnePerJvmAndCachesItsMaterial() {
        assertThat(CertificateAuthority.shared()).isSameAs(authority);
        assertThat(authority.serverCertificate()).isSameAs(authority.serverCertificate());
        assertThat(authority.clientTrust().authorities()).containsExactly(authority.certificate());
        for (CertificateFault fault : CertificateFault.values()) {
            assertThat(authority.serverCertificate(fault)).isSameAs(authority.serverCertificate(fault));
        }
    }

    @Test
    void authorityCertificateIsASelfSignedP256CaCertificate() throws Exception {
        X509Certificate ca = authority.certificate();

        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=tcpfixture test CA");
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).as("CA with no path length limit").isEqualTo(Integer.MAX_VALUE);
        assertThat(ca.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getKeyUsage()[0]).as("digitalSignature").isFalse();
        assertThat(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId())).as("subject key identifier").isNotNull();
        assertP256(ca);
        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(ca.getVersion()).isEqualTo(3);
        ca.checkValidity(); // now
        ca.checkValidity(java.util.Date.from(Instant.now().plus(Duration.ofDays(700))));
    }

    @Test
    void serverCertificateNamesLocalhostAndBothLoopbackAddresses() throws Exception {
        CertifiedKey server = authority.serverCertificate();
        X509Certificate leaf = server.certificate();

        assertThat(server.chain()).containsExactly(leaf);
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(authority.certificate().getSubjectX500Principal());
        leaf.verify(authority.certificate().getPublicKey());
        assertThat(subjectAlternativeNames(leaf))
                .containsExactly(List.of(DNS, "localhost"), List.of(IP, "127.0.0.1"), List.of(IP, "0:0:0:0:0:0:0:1"));
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(leaf.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId())).as("authority key identifier")
                .isNotNull()
                .endsWith(keyIdentifier(authority.certificate()));
        assertP256(leaf);
        assertThat(server.privateKey().getAlgorithm()).isEqualTo("EC");
        leaf.checkValidity();
        assertThat(leaf.getNotAfter()).isBeforeOrEqualTo(authority.certificate().getNotAfter());
    }

    @Test
    void serverCertificateForOtherNamesTellsIpAddressesFromDnsNames() throws Exception {
        CertifiedKey custom = authority.serverCertificate("db.test", "127.0.0.2", "::1");

        assertThat(custom.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=db.test");
        assertThat(subjectAlternativeNames(custom.certificate()))
                .containsExactly(List.of(DNS, "db.test"), List.of(IP, "127.0.0.2"), List.of(IP, "0:0:0:0:0:0:0:1"));
        custom.certificate().verify(authority.certificate().getPublicKey());
        assertThat(authority.serverCertificate("db.test")).as("a new certificate each call").isNotEqualTo(custom);
    }

    @Test
    void clientCertificateIsForClientAuthenticationWithTheGivenCommonName() throws Exception {
        CertifiedKey client = authority.clientCertificate("alice, of the tests");
        X509Certificate leaf = client.certificate();

        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=alice\\, of the tests");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(leaf.getSubjectAlternativeNames()).isNull();
        leaf.verify(authority.certificate().getPublicKey());
        leaf.checkValidity();
    }

    @Test
    void expiredAndNotYetValidCertificatesAreOutsideTheirValidityNowAndOnlyThat() throws Exception {
        X509Certificate expired = authority.serverCertificate(CertificateFault.EXPIRED).certificate();
        X509Certificate notYetValid = authority.serverCertificate(CertificateFault.NOT_YET_VALID).certificate();
        Instant now = Instant.now();

        assertThat(expired.getNotAfter().toInstant()).isBefore(now.minus(Duration.ofHours(23)));
        assertThat(expired.getNotBefore().toInstant()).isBefore(expired.getNotAfter().toInstant());
        assertThat(notYetValid.getNotBefore().toInstant()).isAfter(now.plus(Duration.ofHours(23)));
        for (X509Certificate faulty : List.of(expired, notYetValid)) {
            assertThat(subjectAlternativeNames(faulty)).isEqualTo(subjectAlternativeNames(authority.serverCertificate().certificate()));
            faulty.verify(authority.certificate().getPublicKey());
            faulty.checkValidity(java.util.Date.from(faulty.getNotBefore().toInstant().plusSeconds(60)));
        }
    }

    @Test
    void wrongHostCertificateNamesNeitherLocalhostNorALoopbackAddress() throws Exception {
        X509Certificate wrongHost = authority.serverCertificate(CertificateFault.WRONG_HOST).certificate();

        assertThat(subjectAlternativeNames(wrongHost)).containsExactly(List.of(DNS, "not-localhost.invalid"));
        assertThat(wrongHost.getSubjectX500Principal().getName()).isEqualTo("CN=not-localhost.invalid");
        wrongHost.verify(authority.certificate().getPublicKey());
        wrongHost.checkValidity();
    }

    @Test
    void untrustedIssuerCertificateIsSignedByAnotherAuthority() throws Exception {
        X509Certificate untrusted = authority.serverCertificate(CertificateFault.UNTRUSTED_ISSUER).certificate();

        assertThat(untrusted.getIssuerX500Principal().getName()).isEqualTo("CN=tcpfixture untrusted test CA");
        assertThatThrownBy(() -> untrusted.verify(authority.certificate().getPublicKey()))
                .isInstanceOf(SignatureException.class);
        assertThat(subjectAlternativeNames(untrusted)).isEqualTo(subjectAlternativeNames(authority.serverCertificate().certificate()));
        untrusted.checkValidity();
    }

    @Test
    void selfSignedCertificateIsSignedWithItsOwnKey() throws Exception {
        X509Certificate selfSigned = authority.serverCertificate(CertificateFault.SELF_SIGNED).certificate();

        assertThat(selfSigned.getIssuerX500Principal()).isEqualTo(selfSigned.getSubjectX500Principal());
        selfSigned.verify(selfSigned.getPublicKey());
        assertThat(selfSigned.getBasicConstraints()).isEqualTo(-1);
        assertThat(subjectAlternativeNames(selfSigned)).isEqualTo(subjectAlternativeNames(authority.serverCertificate().certificate()));
        selfSigned.checkValidity();
    }

    @Test
    void authoritiesCreatedApartShareNothing() throws Exception {
        CertificateAuthority other = CertificateAuthority.create("payments test CA");

        assertThat(other.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=payments test CA");
        assertThat(other.certificate().getPublicKey()).isNotEqualTo(authority.certificate().getPublicKey());
        other.serverCertificate().certificate().verify(other.certificate().getPublicKey());
        assertThatThrownBy(() -> other.serverCertificate().certificate().verify(authority.certificate().getPublicKey()))
                .isInstanceOf(SignatureException.class);
        assertThat(other.serverCertificate(CertificateFault.UNTRUSTED_ISSUER).certificate().getIssuerX500Principal())
                .isNotEqualTo(other.certificate().getSubjectX500Principal());
    }

    @Test
    void threadsAskingAtOnceGetTheSameCachedCertificates() throws Exception {
        CertificateAuthority fresh = CertificateAuthority.create("concurrency test CA");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Object>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return List.of(fresh.serverCertificate(), fresh.serverCertificate(CertificateFault.EXPIRED));
                }));
            }
            start.countDown();
            List<Object> first = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<List<Object>> result : results) {
                List<Object> seen = result.get(30, TimeUnit.SECONDS);
                for (int i = 0; i < first.size(); i++) {
                    assertThat(seen.get(i)).isSameAs(first.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void serialNumbersDiffer() {
        List<Object> serials = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            serials.add(authority.clientCertificate("client " + i).certificate().getSerialNumber());
        }
        assertThat(serials).doesNotHaveDuplicates().allSatisfy(serial -> assertThat((java.math.BigInteger) serial).isPositive());
    }

    @Test
    void blankNamesAreRefused() {
        assertThatThrownBy(() -> CertificateAuthority.create(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commonName must not be blank");
        assertThatThrownBy(() -> authority.clientCertificate("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> authority.serverCertificate("localhost", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hostName must not be blank");
        assertThatThrownBy(() -> authority.serverCertificate((CertificateFault) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void certifiedKeyShowsNamesButNotTheKey() {
        CertifiedKey server = authority.serverCertificate();

        assertThat(server.toString())
                .startsWith("CertifiedKey[subject=CN=localhost, issuer=CN=tcpfixture test CA, notAfter=")
                .doesNotContain(server.privateKey().toString());
        assertThatThrownBy(() -> server.chain().add(server.certificate())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new CertifiedKey(server.privateKey(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bouncyCastleProviderIsNeverRegistered() {
        authority.serverCertificate();
        authority.clientCertificate("provider check");

        assertThat(Security.getProvider("BC")).isNull();
    }

    private static void assertP256(X509Certificate certificate) {
        assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
        ECPublicKey key = (ECPublicKey) certificate.getPublicKey();
        assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(key.getParams().toString()).contains("secp256r1");
    }

    private static List<List<?>> subjectAlternativeNames(X509Certificate certificate) throws Exception {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        return names == null ? List.of() : List.copyOf(names);
    }

    /** The last 20 bytes of the subject key identifier extension: the SHA-1 key identifier itself. */
    private static byte[] keyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return java.util.Arrays.copyOfRange(extension, extension.length - 20, extension.length);
    }
}
