package dev.tcpfixture.internal;

import java.time.Duration;

/**
 * The options of one proxy: those it shares with a fake server (address, backlog, step timeout as the bound of
 * quiescence and of a reset's wait, recording limit, charset, initial mode), and how long it waits for the
 * upstream to accept a connection.
 *
 * @param server the options shared with a fake server
 * @param connectTimeout how long a connection to the upstream may take
 */
public record ProxySettings(ServerSettings server, Duration connectTimeout) {

    /** The connect timeout unless configured. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** The defaults: those of a fake server, and a connect timeout of 2 s. */
    public static final ProxySettings DEFAULTS = new ProxySettings(ServerSettings.DEFAULTS, DEFAULT_CONNECT_TIMEOUT);

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
