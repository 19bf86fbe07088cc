/**
 * Certificates and trust material for TLS tests.
 *
 * <p>{@link dev.tcpfixture.tls.CertificateAuthority#shared()} is a test certificate authority created in memory on
 * first use and kept for the JVM. It issues {@linkplain dev.tcpfixture.tls.CertifiedKey server and client
 * certificates}, server certificates with a {@linkplain dev.tcpfixture.tls.CertificateFault fault}, the
 * {@linkplain dev.tcpfixture.tls.ServerTls server configuration} and the {@linkplain dev.tcpfixture.TlsClient
 * trust} a client needs, in memory or as files.
 */
package dev.tcpfixture.tls;
