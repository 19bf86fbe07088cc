package dev.tcpfixture;

/**
 * One end of a recorded TCP connection: the client under test or the fake server.
 *
 * @since 0.1
 */
public enum Side {

    /** The client code under test. */
    CLIENT,

    /** The {@link FakeTcpServer}. */
    SERVER
}
