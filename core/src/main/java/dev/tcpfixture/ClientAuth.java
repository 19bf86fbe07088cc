package dev.tcpfixture;

/**
 * Whether a TLS server asks the client for a certificate (mutual TLS), for
 * {@link FakeTcpServer.Builder#tlsClientAuth(ClientAuth)}.
 *
 * @since 0.1
 */
public enum ClientAuth {
    /** The server does not ask for a client certificate. */
    NONE,
    /** The server asks for a client certificate and goes on without one; a certificate it cannot trust fails. */
    REQUEST,
    /** The server asks for a client certificate and fails the handshake without a trusted one. */
    REQUIRE
}
