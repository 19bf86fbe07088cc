package dev.tcpfixture.benchmarks;

import java.net.InetSocketAddress;

/** One running server under test, whatever its kind. */
interface BenchServer extends AutoCloseable {

    /** Where clients connect: always a loopback address and an ephemeral port. */
    InetSocketAddress address();

    /**
     * Stops the server and everything it started. Throws if a thread or socket of the server is left behind,
     * so that a leaking server cannot look fast by skipping its clean-up.
     */
    @Override
    void close();
}
