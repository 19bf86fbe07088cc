package dev.tcpfixture.benchmarks;

import dev.tcpfixture.tls.CertificateAuthority;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * The certificates of the TLS lifecycle, made once per JVM (outside what is timed), each server with its own
 * library's test certificates as its users would: the fake server with tcpfixture-tls's authority, MockWebServer
 * with okhttp-tls's held certificate (both EC P-256). One client trusts both.
 */
final class TlsMaterial {

    static final SSLContext FAKE_SERVER = CertificateAuthority.shared().serverTls().newSslContext();

    static final HeldCertificate MWS_CERTIFICATE = new HeldCertificate.Builder()
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("127.0.0.1")
            .build();

    static final SSLSocketFactory MWS_SERVER = new HandshakeCertificates.Builder()
            .heldCertificate(MWS_CERTIFICATE)
            .build()
            .sslSocketFactory();

    static final HandshakeCertificates CLIENT_CERTIFICATES = new HandshakeCertificates.Builder()
            .addTrustedCertificate(CertificateAuthority.shared().certificate())
            .addTrustedCertificate(MWS_CERTIFICATE.certificate())
            .build();

    static final SSLSocketFactory CLIENT = CLIENT_CERTIFICATES.sslSocketFactory();

    private TlsMaterial() {
    }
}
