package dev.tcpfixture.junit;

import dev.tcpfixture.RecordedConnection;
import java.util.Objects;

/**
 * What {@link TcpAssertions#assertConnectsReturning(dev.tcpfixture.FakeTcpServer,
 * org.junit.jupiter.api.function.ThrowingSupplier) assertConnectsReturning} gives back: what the client code
 * returned, and the connection it opened.
 *
 * @param result what the client code returned; {@code null} if it returned {@code null}
 * @param connection the first connection the server accepted after the client code started
 * @param <T> the type of the result
 * @since 0.1
 */
public record Connected<T>(T result, RecordedConnection connection) {

    /**
     * Creates the pair.
     *
     * @param result what the client code returned, may be {@code null}
     * @param connection the connection, not {@code null}
     */
    public Connected {
        Objects.requireNonNull(connection, "connection");
    }
}
