package dev.tcpfixture.internal;

import java.time.Duration;

/**
 * The options of one proxy: those it shares with a fake server (address, backlog, step timeout as the bound of
 * quiescence and of a reset's wait, recording limit, charset, initial mode), and how long it waits for the
 * upstream to accept a connection.
 *
 * @param server the options shared with a fake server
 * @param connectTimeout how long a connection to the upstream may take, as configured; {@code null} for the
 *     default (see {@link #effectiveConnectTimeout()})
 */
public record ProxySettings(ServerSettings server, Duration connectTimeout) {

    /** The connect timeout unless configured, or half the step timeout if that is shorter. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** The defaults: those of a fake server, and the default connect timeout. */
    public static final ProxySettings DEFAULTS = new ProxySettings(ServerSettings.DEFAULTS, null);

    /**
     * Returns how long a connection to the upstream may take: as configured, else 2 s or half the step timeout,
     * whichever is shorter, so that quiescence (bounded by the step timeout) can wait for a connection that is
     * still reaching an upstream that does not answer.
     *
     * @return the connect timeout
     */
    public Duration effectiveConnectTimeout() {
        if (connectTimeout != null) {
            return connectTimeout;
        }
        Duration half = server.stepTimeout().dividedBy(2);
        return half.compareTo(DEFAULT_CONNECT_TIMEOUT) < 0 ? half : DEFAULT_CONNECT_TIMEOUT;
    }

    /**
     * Checks the options against each other, when the proxy starts.
     *
     * @return these settings
     * @throws IllegalArgumentException if a configured connect timeout is not shorter than the step timeout
     */
    public ProxySettings checked() {
        if (connectTimeout != null && connectTimeout.compareTo(server.stepTimeout()) >= 0) {
            throw new IllegalArgumentException("connectTimeout (" + Messages.duration(connectTimeout) + ") must be "
                    + "shorter than stepTimeout (" + Messages.duration(server.stepTimeout()) + "): verify() and "
                    + "awaitQuiet() wait at most the step timeout, also for a connection still reaching an upstream "
                    + "that does not answer");
        }
        return this;
    }

    /**
     * @param server the options shared with a fake server, validated by the caller
     * @return a copy with these options
     */
    public ProxySettings withServer(ServerSettings server) {
        return new ProxySettings(server, connectTimeout);
    }

    /**
     * @param timeout the connect timeout, validated by the caller
     * @return a copy with this option
     */
    public ProxySettings withConnectTimeout(Duration timeout) {
        return new ProxySettings(server, ServerSettings.requirePositive(timeout, "connectTimeout"));
    }
}
