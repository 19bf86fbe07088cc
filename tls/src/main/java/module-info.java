/**
 * Certificates and trust material for TLS tests: a test certificate authority created in memory once per JVM,
 * server and client certificates issued by it (and faulty ones), and what clients and servers need to use them.
 *
 * <p>BouncyCastle builds the certificates; its security provider is not registered, keys and signatures come from
 * the JDK's own providers.
 */
module dev.tcpfixture.tls {
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports dev.tcpfixture.tls;
}
