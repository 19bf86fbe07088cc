package dev.tcpfixture.internal;

import dev.tcpfixture.internal.ConnectionState.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * What the client sent on one connection: read from the non-blocking channel into a bounded buffer, recorded
 * as it arrives, and handed to the steps. Guarded by the connection's lock, which its worker holds only while it
 * takes input, never while it waits.
 *
 * <p>Bytes are taken from the kernel only under the lock: by the worker, or by a quiescence check while the
 * worker waits. So a worker that waits for input with nothing readable in the kernel has processed everything
 * the client delivered; bytes taken by a check are unprocessed until the worker, woken, has looked at them.
 *
 * <p>Over TLS the same holds one layer down: {@link #pump()} takes only ciphertext from the kernel, and only the
 * worker unwraps it into the plaintext buffer, whenever it needs input and always before it waits. So a worker
 * that waits for input holds at most part of a TLS record, and ciphertext a check takes keeps the connection
 * busy until the worker has unwrapped it. The recording holds the plaintext.
 */
final class RecordedInput {

    /** Small at first, for the many short connections; doubled while reads fill it. */
    private static final int INITIAL_BUFFER = 1_024;
    private static final int MAX_READ_BUFFER = 64 * 1024;

    /** Classifies an I/O failure: the client reset the connection, or the server closed it. */
    @FunctionalInterface
    interface Ending {
        IOException ended(IOException cause);
    }

    private final SocketChannel channel;
    private final ConnectionRecorder recorder;
    private final ConnectionState state;
    private final ReentrantLock lock;
    private final ChannelWaiter waiter;
    private final int lineLimit;
    private final int bufferLimit;
    private final Ending ending;
    private InputStream kernelBytes; // only for available(): how many bytes the kernel holds; made when needed

    // all guarded by lock
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int start;
    private int end;
    private boolean endOfStream;
    private IOException failure;
    private boolean endSeenByWorker;
    private long arrivals;
    private boolean takenByStep; // bytes a step took that it has not judged yet: it has not ended, nor waited
    private long receivedCount;
    private TlsLayer tls; // null while the connection speaks plaintext

    RecordedInput(SocketChannel channel, ConnectionRecorder recorder, ConnectionState state, ChannelWaiter waiter,
            int lineLimit, Ending ending) {
        this.channel = channel;
        this.recorder = recorder;
        this.state = state;
        this.lock = state.lock();
        this.waiter = waiter;
        this.lineLimit = lineLimit;
        this.bufferLimit = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(MAX_READ_BUFFER, lineLimit + 2L));
        this.ending = ending;
    }

    // ---- for steps ----

    /**
     * Reads one line without its line ending ({@code \n} or {@code \r\n}), as the bytes the client sent: messages
     * show them as they came, not decoded and encoded again.
     *
     * @return the bytes of the line, or {@code null} if the client closed the connection first
     * @throws LineTooLongException if the line is longer than the line limit
     * @throws SocketTimeoutException if the deadline passed first
     */
    byte[] readLine(long deadline) throws IOException {
        lock.lock();
        try {
            int scanned = 0; // relative to start, which moves when the buffer is compacted
            while (true) {
                for (int i = start + scanned; i < end; i++) {
                    if (buffer[i] == '\n') {
                        int lineEnd = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                        int lineStart = start;
                        start = i + 1;
                        takenByStep = true;
                        if (lineEnd - lineStart > lineLimit) {
                            throw new LineTooLongException(lineLimit, buffer, lineStart);
                        }
                        return Arrays.copyOfRange(buffer, lineStart, lineEnd);
                    }
                }
                scanned = end - start;
                if (scanned > lineLimit) {
                    throw new LineTooLongException(lineLimit, buffer, start);
                }
                if (atEnd()) {
                    takeEnd();
                    return null;
                }
                awaitMore(deadline);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Reads exactly {@code count} bytes, or fewer if the client closed the connection first. */
    byte[] readBytes(int count, long deadline) throws IOException {
        byte[] result = new byte[count];
        int read = (int) take(count, result, deadline);
        return read == count ? result : Arrays.copyOf(result, read);
    }

    /** Skips {@code count} bytes; returns how many, fewer if the client closed the connection first. */
    long skipBytes(long count, long deadline) throws IOException {
        return take(count, null, deadline);
    }

    /** Takes {@code count} bytes into {@code target}, or drops them if it is {@code null}; fewer at the end. */
    private long take(long count, byte[] target, long deadline) throws IOException {
        lock.lock();
        try {
            long taken = 0;
            while (taken < count) {
                if (start == end) {
                    if (atEnd()) {
                        takeEnd();
                        return taken;
                    }
                    awaitMore(deadline);
                    continue;
                }
                int chunk = (int) Math.min(count - taken, end - start);
                if (target != null) {
                    System.arraycopy(buffer, start, target, (int) taken, chunk);
                }
                start += chunk;
                takenByStep = true;
                taken += chunk;
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads into {@code target} what arrived, waiting for at least one byte.
     *
     * @return how many bytes, or {@code -1} if the client closed the connection
     */
    int read(byte[] target, int offset, int length, long deadline) throws IOException {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (start == end) {
                if (atEnd()) {
                    takeEnd();
                    return -1;
                }
                awaitMore(deadline);
            }
            int chunk = Math.min(length, end - start);
            System.arraycopy(buffer, start, target, offset, chunk);
            start += chunk;
            takenByStep = true;
            return chunk;
        } finally {
            lock.unlock();
        }
    }

    /** Reads whatever arrives next; {@code null} if the client closed the connection. */
    byte[] readSome(long deadline) throws IOException {
        lock.lock();
        try {
            while (start == end) {
                if (atEnd()) {
                    takeEnd();
                    return null;
                }
                awaitMore(deadline);
            }
            byte[] chunk = Arrays.copyOfRange(buffer, start, end);
            start = end;
            takenByStep = true;
            return chunk;
        } finally {
            lock.unlock();
        }
    }

    /** Reads, records and drops everything until the client closes the connection. */
    void discardUntilEnd() throws IOException {
        lock.lock();
        try {
            while (true) {
                start = end;
                if (atEnd()) {
                    takeEnd();
                    return;
                }
                awaitMore(Deadlines.NONE);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until something came from the client on this connection: a byte, its close or a reset.
     *
     * @return {@code false} if nothing came before the deadline
     */
    boolean awaitFirstInput(long deadline) throws IOException {
        lock.lock();
        try {
            while (receivedCount == 0 && !atEnd()) {
                try {
                    awaitMore(deadline);
                } catch (SocketTimeoutException e) {
                    return false;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records and drops the bytes that already arrived, without waiting: before a close, so that it sends FIN
     * rather than RST for unread bytes. Reads only while the kernel holds bytes, never the client's close:
     * whether that is recorded must not depend on when it arrives after the server closed. Bounded, for a
     * client that keeps sending.
     */
    void dropArrived(int maxBytes, long deadline) throws IOException {
        lock.lock();
        try {
            if (atEnd()) {
                return; // the client's close came after its last byte: nothing is left to drop
            }
            if (kernelBytes == null) {
                kernelBytes = channel.socket().getInputStream();
            }
            long dropped = 0;
            while (dropped < maxBytes && !Deadlines.passed(deadline) && kernelBytes.available() > 0 && pump()) {
                dropped += tls == null ? end - start : tls.discardCiphertext();
                start = end;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a failed TLS handshake, with the server's output shut down: drops, unrecorded, whatever the client still
     * sends (the rest of its handshake flight, its first request) until it closes or resets the connection, the
     * deadline passes or the server shuts down. Closing with unread bytes would send RST, which can overtake the
     * alert that tells the client why the handshake failed: it would see "Broken pipe" or "Connection reset"
     * instead, at random. Bounded in bytes, for a client that keeps sending.
     *
     * @return how many bytes were dropped
     */
    long dropUntilEnd(long maxBytes, long deadline) {
        lock.lock();
        try {
            long dropped = tls == null ? end - start : tls.discardCiphertext();
            start = end;
            ByteBuffer scratch = ByteBuffer.allocate(8192);
            while (dropped < maxBytes) {
                int count;
                try {
                    scratch.clear();
                    count = channel.read(scratch);
                } catch (IOException e) {
                    return dropped; // a reset: the client is gone
                }
                if (tls != null) {
                    dropped += tls.discardCiphertext(); // what a quiescence check took meanwhile
                }
                if (count < 0 || tls != null && tls.kernelEnd()) {
                    return dropped;
                }
                if (count > 0) {
                    dropped += count;
                    continue;
                }
                if (Deadlines.passed(deadline)) {
                    return dropped;
                }
                try {
                    waiter.prepare();
                } catch (IOException e) {
                    return dropped; // the server shuts down
                }
                state.moveTo(Phase.AWAITING_INPUT);
                lock.unlock();
                try {
                    waiter.awaitReadable(deadline);
                } catch (IOException e) {
                    return dropped; // the server shuts down
                } finally {
                    lock.lock();
                    state.moveTo(Phase.RUNNING);
                }
            }
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** The step that ran has ended: what it took is judged. */
    void stepEnded() {
        lock.lock();
        try {
            takenByStep = false;
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many bytes are received but not used by a step yet. */
    int available() {
        lock.lock();
        try {
            return end - start;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the unused bytes, quoted for messages (their start and end, if many). */
    String unread() {
        lock.lock();
        try {
            return Messages.quote(buffer, start, end - start);
        } finally {
            lock.unlock();
        }
    }

    // ---- for quiescence checks ----

    /**
     * Tells whether the connection has processed everything the client delivered so far; called by any thread.
     * Takes what the kernel holds for a waiting worker, which then counts as busy until it has looked at it.
     *
     * @return {@code true} if quiet
     */
    boolean isQuiet() {
        lock.lock();
        try {
            Phase phase = state.phase();
            if (phase == Phase.ENDED) {
                return true;
            }
            if (phase == Phase.AWAITING_SERVER) {
                // judges nothing until the server is quiet: only new input keeps it busy, or two steps that
                // both wait for the server would wait for each other
                return !pump();
            }
            if (phase == Phase.AWAITING_INPUT) {
                if (pump()) {
                    state.moveTo(Phase.RUNNING); // on the worker's behalf: it has new input to look at
                    waiter.wakeup();
                    return false;
                }
                return tls != null || makeRoom(); // over TLS, the worker unwrapped all whole records before it waited
            }
            if (phase == Phase.PAUSED || phase == Phase.AWAITING_CLIENT_READ) {
                pump();
                return !takenByStep && start == end && !(atEnd() && !endSeenByWorker) && makeRoom()
                        && (tls == null || atEnd() || !tls.holdsUnprocessed());
            }
            return false; // STARTING or RUNNING
        } finally {
            lock.unlock();
        }
    }

    // ---- taking bytes from the kernel; the lock is held ----

    private boolean atEnd() {
        return endOfStream || failure != null;
    }

    /** The worker met the end: a reset becomes the exception that says who ended the connection. */
    private void takeEnd() throws IOException {
        endSeenByWorker = true;
        if (failure != null) {
            throw ending.ended(failure);
        }
    }

    /**
     * Waits until bytes or the end arrive, or throws {@link SocketTimeoutException} at the deadline. The lock is
     * released while waiting.
     */
    private void awaitMore(long deadline) throws IOException {
        while (true) {
            if (tls == null ? pump() : fillPlaintext()) {
                return;
            }
            if (Deadlines.passed(deadline)) {
                throw new SocketTimeoutException(tls != null && !tls.handshakeDone() ? "TLS handshake timeout"
                        : "step timeout");
            }
            long seen = arrivals;
            try {
                waiter.prepare(); // before the waiting state is published, so that a check's wakeup reaches it
            } catch (IOException e) {
                throw ending.ended(e);
            }
            takenByStep = false; // what the step took cannot finish it: it waits for more
            state.moveTo(Phase.AWAITING_INPUT);
            lock.unlock();
            try {
                waiter.awaitReadable(deadline);
            } catch (IOException e) {
                throw ending.ended(e); // the selector was closed: the server shuts down
            } finally {
                lock.lock();
                state.moveTo(Phase.RUNNING);
            }
            if (arrivals != seen) {
                return; // a quiescence check took it from the kernel meanwhile
            }
        }
    }

    /**
     * Reads what the kernel holds now, without blocking, and records it.
     *
     * @return whether bytes, the end of the stream or a failure arrived
     */
    private boolean pump() {
        if (tls != null) {
            return pumpCiphertext();
        }
        if (atEnd() || !makeRoom()) {
            return false;
        }
        int count;
        try {
            count = channel.read(ByteBuffer.wrap(buffer, end, buffer.length - end));
        } catch (IOException e) {
            failure = e;
            arrivals++;
            if (channel.isOpen()) {
                recorder.clientClosed(true); // a read fails on a socket the server did not close: a reset
            }
            return true;
        }
        if (count == 0) {
            return false;
        }
        arrivals++;
        if (count < 0) {
            endOfStream = true;
            recorder.clientClosed(false);
            return true;
        }
        recorder.received(buffer, end, count);
        receivedCount += count;
        boolean filled = end + count == buffer.length;
        end += count;
        if (filled && buffer.length < MAX_READ_BUFFER) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        return true;
    }

    // ---- TLS: the lock is held ----

    /** Switches to TLS: bytes from now on are ciphertext; unread bytes are the start of the client's handshake. */
    void upgrade(TlsLayer layer) {
        lock.lock();
        try {
            layer.prepend(buffer, start, end - start);
            start = end;
            tls = layer;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The worker waits for the client's handshake bytes, in {@code AWAITING_INPUT}, until an unwrap made
     * progress: the engine needs to wrap or run tasks, or the handshake finished.
     *
     * @return {@code false} if the client closed the connection or it failed (see {@link #failure()})
     * @throws SocketTimeoutException if the deadline passed first
     */
    boolean awaitHandshakeInput(long deadline) throws IOException {
        lock.lock();
        try {
            if (!atEnd()) {
                awaitMore(deadline);
            }
            return !atEnd();
        } finally {
            lock.unlock();
        }
    }

    /** Returns the failure that ended the input, or {@code null} if the client closed it. */
    IOException failure() {
        lock.lock();
        try {
            endSeenByWorker = true;
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the ciphertext the kernel holds; like {@link #pump()} it reports whether anything arrived. */
    private boolean pumpCiphertext() {
        if (atEnd()) {
            return false;
        }
        int count;
        try {
            count = tls.readFrom(channel);
        } catch (IOException e) {
            failure = e;
            arrivals++;
            if (channel.isOpen()) {
                recorder.clientClosed(true);
            }
            return true;
        }
        if (count == 0) {
            return false;
        }
        arrivals++;
        return true;
    }

    /**
     * The worker takes ciphertext from the kernel and unwraps every whole record into the plaintext buffer.
     *
     * @return whether plaintext, the end, a failure or (in the handshake) progress came
     */
    private boolean fillPlaintext() {
        pumpCiphertext();
        boolean progress = false;
        while (!atEnd() && end - start < bufferLimit) {
            SSLEngineResult result;
            try {
                result = tls.unwrap();
            } catch (SSLException e) {
                failure = e;
                arrivals++;
                return true;
            }
            ByteBuffer plain = tls.plaintext();
            int count = plain.remaining();
            if (count > 0) {
                if (buffer.length - end < count) {
                    if (start > 0) {
                        System.arraycopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    if (buffer.length - end < count) {
                        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, end + count));
                    }
                }
                plain.get(buffer, end, count);
                recorder.received(buffer, end, count);
                receivedCount += count;
                end += count;
                progress = true;
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                endOfStream = true;
                recorder.note("TLS close_notify received");
                recorder.clientClosed(false);
                return true;
            }
            HandshakeStatus status = tls.engine().getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                tls.runTasks();
                status = tls.engine().getHandshakeStatus();
            }
            if (!tls.handshakeDone()) {
                if (status != HandshakeStatus.NEED_UNWRAP && status != HandshakeStatus.NEED_UNWRAP_AGAIN) {
                    return true; // the worker's handshake goes on; plaintext after it is unwrapped later
                }
            } else if (status == HandshakeStatus.NEED_WRAP) {
                try {
                    tls.sendOwnNow(channel); // a key update or the like: tiny, sent without waiting
                } catch (IOException e) {
                    // the client is gone: the next read or write says so
                }
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                if (tls.kernelEnd()) {
                    endOfStream = true;
                    try {
                        tls.engine().closeInbound();
                    } catch (SSLException e) {
                        recorder.note("TLS ended without close_notify (the client closed the TCP connection)");
                    }
                    recorder.clientClosed(false);
                    return true;
                }
                return progress;
            }
            if (result.bytesConsumed() == 0 && count == 0 && status != HandshakeStatus.NEED_UNWRAP_AGAIN) {
                return progress;
            }
        }
        return progress;
    }

    /** Makes room at the end of the buffer if it can: compacts, or grows up to the limit. */
    private boolean makeRoom() {
        if (start == end) {
            start = 0;
            end = 0;
        }
        if (end < buffer.length) {
            return true;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
            return true;
        }
        if (buffer.length < bufferLimit) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(bufferLimit, buffer.length * 2L));
            return true;
        }
        return false;
    }
}
