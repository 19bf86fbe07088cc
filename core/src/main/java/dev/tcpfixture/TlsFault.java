package dev.tcpfixture;

/**
 * A fault in the server's certificate, for {@link FakeTcpServer.Builder#tls(TlsFault)}: the server presents a
 * certificate that a client trusting {@link FakeTcpServer#tlsClient()} (the library's normal authority) must refuse.
 * The certificates come from {@code dev.tcpfixture:tcpfixture-tls}, as for {@link FakeTcpServer.Builder#tls()}.
 *
 * <p>Each constant names what a JDK 17 client sees: a {@code javax.net.ssl.SSLHandshakeException} from the handshake
 * ({@code SSLSocket} with endpoint identification {@code "HTTPS"}, {@code HttpsURLConnection}), with the message and
 * the deepest cause given. The server's transcript records the failed handshake ("TLS handshake failed: ...",
 * usually the client's alert).
 *
 * @since 0.1
 */
public enum TlsFault {
    /**
     * Valid from 30 days ago until yesterday, otherwise correct. Message "PKIX path validation failed:
     * java.security.cert.CertPathValidatorException: validity check failed"; deepest cause a
     * {@code java.security.cert.CertificateExpiredException}.
     */
    EXPIRED,
    /**
     * Valid from tomorrow for 30 days, otherwise correct. Message "PKIX path validation failed:
     * java.security.cert.CertPathValidatorException: validity check failed"; deepest cause a
     * {@code java.security.cert.CertificateNotYetValidException}.
     */
    NOT_YET_VALID,
    /**
     * Issued by the normal authority for {@code not-localhost.invalid} only, with no IP address. A client that checks
     * host names and connects to 127.0.0.1 sees "No subject alternative names matching IP address 127.0.0.1 found"
     * (to {@code localhost}: "No subject alternative DNS name matching localhost found."); deepest cause a
     * {@code java.security.cert.CertificateException}. A bare {@code SSLSocket} checks host names only with the
     * endpoint identification algorithm {@code "HTTPS"}; without it, it connects.
     */
    WRONG_HOST,
    /**
     * For {@code localhost}, {@code 127.0.0.1} and {@code ::1}, issued by a second authority that is never handed to
     * clients. Message "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException:
     * unable to find valid certification path to requested target"; deepest cause that
     * {@code SunCertPathBuilderException}, a {@code java.security.cert.CertPathBuilderException}.
     */
    UNTRUSTED_ISSUER,
    /**
     * For {@code localhost}, {@code 127.0.0.1} and {@code ::1}, signed with its own key. The JDK sees the same as for
     * {@link #UNTRUSTED_ISSUER}: "PKIX path building failed: ... unable to find valid certification path to requested
     * target", deepest cause a {@code java.security.cert.CertPathBuilderException}.
     */
    SELF_SIGNED
}
