package dev.tcpfixture.internal;

import dev.tcpfixture.ProxyFault;
import dev.tcpfixture.ProxyFault.Direction;
import dev.tcpfixture.internal.FaultEffects.Effect;
import dev.tcpfixture.internal.FaultEffects.Ending;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of a proxied connection, on a thread of its own: reads from its source into a bounded buffer,
 * applies the faults of its direction, writes to its sink. What the client sends is recorded as it is read (the
 * {@code RECEIVED} events), what goes to the client as the kernel takes it ({@code SENT}), as a fake server
 * records. Memory is bounded: one buffer, small at first, large once a read has filled it (a bulk transfer; see
 * {@link BufferPool}); while it is full the pipe reads nothing, so a sender faster than its receiver is held back by
 * TCP itself.
 *
 * <p>Order, for exact records: an answer of the client is never recorded before what it answers. The pipe to the
 * client holds the connection's order lock from before it writes until the bytes are recorded as sent; the pipe
 * from the client records what it read (bytes, end of stream, reset) under the same lock. A client's bytes caused by
 * a write were read after that write began, so they wait for its record.
 *
 * <p>Quiet, for exact records, as the fake server's connections: the pipe from the client is quiet when it has
 * read and recorded everything the kernel holds from the client (a check takes it from the kernel on the pipe's
 * behalf while the pipe waits, as {@link RecordedInput} does) and is not in the middle of handling it; the pipe to
 * the client when it is not between reading the upstream's bytes and recording them as sent. A full buffer with
 * nothing more in the kernel may still hide the client's close behind it: the check reads one byte to know (a
 * byte that came meanwhile is recorded and kept for the pipe); bytes the buffer cannot take mean not quiet, since
 * TCP holds the client back. Both pipes are not quiet while a change of the faults is not yet applied and noted.
 * Waits have no deadline of their own but end when the connection ends (its selector is closed) or the faults
 * change.
 */
final class ProxyPipe implements Runnable {

    private static final int CLOSE_DRAIN_LIMIT = 1024 * 1024;
    private static final long CLOSE_DRAIN_NANOS = 100_000_000L;
    private static final int MARKS = 64;

    /** Where the pipe is, for quiescence. */
    enum Phase {
        RUNNING("forwarding"),
        AWAITING_SOURCE("waiting for bytes"),
        AWAITING_SINK("waiting for its receiver to read"),
        HOLDING("holding bytes back (a fault)"),
        ENDED("ended");

        final String description;

        Phase(String description) {
            this.description = description;
        }
    }

    private final Direction direction;
    private final boolean fromClient;
    private final SocketChannel source;
    private final SocketChannel sink;
    private final ProxiedConnection connection;
    private final ConnectionRecorder recorder;
    private final ChangeSignal changes;
    private final FaultSet faults;
    private final Selector selector;
    private final SelectionKey sourceKey;
    private final SelectionKey sinkKey;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock order; // the connection's: see the class comment; taken after lock, never before
    private final BufferPool buffers;
    private final int recordingLimit;

    // guarded by lock
    private ByteBuffer buffer; // direct: the kernel reads and writes it without a copy in the JVM
    private int spill = -1; // a byte a check read (and recorded) past a full buffer, for the pipe to take first
    private long spillTime;
    private boolean filled; // a read filled the buffer: the sender is ahead, a large buffer may help
    private int start;
    private int end;
    private boolean sourceEnded;
    private IOException sourceFailure;
    private Phase phase = Phase.RUNNING;
    private InputStream kernelBytes;
    // the reads not forwarded yet, oldest first (a ring): where each ends in the buffer and when it was read, by
    // the pipe or by a check on its behalf; each is a chunk of its own, its latency counted from its read
    private final int[] markEnds = new int[MARKS];
    private final long[] markTimes = new long[MARKS];
    private int markFirst;
    private int markCount;

    // the pipe's thread only
    private long seenVersion = -1;
    private volatile long appliedVersion = -1; // the faults' version whose changes are applied and noted
    private final Map<FaultSet.Added, Effect> byFault = new HashMap<>(); // by the fault as added, not by equality
    private List<Effect> effects = List.of();

