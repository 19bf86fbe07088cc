/**
 * The fake TCP server: {@link dev.tcpfixture.FakeTcpServer}, its {@link dev.tcpfixture.Script}s and
 * {@link dev.tcpfixture.ConnectionMode}s, and the {@link dev.tcpfixture.RecordedConnection}s it keeps.
 *
 * @since 0.1
 */
package dev.tcpfixture;
