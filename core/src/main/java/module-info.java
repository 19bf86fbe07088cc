/**
 * tcpfixture core: an in-process fake TCP server on loopback for testing TCP client code. The API is the
 * package {@code dev.tcpfixture}; {@code dev.tcpfixture.spi} holds the service interface through which the module
 * {@code dev.tcpfixture.tls} supplies default TLS material; {@code dev.tcpfixture.internal} is the implementation,
 * open only to the JUnit extension ({@code dev.tcpfixture.junit}), which shares its message formatting.
 */
@SuppressWarnings("module") // the qualified export names the extension, which is compiled after the core
module dev.tcpfixture {
    exports dev.tcpfixture;
    exports dev.tcpfixture.spi;
    exports dev.tcpfixture.internal to dev.tcpfixture.junit;

    uses dev.tcpfixture.spi.TlsMaterialProvider;
}
