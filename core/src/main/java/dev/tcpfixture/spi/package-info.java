/**
 * Service interfaces that other tcpfixture modules implement: {@link dev.tcpfixture.spi.TlsMaterialProvider}, the
 * default certificates behind {@code FakeTcpServer.builder().tls()}.
 */
package dev.tcpfixture.spi;
