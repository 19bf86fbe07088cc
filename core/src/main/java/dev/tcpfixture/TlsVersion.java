package dev.tcpfixture;

/**
 * A TLS protocol version a server can be pinned to, for {@link FakeTcpServer.Builder#tlsVersions(TlsVersion,
 * TlsVersion...)}.
 *
 * @since 0.1
 */
public enum TlsVersion {
    /** TLS 1.2 (RFC 5246). */
    TLS_1_2("TLSv1.2"),
    /** TLS 1.3 (RFC 8446). */
    TLS_1_3("TLSv1.3");

    private final String protocolName;

    TlsVersion(String protocolName) {
        this.protocolName = protocolName;
    }

    /**
     * Returns the JDK's name of this version, as {@code SSLParameters.setProtocols} takes it.
     *
     * @return {@code "TLSv1.2"} or {@code "TLSv1.3"}
     */
    public String protocolName() {
        return protocolName;
    }
}
