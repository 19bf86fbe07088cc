/**
 * tcpfixture's JUnit Jupiter extension: {@code @TcpServer} injection and verification, and the assertions of
 * {@code TcpAssertions}. The API is the package {@code dev.tcpfixture.junit}; {@code dev.tcpfixture.junit.internal}
 * is the implementation and not exported. Its API exposes types of the core, of JUnit Jupiter and of AssertJ, so
 * it reads them transitively.
 */
module dev.tcpfixture.junit {
    requires transitive dev.tcpfixture;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires org.junit.platform.commons;
    requires java.net.http;

    exports dev.tcpfixture.junit;

    // @FakeHost and @UnknownHost: provided by dev.tcpfixture.names (Java 21), when present
    uses dev.tcpfixture.spi.HostNameProvider;
}
