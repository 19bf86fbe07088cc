/**
 * Certificates and trust material for TLS tests: a test certificate authority created in memory once per JVM,
 * server and client certificates issued by it (and faulty ones), and what clients and servers need to use them.
 * It provides the default material of {@code FakeTcpServer.builder().tls()} to the core
 * ({@link dev.tcpfixture.spi.TlsMaterialProvider}).
 *
 * <p>BouncyCastle builds the certificates; its security provider is not registered, keys and signatures come from
 * the JDK's own providers.
 */
module dev.tcpfixture.tls {
    requires dev.tcpfixture;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports dev.tcpfixture.tls;

    provides dev.tcpfixture.spi.TlsMaterialProvider with dev.tcpfixture.tls.internal.DefaultTlsMaterialProvider;
}
