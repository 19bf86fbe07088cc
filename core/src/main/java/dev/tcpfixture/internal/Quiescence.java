package dev.tcpfixture.internal;

/** Brings a server to quiet; what a connection's record asks of its server. */
public interface Quiescence {

    /**
     * Waits, at most the server's step timeout, until every connection the kernel completed is accepted and
     * every connection has processed what its client delivered.
     *
     * @return {@code true} if the server became quiet in time
     */
    boolean awaitQuiet();
}
