package dev.tcpfixture;

import dev.tcpfixture.TranscriptEvent.Kind;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A recording that tcpfixture's engine did not make (a proxy's, say): a list of events and the counts, and
 * nothing else, so that {@link RecordedConnection#toScript()} can only go by what the interface gives.
 */
final class ListedConnection implements RecordedConnection {

    private final List<TranscriptEvent> events = new ArrayList<>();
    private long receivedCount;
    private long sentCount;

    ListedConnection add(Kind kind, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        events.add(new TranscriptEvent(kind, Instant.EPOCH, Duration.ZERO, bytes, kind == Kind.RECEIVED
                || kind == Kind.SENT ? "" : data));
        receivedCount += kind == Kind.RECEIVED ? bytes.length : 0;
        sentCount += kind == Kind.SENT ? bytes.length : 0;
        return this;
    }

    /** Counts bytes that no event lists, as a recording limit would. */
    ListedConnection uncounted(long received) {
        receivedCount += received;
        return this;
    }

    private byte[] bytes(Kind kind) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        events.stream().filter(event -> event.kind() == kind).forEach(event -> bytes.writeBytes(event.data()));
        return bytes.toByteArray();
    }

    @Override
    public int id() {
        return 7;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 1);
    }

    @Override
    public Instant acceptedAt() {
        return Instant.EPOCH;
    }

    @Override
    public byte[] received() {
        return bytes(Kind.RECEIVED);
    }

    @Override
    public String receivedText() {
        return new String(received(), StandardCharsets.UTF_8);
    }

    @Override
    public List<String> receivedLines() {
        return receivedText().lines().toList();
    }

    @Override
    public long receivedByteCount() {
        return receivedCount;
    }

    @Override
    public boolean receivedTruncated() {
        return receivedCount > received().length;
    }

    @Override
    public byte[] sent() {
        return bytes(Kind.SENT);
    }

    @Override
    public String sentText() {
        return new String(sent(), StandardCharsets.UTF_8);
    }

    @Override
    public long sentByteCount() {
        return sentCount;
    }

    @Override
    public List<TranscriptEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public Optional<Side> closedFirstBy() {
        return Optional.empty();
    }

    @Override
    public boolean isClientConnected() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return false;
    }

    @Override
    public boolean awaitClosed(Duration timeout) {
        return true;
    }

    @Override
    public boolean awaitUntil(BooleanSupplier condition, Duration timeout) {
        return condition.getAsBoolean();
    }

    @Override
    public boolean awaitQuiet() {
        return true;
    }

    @Override
    public List<ScriptFailure> failures() {
        return List.of();
    }

    @Override
    public String transcript() {
        return events.toString();
    }
}
