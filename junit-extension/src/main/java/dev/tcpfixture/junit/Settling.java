package dev.tcpfixture.junit;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Reads a server's record once the server is quiet: every connection the kernel completed is accepted, and
 * every connection has processed what its client delivered. Then an assertion sees everything the client did
 * before it, exactly, with no grace period; the server's own later actions (a pause, then a reply) are not
 * waited for.
 */
final class Settling {

    private Settling() {
    }

    /**
     * Brings the server to quiet, then reads the state.
     *
     * @param awaitQuiet {@code FakeTcpServer::awaitQuiet} or {@code RecordedConnection::awaitQuiet}
     * @param read reads the live state
     * @param <T> the type of the state
     * @return the state once the server is quiet (or, if it did not become quiet within its step timeout, now)
     */
    static <T> T settle(BooleanSupplier awaitQuiet, Supplier<T> read) {
        awaitQuiet.getAsBoolean();
        return read.get();
    }
}
