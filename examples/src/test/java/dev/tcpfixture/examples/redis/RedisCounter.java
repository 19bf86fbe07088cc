package dev.tcpfixture.examples.redis;

import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A small Redis client as an application would write it with Jedis: a page-visit counter that opens a connection
 * per call, with a connect timeout and a read timeout of its own, and turns Jedis's connection errors into one
 * exception of its own. (In the test sources, since Jedis is a test dependency of the examples.)
 *
 * <p>Jedis 8 greets every new connection with two {@code CLIENT SETINFO} commands (library name and version) and
 * reads both replies before the command itself.
 */
public final class RedisCounter {

    private final HostAndPort server;
    private final JedisClientConfig config;

    /**
     * Creates a counter for a Redis server.
     *
     * @param host an address literal, such as {@code 127.0.0.1}: never a name that needs a lookup
     * @param port the server's port
     * @param timeout the connect timeout and the read timeout
     */
    public RedisCounter(String host, int port, Duration timeout) {
        this.server = new HostAndPort(host, port);
        int millis = Math.toIntExact(timeout.toMillis());
        this.config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .build();
    }

    /**
     * Asks the server whether it is alive.
     *
     * @return {@code true} if it answered {@code PONG}
     * @throws CounterUnavailableException if the server cannot be reached or the connection fails
     */
    public boolean isAlive() {
        try (Jedis jedis = new Jedis(server, config)) {
            return "PONG".equals(jedis.ping());
        } catch (JedisConnectionException e) {
            throw new CounterUnavailableException("Redis at " + server + " is unavailable", e);
        }
    }

    /**
     * Counts one more visit of {@code page}.
     *
     * @param page the page
     * @return the number of visits, this one included
     * @throws CounterUnavailableException if the server cannot be reached or the connection fails
     */
    public long countVisit(String page) {
        try (Jedis jedis = new Jedis(server, config)) {
            return jedis.incr("visits:" + page);
        } catch (JedisConnectionException e) {
            throw new CounterUnavailableException("Redis at " + server + " is unavailable", e);
        }
    }

    /** The counter could not reach Redis; the cause is Jedis's exception. */
    public static final class CounterUnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CounterUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
