package dev.tcpfixture.internal;

import dev.tcpfixture.ProxyFault;
import java.util.SplittableRandom;

/**
 * What each {@link ProxyFault.Kind} does to the bytes a {@link ProxyPipe} forwards: one class per kind, each the
 * only place of its kind's behaviour. An effect belongs to one connection and one direction, and keeps that
 * connection's state of the fault (bytes counted, the jitter's random numbers, the next time a rate allows).
 *
 * <p>The pipe asks every effect of its direction, in this order, for each piece it forwards: whether to
 * {@linkplain Effect#stalls() hold everything} or {@linkplain Effect#resetsNow() reset}; how long the chunk waits
 * ({@linkplain Effect#chunkDelayNanos() latency}); how long to wait before the piece (rate, the pause between
 * slices) and how large it may be (rate, slices, byte limits); whether the connection ends after it; and how long to
 * delay a close.
 */
final class FaultEffects {

    private FaultEffects() {
    }

    /** How a byte limit ends a connection. */
    enum Ending {
        CLOSE, RESET
    }

    /**
     * The effect of one fault on one connection and direction; every method has a neutral default. Waits are asked
     * for again after every change of the faults, so that a fault removed holds nothing back any more.
     */
    interface Effect {
        /** Whether to forward nothing while the fault is on. */
        default boolean stalls() {
            return false;
        }

        /** Whether to reset the connection (once its client has spoken). */
        default boolean resetsNow() {
            return false;
        }

        /** How long a chunk read now waits before it is forwarded. */
        default long chunkDelayNanos() {
            return 0;
        }

        /** How long to wait before the next piece may be written (a rate, a pause between slices). */
        default long waitBeforePieceNanos(long now) {
            return 0;
        }

        /** The largest next piece, given {@code available} bytes; zero only when {@link #ending()} says so. */
        default int pieceLimit(int available) {
            return available;
        }

        /**
         * Hears of a piece written at {@code now}.
         *
         * @param more whether bytes are left in the buffer
         */
        default void afterPiece(int written, boolean more, long now) {
        }

        /** How the connection ends now, or {@code null} while it goes on. */
        default Ending ending() {
            return null;
        }

        /** How long to delay forwarding the sender's end of stream. */
        default long closeDelayNanos() {
            return 0;
        }
    }

    /**
     * Whether {@code fault} applies to connection {@code id}: all do unless the fault names a fraction; then a
     * number drawn from the seed and the connection's number decides, the same every run.
     */
    static boolean applies(ProxyFault fault, int id) {
        if (fault.fraction() >= 1) {
            return true;
        }
        return new SplittableRandom(fault.seed() * 0x9E3779B97F4A7C15L + id).nextDouble() < fault.fraction();
    }

    /** Makes the effect of {@code fault} on connection {@code id}. */
    static Effect create(ProxyFault fault, int id) {
        return switch (fault.kind()) {
            case LATENCY -> new Latency(fault, id);
            case BANDWIDTH -> new Bandwidth(fault.bytes());
            case SLICE -> new Slice((int) Math.min(Integer.MAX_VALUE, fault.bytes()), fault.duration().toNanos());
            case STALL -> new Stall();
            case CLOSE_AFTER -> new ByteLimit(fault.bytes(), Ending.CLOSE);
            case RESET_AFTER -> new ByteLimit(fault.bytes(), Ending.RESET);
            case RESET_NOW -> new ResetNow();
            case SLOW_CLOSE -> new SlowClose(fault.duration().toNanos());
        };
    }

    /** {@link ProxyFault.Kind#LATENCY}: each chunk waits the latency, plus or minus the seeded jitter. */
    static final class Latency implements Effect {
        private final long nanos;
        private final long jitter;
        private final SplittableRandom random;

        Latency(ProxyFault fault, int id) {
            this.nanos = Deadlines.nanos(fault.duration());
            this.jitter = Deadlines.nanos(fault.jitter());
            this.random = new SplittableRandom(fault.seed() * 31 + id);
        }

        @Override
        public long chunkDelayNanos() {
            if (jitter == 0) {
                return nanos;
            }
            return Math.max(0, nanos + random.nextLong(-jitter, jitter + 1));
        }
    }

    /** {@link ProxyFault.Kind#BANDWIDTH}: pieces of a fiftieth of a second's worth, spaced to keep the rate. */
    static final class Bandwidth implements Effect {
        private final long bytesPerSecond;
        private final int piece;
        private long nextFree = System.nanoTime();

        Bandwidth(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
            this.piece = (int) Math.max(1, Math.min(64 * 1024, bytesPerSecond / 50));
        }

        @Override
        public long waitBeforePieceNanos(long now) {
            return Math.max(0, nextFree - now);
        }

        @Override
        public int pieceLimit(int available) {
            return Math.min(available, piece);
        }

        @Override
        public void afterPiece(int written, boolean more, long now) {
            nextFree = Math.max(nextFree, now) + written * 1_000_000_000L / bytesPerSecond;
        }
    }

    /** {@link ProxyFault.Kind#SLICE}: slices of a fixed size with a pause between them. */
    static final class Slice implements Effect {
        private final int size;
        private final long pause;
        private long pauseEnd;
        private boolean pausing;

        Slice(int size, long pause) {
            this.size = size;
            this.pause = pause;
        }

        @Override
        public long waitBeforePieceNanos(long now) {
            return pausing ? Math.max(0, pauseEnd - now) : 0;
        }

        @Override
        public int pieceLimit(int available) {
            return Math.min(available, size);
        }

        @Override
        public void afterPiece(int written, boolean more, long now) {
            pausing = more && pause > 0;
            pauseEnd = now + pause;
        }
    }

    /** {@link ProxyFault.Kind#STALL}: nothing goes through while it is on. */
    static final class Stall implements Effect {
        @Override
        public boolean stalls() {
            return true;
        }
    }

    /** {@link ProxyFault.Kind#CLOSE_AFTER} and {@link ProxyFault.Kind#RESET_AFTER}: a budget of bytes, then the end. */
    static final class ByteLimit implements Effect {
        private final long limit;
        private final Ending ending;
        private long forwarded;

        ByteLimit(long limit, Ending ending) {
            this.limit = limit;
            this.ending = ending;
        }

        @Override
        public int pieceLimit(int available) {
            return (int) Math.min(available, limit - forwarded);
        }

        @Override
        public void afterPiece(int written, boolean more, long now) {
            forwarded += written;
        }

        @Override
        public Ending ending() {
            return forwarded >= limit ? ending : null;
        }
    }

    /** {@link ProxyFault.Kind#RESET_NOW}: the connection is reset. */
    static final class ResetNow implements Effect {
        @Override
        public boolean resetsNow() {
            return true;
        }
    }

    /** {@link ProxyFault.Kind#SLOW_CLOSE}: the end of stream is forwarded late. */
    static final class SlowClose implements Effect {
        private final long nanos;

        SlowClose(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public long closeDelayNanos() {
            return nanos;
        }
    }
}
