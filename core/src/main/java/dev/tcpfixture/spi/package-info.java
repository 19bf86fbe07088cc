/**
 * Service interfaces that other tcpfixture modules implement: {@link dev.tcpfixture.spi.TlsMaterialProvider}, the
 * default certificates behind {@code FakeTcpServer.builder().tls()}, and {@link dev.tcpfixture.spi.HostNameProvider},
 * fake host names (module {@code tcpfixture-names}).
 */
package dev.tcpfixture.spi;
