/**
 * JUnit Jupiter support for the fake TCP server: {@link dev.tcpfixture.junit.WithTcpServer},
 * {@link dev.tcpfixture.junit.TcpServer} injection, and the assertions of
 * {@link dev.tcpfixture.junit.TcpAssertions}.
 *
 * @since 0.1
 */
package dev.tcpfixture.junit;
