package dev.tcpfixture;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault a {@link TcpProxy} injects into the bytes it forwards (a "toxic"), immutable: made by a static factory,
 * refined by methods that return a copy. Added to a proxy with {@link TcpProxy#add(ProxyFault)}, it takes effect
 * at once, on open connections too, and ends with {@link TcpProxy#remove(ProxyFault)}.
 *
 * <pre>{@code
 * proxy.add(ProxyFault.latency(Duration.ofMillis(200)).jitter(Duration.ofMillis(20)));
 * proxy.add(ProxyFault.closeAfter(100).direction(ProxyFault.Direction.TO_CLIENT).onFraction(0.5, 42));
 * }</pre>
 *
 * <p>Each fault acts on one {@linkplain Direction direction}, by default {@link Direction#TO_CLIENT} (what the
 * upstream sends to the client); {@link #resetNow()} acts on the connection as a whole. With
 * {@link #onFraction(double, long)} it applies to a fraction of the connections only: which ones is decided per
 * connection from the seed and the connection's number, so a run with the same seed picks the same connections.
 * What a client sees for each {@link Kind}: see there.
 *
 * @param kind what the fault does
 * @param direction which bytes it acts on
 * @param duration the latency, the pause between slices, or the delay of a close; zero for the others
 * @param jitter how much the latency varies, up to this much either way; zero for the others
 * @param bytes the bandwidth in bytes per second, the size of a slice, or the number of bytes after which the
 *     connection ends; zero for the others
 * @param fraction the fraction of connections the fault applies to, from 0 to 1
 * @param seed the seed of the choice of connections and of the jitter
 * @since 0.1
 */
public record ProxyFault(Kind kind, Direction direction, Duration duration, Duration jitter, long bytes,
        double fraction, long seed) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a duration or a byte count is negative, the fraction is not within 0
     *     and 1, or a value the kind needs is zero
     */
    public ProxyFault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(jitter, "jitter");
        if (duration.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("a fault's durations must not be negative, was " + duration + " and "
                    + jitter);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("a fault's byte count must not be negative, was " + bytes);
        }
        if ((kind == Kind.BANDWIDTH || kind == Kind.SLICE) && bytes < 1) {
            throw new IllegalArgumentException(kind + " needs at least 1 byte, was " + bytes);
        }
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be within 0 and 1, was " + fraction);
        }
    }

    /**
     * Which bytes a fault acts on.
     *
     * @since 0.1
     */
    public enum Direction {
        /** What the upstream sends, on its way to the client (Toxiproxy's "downstream"). The default. */
        TO_CLIENT,
        /** What the client sends, on its way to the upstream (Toxiproxy's "upstream"). */
        TO_UPSTREAM
    }

    /**
     * The kinds of fault, and what the client sees of each. "Forwarded" counts the bytes of the fault's direction
     * that went through since the fault took effect on the connection.
     *
     * @since 0.1
     */
    public enum Kind {
        /**
         * Each chunk the proxy reads waits {@code duration} (plus or minus up to {@code jitter}, seeded) before it
         * is forwarded. The client's request or its answer arrives that much later: a round trip with latency on
         * one direction takes at least {@code duration - jitter} longer.
         */
        LATENCY,
        /**
         * Forwards at most {@code bytes} per second, in pieces of at most a fiftieth of a second's worth (at least
         * one byte, at most 64 KiB), each piece after the first waiting until the rate allows it. The first piece
         * goes at once, so a transfer of {@code n} bytes takes at least {@code n} minus that first piece, divided
         * by the rate.
         */
        BANDWIDTH,
        /**
         * Forwards each chunk in slices of {@code bytes}, each written on its own, with {@code duration} between
         * slices: the client's reads return small pieces (a parser that assumes whole messages breaks). With no
         * delay, slices the client has not read yet join in its kernel's buffer, so its reads may return more.
         */
        SLICE,
        /**
         * Stops forwarding while the fault is on: bytes are held (the proxy reads no more, so the sender's writes
         * block once the kernel's buffers are full; what the client sent is still recorded when a quiescence check
         * looks), and forwarded once the fault is removed. A client waiting for an answer gets its own read
         * timeout ({@code SocketTimeoutException}).
         */
        STALL,
        /**
         * Forwards {@code bytes} bytes, then closes both connections (FIN): the client reads those bytes and then
         * end of stream, its next write may fail; the upstream sees end of stream too. The bytes are counted in the
         * fault's direction from when it is switched on; the close comes right after the last of them, or, with a
         * limit of 0, when that direction next has bytes (on a connection where nothing flows that way, nothing
         * happens until something does). The same for {@link #RESET_AFTER}.
         */
        CLOSE_AFTER,
        /**
         * Forwards {@code bytes} bytes, then resets both connections (RST): the client reads those bytes (if it
         * reads them before the reset arrives) and then {@code SocketException: Connection reset}.
         */
        RESET_AFTER,
        /**
         * Resets every connection it applies to (RST both ways): an open one at once, or, if no byte has gone
         * either way yet, at the client's first bytes or its close (or the upstream's first bytes), so that the
         * reset never races the client's {@code connect}. The client's next read throws
         * {@code SocketException: Connection reset}.
         */
        RESET_NOW,
        /**
         * Delays a close: when the sending side closes its output, the proxy forwards the end of stream only
         * {@code duration} later. The client's read that would return end of stream blocks that long.
         */
        SLOW_CLOSE
    }

    private static ProxyFault of(Kind kind, Duration duration, long bytes) {
        return new ProxyFault(kind, Direction.TO_CLIENT, duration, Duration.ZERO, bytes, 1.0, 0);
    }

    /**
     * Delays each chunk by {@code latency}; see {@link Kind#LATENCY}.
     *
     * @param latency how long, not negative
     * @return the fault, toward the client
     */
    public static ProxyFault latency(Duration latency) {
        return of(Kind.LATENCY, latency, 0);
    }

    /**
     * Limits the rate; see {@link Kind#BANDWIDTH}.
     *
     * @param bytesPerSecond the rate, at least 1
     * @return the fault, toward the client
     */
    public static ProxyFault bandwidth(long bytesPerSecond) {
        return of(Kind.BANDWIDTH, Duration.ZERO, bytesPerSecond);
    }

    /**
     * Slices what is forwarded into small, delayed writes; see {@link Kind#SLICE}.
     *
     * @param bytes the size of a slice, at least 1
     * @param delay the pause between slices
     * @return the fault, toward the client
     */
    public static ProxyFault slice(int bytes, Duration delay) {
        return of(Kind.SLICE, delay, bytes);
    }

    /**
     * Stops forwarding while the fault is on; see {@link Kind#STALL}.
     *
     * @return the fault, toward the client
     */
    public static ProxyFault stall() {
        return of(Kind.STALL, Duration.ZERO, 0);
    }

    /**
     * Closes the connection after {@code bytes} forwarded bytes; see {@link Kind#CLOSE_AFTER}.
     *
     * @param bytes how many bytes still go through, zero or more
     * @return the fault, toward the client
     */
    public static ProxyFault closeAfter(long bytes) {
        return of(Kind.CLOSE_AFTER, Duration.ZERO, bytes);
    }

    /**
     * Resets the connection after {@code bytes} forwarded bytes; see {@link Kind#RESET_AFTER}.
     *
     * @param bytes how many bytes still go through, zero or more
     * @return the fault, toward the client
     */
    public static ProxyFault resetAfter(long bytes) {
        return of(Kind.RESET_AFTER, Duration.ZERO, bytes);
    }

    /**
     * Resets the connections; see {@link Kind#RESET_NOW}.
     *
     * @return the fault
     */
    public static ProxyFault resetNow() {
        return of(Kind.RESET_NOW, Duration.ZERO, 0);
    }

    /**
     * Delays forwarding a close by {@code delay}; see {@link Kind#SLOW_CLOSE}.
     *
     * @param delay how long
     * @return the fault, toward the client
     */
    public static ProxyFault slowClose(Duration delay) {
        return of(Kind.SLOW_CLOSE, delay, 0);
    }

    /**
     * Returns this fault acting on {@code direction}.
     *
     * @param direction the bytes it acts on
     * @return a copy with this direction
     */
    public ProxyFault direction(Direction direction) {
        return new ProxyFault(kind, direction, duration, jitter, bytes, fraction, seed);
    }

    /**
     * Returns this latency varying by up to {@code jitter} either way, drawn per chunk from the fault's
     * {@linkplain #seed(long) seed}.
     *
     * @param jitter how much, not negative
     * @return a copy with this jitter
     * @throws IllegalStateException if this is not a {@link Kind#LATENCY} fault
     */
    public ProxyFault jitter(Duration jitter) {
        if (kind != Kind.LATENCY) {
            throw new IllegalStateException("only a latency has jitter, not " + kind);
        }
        return new ProxyFault(kind, direction, duration, jitter, bytes, fraction, seed);
    }

    /**
     * Returns this fault with {@code seed} for its random choices (the jitter, the connections of a fraction).
     *
     * @param seed the seed
     * @return a copy with this seed
     */
    public ProxyFault seed(long seed) {
        return new ProxyFault(kind, direction, duration, jitter, bytes, fraction, seed);
    }

    /**
     * Returns this fault applying to a fraction of the connections, chosen per connection from {@code seed} and the
     * connection's number: the same connections every run.
     *
     * @param fraction from 0 (none) to 1 (all)
     * @param seed the seed of the choice
     * @return a copy with this fraction and seed
     */
    public ProxyFault onFraction(double fraction, long seed) {
        return new ProxyFault(kind, direction, duration, jitter, bytes, fraction, seed);
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case LATENCY -> "latency " + duration.toMillis() + " ms"
                    + (jitter.isZero() ? "" : " \u00b1 " + jitter.toMillis() + " ms");
            case BANDWIDTH -> "bandwidth " + bytes + " bytes/s";
            case SLICE -> "slices of " + bytes + " bytes every " + duration.toMillis() + " ms";
            case STALL -> "stall";
            case CLOSE_AFTER -> "close after " + bytes + " bytes";
            case RESET_AFTER -> "reset after " + bytes + " bytes";
            case RESET_NOW -> "reset now";
            case SLOW_CLOSE -> "slow close " + duration.toMillis() + " ms";
        };
        return what + (kind == Kind.RESET_NOW ? "" : direction == Direction.TO_CLIENT ? " (to client)"
                : " (to upstream)") + (fraction < 1 ? " on " + fraction + " of connections (seed " + seed + ")" : "");
    }
}
