package dev.tcpfixture.internal;

import dev.tcpfixture.ConnectionMode;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated options of one fake server.
 *
 * @param bindAddress the address to bind
 * @param backlog the accept backlog of the listener
 * @param stepTimeout how long a blocking step waits for the client by default
 * @param recordingLimit how many bytes per direction each connection records at most
 * @param lineLimit how long a received line may be, in bytes
 * @param charset the charset of text sent and received
 * @param initialMode the connection mode at start
 */
public record ServerSettings(InetAddress bindAddress, int backlog, Duration stepTimeout, int recordingLimit,
        int lineLimit, Charset charset, ConnectionMode initialMode) {

    /**
     * Validates the settings.
     */
    public ServerSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(stepTimeout, "stepTimeout");
        Objects.requireNonNull(charset, "charset");
        Objects.requireNonNull(initialMode, "initialMode");
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, was " + backlog);
        }
        if (stepTimeout.isNegative() || stepTimeout.isZero()) {
            throw new IllegalArgumentException("stepTimeout must be positive, was " + stepTimeout);
        }
        if (recordingLimit < 0) {
            throw new IllegalArgumentException("recordingLimit must not be negative, was " + recordingLimit);
        }
        if (lineLimit < 1) {
            throw new IllegalArgumentException("lineLimit must be at least 1, was " + lineLimit);
        }
    }
}