    ProxyPipe(Direction direction, SocketChannel source, SocketChannel sink, ProxiedConnection connection,
            ConnectionRecorder recorder, ReentrantLock order, ChangeSignal changes, FaultSet faults,
            BufferPool buffers, int recordingLimit) throws IOException {
        this.direction = direction;
        this.order = order;
        this.fromClient = direction == Direction.TO_UPSTREAM;
        this.source = source;
        this.sink = sink;
        this.connection = connection;
        this.recorder = recorder;
        this.changes = changes;
        this.faults = faults;
        this.buffers = buffers;
        this.recordingLimit = recordingLimit;
        this.selector = Selector.open();
        try {
            this.sourceKey = source.register(selector, SelectionKey.OP_READ);
            this.sinkKey = sink.register(selector, 0);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        this.buffer = buffers.take();
    }

    @Override
    public void run() {
        try {
            forward();
        } catch (ClosedSelectorException | CancelledKeyException | IOException e) {
            if (!connection.isEnded()) {
                recorder.fail("", "expected the proxy to forward " + describe() + ", but forwarding failed with "
                        + Messages.abbreviate(String.valueOf(e)), e);
                connection.end(false, false, "proxy closed the connection after the failure");
            }
        } catch (RuntimeException | Error e) {
            recorder.fail("", "expected the proxy to forward " + describe() + ", but forwarding failed with "
                    + Messages.abbreviate(String.valueOf(e)), e);
            connection.end(false, false, "proxy closed the connection after the failure");
        } finally {
            moveTo(Phase.ENDED); // under the lock: no check uses the buffer from now on
            buffers.give(buffer);
            connection.pipeFinished();
        }
    }

    private String describe() {
        return fromClient ? "the client's bytes to the upstream" : "the upstream's bytes to the client";
    }

    // ---- the loop ----

    private void forward() throws IOException {
        while (!connection.isEnded()) {
            refreshEffects();
            if (resetIfRequested()) {
                return;
            }
            if (stalled()) {
                hold(Deadlines.NONE);
                continue;
            }
            int available;
            boolean atEnd;
            boolean waiting = false;
            lock.lock();
            try {
                if (start == end && !atEnd() && !pump(true)) {
                    prepareWait(Phase.AWAITING_SOURCE, SelectionKey.OP_READ, 0);
                    waiting = true;
                }
                available = end - start;
                atEnd = atEnd();
            } finally {
                lock.unlock();
            }
            if (waiting) {
                select(Deadlines.NONE);
            } else if (available > 0) {
                forwardChunk();
            } else if (atEnd) {
                forwardEnd();
                return;
            }
        }
    }

    /**
     * Forwards the bytes of the oldest read not forwarded yet (a chunk), piece by piece, as the faults allow; a
     * chunk's latency counts from its read.
     */
    private void forwardChunk() throws IOException {
        long readAt;
        int left;
        lock.lock();
        try {
            if (markCount == 0) { // cannot be: every byte in the buffer came with a read
                throw new IllegalStateException("bytes in the buffer without the time of their read");
            }
            readAt = markTimes[markFirst];
            left = markEnds[markFirst] - start;
            markFirst = (markFirst + 1) % MARKS;
            markCount--;
        } finally {
            lock.unlock();
        }
        long delay = 0;
        long delayVersion = -1;
        // each fault's latency for this chunk, drawn once (jitter): a change of the faults only adds or drops terms
        Map<Effect, Long> drawn = null;
        while (!connection.isEnded()) {
            refreshEffects(); // after the read: a fault added before the bytes came applies to them
            if (resetIfRequested()) {
                return;
            }
            if (stalled()) {
                hold(Deadlines.NONE);
                continue;
            }
            if (delayVersion != seenVersion) { // the chunk's latency, from the faults on now
                delayVersion = seenVersion;
                delay = 0;
                if (drawn == null && !effects.isEmpty()) {
                    drawn = new IdentityHashMap<>(); // only with faults on: none on the fault-free path
                }
                for (Effect effect : effects) {
                    delay += drawn.computeIfAbsent(effect, Effect::chunkDelayNanos);
                }
            }
            if (delay > 0 && !Deadlines.passed(readAt + delay)) {
                holdUntil(readAt + delay);
                continue;
            }
            if (endByLimit()) {
                return;
            }
            int available = Math.min(left, available());
            if (available == 0) {
                return;
            }
            long now = System.nanoTime();
            long wait = 0;
            for (Effect effect : effects) {
                wait = Math.max(wait, effect.waitBeforePieceNanos(now));
            }
            if (wait > 0) {
                holdUntil(now + wait);
                continue;
            }
            int piece = available;
            for (Effect effect : effects) {
                piece = Math.min(piece, effect.pieceLimit(piece));
            }
            int written = piece <= 0 ? -1 : write(piece);
            if (written < 0) {
                return;
            }
            if (written > 0) { // fewer than the piece if the faults changed while the client did not read
                left -= written;
                boolean more = available() > 0;
                now = System.nanoTime();
                for (Effect effect : effects) {
                    effect.afterPiece(written, more, now);
                }
                if (endByLimit()) {
                    return;
                }
            }
        }
    }

    /** Ends the connection if a byte limit of this direction is reached. */
    private boolean endByLimit() {
        for (int i = 0; i < effects.size(); i++) {
            Ending ending = effects.get(i).ending();
            if (ending != null) {
                String what = "proxy " + (ending == Ending.RESET ? "reset" : "closed") + " the connection (fault: "
                        + faultOf(effects.get(i)) + ")";
                connection.end(ending == Ending.RESET, ending == Ending.RESET, what);
                return true;
            }
        }
        return false;
    }

    private String faultOf(Effect effect) {
        for (Map.Entry<FaultSet.Added, Effect> entry : byFault.entrySet()) {
            if (entry.getValue() == effect) {
                return entry.getKey().fault().toString();
            }
        }
        return "?";
    }

    /** The source ended: passes a reset on, or the end of stream after any slow close. */
    private void forwardEnd() {
        IOException failure;
        lock.lock();
        try {
            failure = sourceFailure;
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            if (fromClient) {
                connection.end(false, true, "proxy closed the connection and reset the upstream's (the client "
                        + "reset its)");
            } else {
                upstreamFailed(failure);
            }
            return;
        }
        long endAt = System.nanoTime();
        while (true) { // the delay from the faults on now: a slow close removed lets the end go at once
            refreshEffects();
            if (connection.isEnded()) {
                return;
            }
            if (resetIfRequested()) {
                return;
            }
            if (stalled()) { // a stall holds the end too, whenever it came
                hold(Deadlines.NONE);
                continue;
            }
            long delay = 0;
            for (Effect effect : effects) {
                delay += effect.closeDelayNanos();
            }
            if (delay == 0 || Deadlines.passed(endAt + delay)) {
                break;
            }
            holdUntil(endAt + delay);
        }
        if (!fromClient) {
            order.lock(); // not after the proxy's close: end() records it under this lock
            try {
                if (connection.isEnded()) {
                    return;
                }
                recorder.note("upstream closed its side (end of stream)");
                recorder.serverHalfClosed(); // first, so that it is recorded when the client sees the FIN
            } finally {
                order.unlock();
            }
        }
        try {
            sink.shutdownOutput();
        } catch (IOException e) {
            sinkFailed(e);
            return;
        }
        connection.pipeDone();
    }

    private void upstreamFailed(IOException failure) {
        recorder.note("upstream reset the connection: " + Messages.abbreviate(String.valueOf(failure.getMessage())));
        connection.end(true, false, "proxy reset the connection (the upstream reset its)");
    }

    private void sinkFailed(IOException failure) {
        if (connection.isEnded()) {
            return;
        }
        if (fromClient) {
            upstreamFailed(failure);
        } else if (closedFirst(failure)) {
            connection.recordClientReset(); // records the client's end of stream, read first, as a close
            connection.end(false, true, "proxy closed the connection and reset the upstream's (the client had "
                    + "closed its)");
        } else {
            connection.recordClientReset();
            connection.end(false, true, "proxy closed the connection and reset the upstream's (the client reset "
                    + "its)");
        }
    }

    /**
     * Writes {@code count} bytes from the buffer's start, or fewer if the faults change while the receiver does
     * not read (the caller applies them to the rest at once).
     *
     * @return the bytes written, or {@code -1} if the connection ended
     */
    private int write(int count) {
        int from;
        ByteBuffer piece;
        lock.lock();
        try {
            from = start;
            piece = buffer.duplicate();
        } finally {
            lock.unlock();
        }
        // the region [from, from + count) is the pipe's own until start moves: checks only append after end, and
        // only the pipe's own thread replaces the buffer
        piece.limit(from + count).position(from);
        while (piece.hasRemaining()) {
            int position = piece.position();
            int written;
            IOException failure = null;
            if (!fromClient) {
                order.lock(); // the client may answer as soon as the kernel has the bytes: they are recorded first
            }
            try {
                if (!fromClient && connection.isEnded()) {
                    return -1; // the close is recorded: nothing goes to the client after it
                }
                written = sink.write(piece);
                if (written > 0 && !fromClient) {
                    record(position, written);
                }
            } catch (IOException e) {
                written = 0;
                failure = e;
                if (!fromClient && !closedFirst(e)) {
                    connection.noteClientReset(); // before a read from the client can find the end of stream
                }
            } finally {
                if (!fromClient) {
                    order.unlock();
                }
            }
            if (failure != null) {
                sinkFailed(failure);
                return -1;
            }
            if (written > 0) {
                lock.lock();
                try {
                    start += written;
                } finally {
                    lock.unlock();
                }
            } else {
                if (connection.isEnded()) {
                    return -1;
                }
                lock.lock();
                try {
                    prepareWait(Phase.AWAITING_SINK, 0, SelectionKey.OP_WRITE);
                } finally {
                    lock.unlock();
                }
                select(Deadlines.NONE);
                if (faults.snapshot().version() != seenVersion) {
                    return piece.position() - from; // a fault added now applies to what is left
                }
            }
        }
        return count;
    }

    /**
     * Whether a failed write to the client means it closed first: a reset that comes after the client's end of
     * stream (its kernel's answer to bytes it will not read) fails the write with "Broken pipe" (EPIPE), a reset
     * instead of a close with "Connection reset". The client's end of stream is then read and recorded as a close.
     */
    private static boolean closedFirst(IOException failure) {
        String message = failure.getMessage();
        return message != null && message.contains("Broken pipe");
    }

    // ---- faults ----

    private void refreshEffects() {
        FaultSet.Snapshot snapshot = faults.snapshot();
        if (snapshot.version() == seenVersion) {
            return;
        }
        seenVersion = snapshot.version();
        Map<FaultSet.Added, Effect> kept = new HashMap<>();
        List<Effect> next = new ArrayList<>();
        List<ProxyFault> turnedOn = new ArrayList<>();
        for (FaultSet.Added added : snapshot.added()) {
            ProxyFault fault = added.fault();
            boolean ours = fault.kind() == ProxyFault.Kind.RESET_NOW || fault.direction() == direction;
            if (!ours || !FaultEffects.applies(fault, connection.id())) {
                continue;
            }
            Effect effect = byFault.get(added);
            if (effect == null) {
                effect = FaultEffects.create(fault, connection.id());
                turnedOn.add(fault);
            }
            kept.put(added, effect);
            next.add(effect);
        }
        // a reset now is noted once, by the pipe from the client
        for (FaultSet.Added added : byFault.keySet()) {
            ProxyFault fault = added.fault();
            if (!kept.containsKey(added) && (fromClient || fault.kind() != ProxyFault.Kind.RESET_NOW)) {
                recorder.note("fault off: " + fault);
            }
        }
        for (ProxyFault fault : turnedOn) {
            if (fromClient || fault.kind() != ProxyFault.Kind.RESET_NOW) {
                recorder.note("fault on: " + fault);
            }
        }
        byFault.clear();
        byFault.putAll(kept);
        effects = List.copyOf(next);
        appliedVersion = seenVersion;
    }

    private boolean stalled() {
        for (Effect effect : effects) {
            if (effect.stalls()) {
                return true;
            }
        }
        return false;
    }

    /** Resets the connection if a reset now is requested (see {@link #resetRequested()}). */
    private boolean resetIfRequested() {
        if (!resetRequested()) {
            return false;
        }
        connection.end(true, true, "proxy reset the connection (fault: reset now)");
        return true;
    }

    /**
     * A reset now, once bytes went either way (or the client closed): before, it could race the client's
     * {@code connect}.
     */
    private boolean resetRequested() {
        for (Effect effect : effects) {
            if (effect.resetsNow()) {
                return recorder.receivedByteCount() > 0 || recorder.sentByteCount() > 0
                        || !recorder.isClientConnected();
            }
        }
        return false;
    }

    // ---- waiting ----

    /**
     * Holds until the deadline, the connection's end, or any change of the faults: then the caller works out its
     * wait again from the faults on now (a fault removed releases what it held at once).
     */
    private void holdUntil(long deadline) {
        long version = seenVersion;
        while (!Deadlines.passed(deadline) && !connection.isEnded()) {
            hold(deadline);
            refreshEffects();
            if (seenVersion != version || stalled() || resetRequested()) {
                return;
            }
        }
    }

    /** One wait in {@code HOLDING}: until the deadline, a wakeup (faults changed) or the connection's end. */
    private void hold(long deadline) {
        lock.lock();
        try {
            prepareWait(Phase.HOLDING, 0, 0);
        } finally {
            lock.unlock();
        }
        select(deadline);
    }

    /** Sets the interests and publishes a waiting phase; the lock is held. */
    private void prepareWait(Phase waiting, int sourceOps, int sinkOps) {
        if (sourceKey.interestOps() != sourceOps) {
            sourceKey.interestOps(sourceOps);
        }
        if (sinkKey.interestOps() != sinkOps) {
            sinkKey.interestOps(sinkOps);
        }
        moveToLocked(waiting);
    }

    private void select(long deadline) {
        try {
            selector.select(Deadlines.remainingMillis(deadline));
            selector.selectedKeys().clear();
        } catch (IOException e) {
            throw new ClosedSelectorException(); // the connection ends
        } finally {
            moveTo(Phase.RUNNING);
        }
    }

    /** Wakes a wait, for a change of the faults. */
    void wakeup() {
        selector.wakeup();
    }

    /** Closes the selector: a wait in progress ends, and the channels can really close. */
    void closeSelector() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // unusable either way
        }
    }

    private void moveTo(Phase next) {
        lock.lock();
        try {
            moveToLocked(next);
        } finally {
            lock.unlock();
        }
    }

    private void moveToLocked(Phase next) {
        Phase previous = phase;
        phase = next;
        if (next != Phase.RUNNING && next != previous) {
            changes.signal();
        }
    }

    // ---- the buffer; the lock is held ----

    private int available() {
        lock.lock();
        try {
            return end - start;
        } finally {
            lock.unlock();
        }
    }

    private boolean atEnd() {
        return sourceEnded || sourceFailure != null;
    }

    /**
     * Reads what the kernel holds now, without blocking, and records bytes from the client.
     *
     * @param compact whether the buffer may be compacted: only by the pipe's thread, which may be writing from it
     * @return whether bytes, the end of the stream or a failure arrived
     */
    private boolean pump(boolean compact) {
        if (atEnd()) {
            return false;
        }
        if (start == end && (compact || markCount == 0)) {
            // empty: no region is being written (the pipe has written it all), so a check may start it over too
            start = 0;
            end = 0;
            if (compact && filled && markCount == 0) {
                grow();
            }
        }
        if (spill >= 0) { // read before anything still in the kernel
            if (!compact || end == buffer.capacity()) {
                return false;
            }
            buffer.put(end, (byte) spill);
            end++;
            mark(end, spillTime);
            spill = -1;
            return true;
        }
        if (end == buffer.capacity()) {
            if (!compact || start == 0) {
                return false;
            }
            ByteBuffer unsent = buffer.duplicate();
            unsent.limit(end).position(start);
            unsent.compact();
            end -= start;
            for (int i = 0; i < markCount; i++) {
                markEnds[(markFirst + i) % MARKS] -= start;
            }
            start = 0;
        }
        if (!fromClient) {
            return read();
        }
        order.lock(); // what the client sent is recorded after what it may answer: see the class comment
        try {
            return read();
        } finally {
            order.unlock();
        }
    }

    /** Reads what the kernel holds now into the buffer's free space; the lock is held, the buffer not full. */
    private boolean read() {
        int count;
        try {
            ByteBuffer free = buffer.duplicate();
            free.limit(free.capacity()).position(end);
            count = source.read(free);
        } catch (IOException e) {
            return sourceFailed(e);
        }
        if (count == 0) {
            return false;
        }
        if (count < 0) {
            sourceEnded();
            return true;
        }
        if (fromClient) {
            record(end, count);
        }
        end += count;
        filled |= end == buffer.capacity();
        mark(end, System.nanoTime());
        return true;
    }

    /**
     * A read from the source failed: the client's reset, unless the connection ended (the proxy closed the
     * socket). The lock, and for the client's side the order lock, are held.
     *
     * @return whether the failure is news: {@code false} if the connection had ended
     */
    private boolean sourceFailed(IOException failure) {
        if (connection.isEnded()) {
            return false;
        }
        sourceFailure = failure;
        if (fromClient) {
            recorder.clientClosed(true);
        }
        return true;
    }

    /**
     * The source's end of stream, read. From the client after a write to it failed, it is the client's reset: the
     * kernel reports a reset to one call only, and the write took it. The lock and the order lock are held.
     */
    private void sourceEnded() {
        if (fromClient && connection.clientResetSeen()) {
            sourceFailure = new IOException("the client reset the connection (seen by a write to it)");
            recorder.clientClosed(true);
            return;
        }
        sourceEnded = true;
        if (fromClient) {
            recorder.clientClosed(false);
        }
    }

    /** Moves to a large buffer, if the pool has one to spare; the buffer is empty, the lock is held. */
    private void grow() {
        filled = false;
        if (buffer.capacity() >= BufferPool.LARGE) {
            return;
        }
        ByteBuffer large = buffers.takeLarge();
        if (large != null) {
            buffers.give(buffer);
            buffer = large;
        }
    }

    /**
     * Notes a read that ends at {@code readEnd}, at {@code now}. If the ring is full, the newest read is joined to
     * the one before and takes the later time: its bytes wait a little longer, never less than their latency.
     */
    private void mark(int readEnd, long now) {
        if (markCount == MARKS) {
            int last = (markFirst + markCount - 1) % MARKS;
            markEnds[last] = readEnd;
            markTimes[last] = now;
            return;
        }
        int next = (markFirst + markCount) % MARKS;
        markEnds[next] = readEnd;
        markTimes[next] = now;
        markCount++;
    }

    /**
     * Records {@code count} bytes of the buffer from {@code position}: what the client sent, or what went to it.
     * Copied only while the recording limit is not reached; beyond it the recorder only counts.
     */
    private void record(int position, int count) {
        long recorded = fromClient ? recorder.receivedByteCount() : recorder.sentByteCount();
        byte[] bytes;
        int offset = 0;
        if (recorded >= recordingLimit) {
            bytes = BufferPool.UNRECORDED; // not read: the recorder keeps nothing more
        } else {
            bytes = new byte[count];
            buffer.get(position, bytes);
        }
        if (fromClient) {
            recorder.received(bytes, offset, count);
        } else {
            recorder.sent(bytes, offset, count);
        }
    }

    // ---- for other threads ----

    /**
     * Whether the pipe has dealt with what its sender delivered so far, as far as the record goes. Called by any
     * thread; takes from the kernel what the client sent, on the pipe's behalf.
     */
    boolean isQuiet() {
        lock.lock();
        try {
            if (phase == Phase.ENDED) {
                return true;
            }
            if (appliedVersion != faults.snapshot().version()) {
                return false; // a change of the faults not applied (and noted) yet: the pipe is waking for it
            }
            if (!fromClient) {
                return phase != Phase.RUNNING;
            }
            boolean arrived = pump(false);
            if (phase == Phase.AWAITING_SOURCE) {
                if (arrived) {
                    phase = Phase.RUNNING; // on the pipe's behalf: it has new input to handle
                    selector.wakeup();
                    return false;
                }
                return true;
            }
            if (phase == Phase.RUNNING) {
                return false;
            }
            // held back: takes all the kernel holds, up to a read that finds nothing (so a close behind the last
            // bytes is recorded too), the end of the stream or a full buffer
            while (arrived && !atEnd() && end < buffer.capacity()) {
                arrived = pump(false);
            }
            if (end < buffer.capacity() || atEnd()) {
                return true; // held back, but all recorded
            }
            if (spill >= 0 || kernelHolds() > 0) {
                return false; // held back with bytes the record cannot take yet: TCP holds the client back
            }
            return probeEnd();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The buffer is full and the kernel holds no bytes from the client, but its close may wait behind them: reads
     * one byte to know. The end of the stream or a reset is recorded; a byte that came meanwhile is recorded and
     * kept for the pipe ({@link #spill}). The lock is held.
     *
     * @return whether everything the client did is recorded
     */
    private boolean probeEnd() {
        order.lock(); // recorded as the pipe's reads are
        try {
            ByteBuffer one = ByteBuffer.allocate(1);
            int count;
            try {
                count = source.read(one);
            } catch (IOException e) {
                sourceFailed(e);
                return true;
            }
            if (count < 0) {
                sourceEnded();
                return true;
            }
            if (count == 0) {
                return true;
            }
            spill = one.get(0) & 0xff;
            spillTime = System.nanoTime();
            recorder.received(new byte[] {(byte) spill}, 0, 1);
            return false;
        } finally {
            order.unlock();
        }
    }

    /** Describes where the pipe is, for messages about a proxy that is not quiet. */
    String describeState() {
        lock.lock();
        try {
            return (fromClient ? "client to upstream: " : "upstream to client: ") + phase.description;
        } finally {
            lock.unlock();
        }
    }

    private int kernelHolds() {
        try {
            if (kernelBytes == null) {
                kernelBytes = source.socket().getInputStream();
            }
            return kernelBytes.available();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Drops what the source's kernel queue holds, before the proxy closes that socket, so that unread bytes do not
     * turn the close into a reset: what the client sent is recorded first; what the upstream sent is not (it never
     * reaches the client). Bounded, for a sender that keeps sending.
     */
    void dropArrived() {
        lock.lock();
        order.lock();
        try {
            long deadline = System.nanoTime() + CLOSE_DRAIN_NANOS;
            byte[] scratch = new byte[8 * 1024];
            long dropped = 0;
            // reads until a read finds nothing: the client's close may wait behind its last bytes (the source
            // does not block)
            while (!atEnd() && dropped < CLOSE_DRAIN_LIMIT && !Deadlines.passed(deadline)) {
                int count = source.read(ByteBuffer.wrap(scratch));
                if (count <= 0) {
                    if (count < 0) {
                        sourceEnded();
                    }
                    break;
                }
                if (fromClient) {
                    recorder.received(scratch, 0, count);
                }
                dropped += count;
            }
        } catch (IOException e) {
            // the client is gone already; the close follows
        } finally {
            order.unlock();
            lock.unlock();
        }
    }
}
