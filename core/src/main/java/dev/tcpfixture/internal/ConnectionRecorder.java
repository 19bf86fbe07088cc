package dev.tcpfixture.internal;

import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import dev.tcpfixture.Side;
import dev.tcpfixture.TranscriptEvent;
import dev.tcpfixture.TranscriptEvent.Kind;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The thread-safe record of one connection. Memory stays bounded whatever the client does: at most
 * {@code recordingLimit} bytes per direction are kept (in the byte record and, once more, in the data events),
 * and at most {@link #MAX_DATA_EVENTS} data events are listed; later ones are only counted. Events without
 * data (accepted, closes, failures, notes) happen a few times per connection at most.
 */
final class ConnectionRecorder implements RecordedConnection {

    // Every change is made under this object's lock and signalled after it, outside the lock.

    static final int MAX_DATA_EVENTS = 10_000;

    private final ChangeSignal changes;
    private final Quiescence quiescence;
    private final int id;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    private final Instant acceptedAt;
    private final long acceptedNanos;
    private final int recordingLimit;
    private final Charset charset;

    private final List<TranscriptEvent> events = new ArrayList<>();
    private final Direction received = new Direction(Kind.RECEIVED, "received");
    private final Direction sent = new Direction(Kind.SENT, "sent");
    private final List<ScriptFailure> failures = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private int dataEvents;
    private long omittedDataEvents;
    private Side closedFirstBy;
    private boolean clientGone;
    private boolean serverClosed;

    ConnectionRecorder(int id, InetSocketAddress remoteAddress, InetSocketAddress localAddress,
            int recordingLimit, Charset charset, ChangeSignal changes, Quiescence quiescence) {
        this.changes = changes;
        this.quiescence = quiescence;
        this.id = id;
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
        this.acceptedAt = Instant.now();
        this.acceptedNanos = System.nanoTime();
        this.recordingLimit = recordingLimit;
        this.charset = charset;
        add(Kind.ACCEPTED, null, "accepted from " + Messages.address(remoteAddress));
    }

    InetSocketAddress localAddress() {
        return localAddress;
    }

    Charset charset() {
        return charset;
    }

    void received(byte[] buffer, int offset, int length) {
        synchronized (this) {
            received.record(buffer, offset, length);
        }
        changes.signal();
    }

    void sent(byte[] buffer, int offset, int length) {
        synchronized (this) {
            sent.record(buffer, offset, length);
        }
        changes.signal();
    }

    void note(String detail) {
        synchronized (this) {
            add(Kind.NOTE, null, detail);
        }
        changes.signal();
    }

    void clientClosed(boolean reset) {
        synchronized (this) {
            if (clientGone) {
                return;
            }
            clientGone = true;
            if (closedFirstBy == null) {
                closedFirstBy = Side.CLIENT;
            }
            add(reset ? Kind.CLIENT_RESET : Kind.CLIENT_CLOSED, null,
                    reset ? "client reset the connection" : "client closed its side (end of stream)");
            ended.countDown();
        }
        changes.signal();
    }

    void serverHalfClosed() {
        synchronized (this) {
            if (closedFirstBy == null) {
                closedFirstBy = Side.SERVER; // the server's FIN went out first
            }
            add(Kind.SERVER_HALF_CLOSED, null, "server shut down its output (half-close)");
        }
        changes.signal();
    }

    void serverClosed(boolean reset, String detail) {
        synchronized (this) {
            if (serverClosed) {
                return;
            }
            serverClosed = true;
            if (closedFirstBy == null) {
                closedFirstBy = Side.SERVER;
            }
            add(reset ? Kind.SERVER_RESET : Kind.SERVER_CLOSED, null, detail);
            ended.countDown();
        }
        changes.signal();
    }


    ScriptFailure fail(String step, String message, Throwable cause) {
        ScriptFailure failure;
        synchronized (this) {
            add(Kind.FAILURE, null, message);
            failure = new ScriptFailure(id, step, message, transcript(), cause);
            failures.add(failure);
        }
        changes.signal();
        return failure;
    }

    private void addData(Kind kind, byte[] data) {
        if (dataEvents == MAX_DATA_EVENTS) {
            omittedDataEvents++;
            if (omittedDataEvents == 1) {
                add(Kind.NOTE, null, "event limit of " + MAX_DATA_EVENTS + " data events reached; later ones are "
                        + "counted, not listed (their bytes are still recorded up to the recording limit)");
            }
            return;
        }
        dataEvents++;
        add(kind, data, null);
    }

    private void add(Kind kind, byte[] data, String detail) {
        events.add(new TranscriptEvent(kind, Instant.now(), Duration.ofNanos(System.nanoTime() - acceptedNanos),
                data, detail));
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Instant acceptedAt() {
        return acceptedAt;
    }

    @Override
    public synchronized byte[] received() {
        return received.bytes.toByteArray();
    }

    @Override
    public String receivedText() {
        return new String(received(), charset);
    }

    @Override
    public List<String> receivedLines() {
        String text = receivedText();
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
            int end = newline > start && text.charAt(newline - 1) == '\r' ? newline - 1 : newline;
            lines.add(text.substring(start, end));
            start = newline + 1;
        }
        return List.copyOf(lines);
    }

    @Override
    public synchronized long receivedByteCount() {
        return received.count;
    }

    @Override
    public synchronized boolean receivedTruncated() {
        return received.truncated;
    }

    @Override
    public synchronized byte[] sent() {
        return sent.bytes.toByteArray();
    }

    @Override
    public String sentText() {
        return new String(sent(), charset);
    }

    @Override
    public synchronized long sentByteCount() {
        return sent.count;
    }

    @Override
    public synchronized List<TranscriptEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public synchronized Optional<Side> closedFirstBy() {
        return Optional.ofNullable(closedFirstBy);
    }

    @Override
    public synchronized boolean isClientConnected() {
        return !clientGone && !serverClosed;
    }

    @Override
    public synchronized boolean isOpen() {
        return !serverClosed;
    }

    @Override
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        requireNotNegative(timeout);
        return ended.await(Deadlines.nanos(timeout), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        java.util.Objects.requireNonNull(condition, "condition");
        requireNotNegative(timeout);
        return changes.await(condition, timeout);
    }

    private static void requireNotNegative(Duration timeout) {
        java.util.Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + Messages.duration(timeout));
        }
    }

    @Override
    public boolean awaitQuiet() {
        return quiescence.awaitQuiet();
    }

    @Override
    public synchronized List<ScriptFailure> failures() {
        return List.copyOf(failures);
    }

    @Override
    public synchronized String transcript() {
        return Transcripts.render(this, events, received.count, sent.count, omittedDataEvents);
    }

    /** The bytes of one direction: all counted, kept up to the recording limit. Guarded by the recorder. */
    private final class Direction {
        final Kind kind;
        final String label;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long count;
        boolean truncated;

        Direction(Kind kind, String label) {
            this.kind = kind;
            this.label = label;
        }

        void record(byte[] buffer, int offset, int length) {
            count += length;
            int kept = Math.max(0, Math.min(recordingLimit - bytes.size(), length));
            if (kept > 0) {
                bytes.write(buffer, offset, kept);
                addData(kind, Arrays.copyOfRange(buffer, offset, offset + kept));
            }
            if (kept < length && !truncated) {
                truncated = true;
                add(Kind.NOTE, null, "recording limit of " + Messages.count(recordingLimit, label + " byte",
                        label + " bytes") + " reached; further bytes are counted, not kept");
            }
        }
    }

    @Override
    public String toString() {
        return "RecordedConnection #" + id + " from " + Messages.address(remoteAddress);
    }
}
