/**
 * tcpfixture host names: fake host names for the JVM under test, answered by the JDK's own resolver SPI
 * ({@code java.net.spi.InetAddressResolverProvider}, JEP 418). The API is the package {@code dev.tcpfixture.names};
 * {@code dev.tcpfixture.names.internal} is the implementation. The module provides the JDK's resolver (which is
 * inert for names no one faked: they go to the JDK's built-in resolver) and the core's
 * {@link dev.tcpfixture.spi.HostNameProvider}, through which the JUnit extension's {@code @FakeHost} reaches it.
 */
module dev.tcpfixture.names {
    requires dev.tcpfixture;

    exports dev.tcpfixture.names;

    provides java.net.spi.InetAddressResolverProvider with dev.tcpfixture.names.internal.FakeResolverProvider;
    provides dev.tcpfixture.spi.HostNameProvider with dev.tcpfixture.names.internal.HostNameProviderImpl;
}
