package dev.tcpfixture.tls;

/**
 * What is wrong with a server certificate, as {@link CertificateAuthority#serverCertificate(CertificateFault)}
 * issues it. Every fault is one a client that trusts the authority must refuse; the exception a JDK client sees for
 * each is tested in this module's {@code CertificateFaultTest}.
 */
public enum CertificateFault {
    /**
     * Valid from 30 days ago until yesterday, otherwise correct. A JDK client sees an {@code SSLHandshakeException}
     * "PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed", caused
     * (through the validator's exceptions) by a {@code java.security.cert.CertificateExpiredException}.
     */
    EXPIRED,
    /**
     * Valid from tomorrow for 30 days, otherwise correct. A JDK client sees an {@code SSLHandshakeException}
     * "PKIX path validation failed: ... validity check failed", caused by a
     * {@code java.security.cert.CertificateNotYetValidException}.
     */
    NOT_YET_VALID,
    /**
     * Issued by the authority for {@code not-localhost.invalid} only (no IP address): a client that checks the
     * host name (HTTPS clients do; a bare {@code SSLSocket} only with the endpoint identification algorithm
     * {@code "HTTPS"}) sees an {@code SSLHandshakeException} "No subject alternative names matching IP address
     * 127.0.0.1 found" or "No subject alternative DNS name matching localhost found.", caused by a
     * {@code java.security.cert.CertificateException}. A client that does not check host names connects.
     */
    WRONG_HOST,
    /**
     * For {@code localhost}, {@code 127.0.0.1} and {@code ::1}, issued by a second authority that is never handed to
     * clients. A JDK client sees an {@code SSLHandshakeException} "PKIX path building failed: ... unable to find
     * valid certification path to requested target", caused by a
     * {@code sun.security.provider.certpath.SunCertPathBuilderException}.
     */
    UNTRUSTED_ISSUER,
    /**
     * For {@code localhost}, {@code 127.0.0.1} and {@code ::1}, signed with its own key. A JDK client sees the same as
     * for {@link #UNTRUSTED_ISSUER}: "PKIX path building failed: ... unable to find valid certification path to
     * requested target".
     */
    SELF_SIGNED
}
