package dev.tcpfixture.tls;

/**
 * What is wrong with a server certificate, as {@link CertificateAuthority#serverCertificate(CertificateFault)}
 * issues it. A client that trusts the authority must refuse each of them.
 *
 * <p>Each fault below names what a JDK 17 client sees: an {@code javax.net.ssl.SSLHandshakeException} from the
 * handshake, with the message and the deepest cause given. {@code SSLSocket} (with host name checks),
 * {@code HttpsURLConnection} and {@code java.net.http.HttpClient} all see the same; {@code HttpClient.send} throws a
 * new {@code SSLHandshakeException} with the same message and the handshake's own as its cause. Python's
 * {@code ssl} module (OpenSSL) reports the OpenSSL verify code given.
 */
public enum CertificateFault {
    /**
     * Valid from 30 days ago until yesterday, otherwise correct. Message "PKIX path validation failed:
     * java.security.cert.CertPathValidatorException: validity check failed"; deepest cause a
     * {@code java.security.cert.CertificateExpiredException}. OpenSSL: 10, "certificate has expired".
     */
    EXPIRED,
    /**
     * Valid from tomorrow for 30 days, otherwise correct. Message "PKIX path validation failed:
     * java.security.cert.CertPathValidatorException: validity check failed"; deepest cause a
     * {@code java.security.cert.CertificateNotYetValidException}. OpenSSL: 9, "certificate is not yet valid".
     */
    NOT_YET_VALID,
    /**
     * Issued by the authority for {@code not-localhost.invalid} only, with no IP address. A client that checks
     * host names sees "No subject alternative names matching IP address 127.0.0.1 found" (connecting to
     * 127.0.0.1) or "No subject alternative DNS name matching localhost found." (to localhost); deepest cause a
     * {@code java.security.cert.CertificateException}. OpenSSL: 64, "IP address mismatch, ...", or 62, "Hostname
     * mismatch, ...". HTTPS clients check host names; a bare {@code SSLSocket} does only with the endpoint
     * identification algorithm {@code "HTTPS"}, and without it connects: the bug this fault is there to find.
     */
    WRONG_HOST,
    /**
     * For {@code localhost}, {@code 127.0.0.1} and {@code ::1}, issued by a second authority that is never handed to
     * clients. Message "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException:
     * unable to find valid certification path to requested target"; deepest cause that
     * {@code SunCertPathBuilderException}, a {@code java.security.cert.CertPathBuilderException}. OpenSSL: 20,
     * "unable to get local issuer certificate".
     */
    UNTRUSTED_ISSUER,
    /**
     * For {@code localhost}, {@code 127.0.0.1} and {@code ::1}, signed with its own key. The JDK sees the same as for
     * {@link #UNTRUSTED_ISSUER}: "PKIX path building failed: ... unable to find valid certification path to
     * requested target". OpenSSL: 18, "self-signed certificate".
     */
    SELF_SIGNED
}
