package dev.tcpfixture.junit.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * The options set on a {@code TcpServerExtension} builder; {@code null} means not set, so that the
 * configuration parameter or the default applies.
 *
 * @param stepTimeout the step timeout, or {@code null}
 * @param recordingLimit the recording limit, or {@code null}
 * @param bindAddress the bind address, or {@code null}
 */
public record ExtensionOptions(Duration stepTimeout, Integer recordingLimit, InetAddress bindAddress) {

    /** No option set. */
    public static final ExtensionOptions NONE = new ExtensionOptions(null, null, null);

    /** {@code ::1}. */
    public static final InetAddress IPV6_LOOPBACK = ipv6Loopback();

    /**
     * Validates the options that are set.
     *
     * @param stepTimeout the step timeout, or {@code null}
     * @param recordingLimit the recording limit, or {@code null}
     * @param bindAddress the bind address, or {@code null}
     */
    public ExtensionOptions {
        if (stepTimeout != null && (stepTimeout.isZero() || stepTimeout.isNegative())) {
            throw new IllegalArgumentException("stepTimeout must be positive, was " + stepTimeout);
        }
        if (recordingLimit != null && recordingLimit < 0) {
            throw new IllegalArgumentException("recordingLimit must not be negative, was " + recordingLimit);
        }
        if (bindAddress != null && !isAllowedBindAddress(bindAddress)) {
            throw new IllegalArgumentException("bindAddress must be a loopback address (127.0.0.1, ::1) or, if "
                    + "meant, a wildcard address (0.0.0.0, ::), was " + bindAddress.getHostAddress());
        }
    }

    /**
     * Returns these options with the step timeout set.
     *
     * @param timeout a positive duration
     * @return new options
     */
    public ExtensionOptions withStepTimeout(Duration timeout) {
        return new ExtensionOptions(Objects.requireNonNull(timeout, "timeout"), recordingLimit, bindAddress);
    }

    /**
     * Returns these options with the recording limit set.
     *
     * @param bytes zero or more
     * @return new options
     */
    public ExtensionOptions withRecordingLimit(int bytes) {
        return new ExtensionOptions(stepTimeout, bytes, bindAddress);
    }

    /**
     * Returns these options with the bind address set.
     *
     * @param address a loopback or wildcard address
     * @return new options
     */
    public ExtensionOptions withBindAddress(InetAddress address) {
        return new ExtensionOptions(stepTimeout, recordingLimit, Objects.requireNonNull(address, "address"));
    }

    static boolean isAllowedBindAddress(InetAddress address) {
        return address.isLoopbackAddress() || address.isAnyLocalAddress();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        if (stepTimeout != null) {
            text.append("stepTimeout=").append(stepTimeout);
        }
        if (recordingLimit != null) {
            text.append(text.length() > 1 ? ", " : "").append("recordingLimit=").append(recordingLimit);
        }
        if (bindAddress != null) {
            text.append(text.length() > 1 ? ", " : "").append("bindAddress=").append(bindAddress.getHostAddress());
        }
        return text.append(']').toString();
    }

    private static InetAddress ipv6Loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
