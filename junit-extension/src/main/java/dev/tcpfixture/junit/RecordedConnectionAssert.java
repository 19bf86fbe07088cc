package dev.tcpfixture.junit;

import static dev.tcpfixture.junit.Settling.settle;
import static dev.tcpfixture.junit.internal.Wording.NEWLINE;

import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import dev.tcpfixture.Side;
import dev.tcpfixture.internal.Messages;
import dev.tcpfixture.junit.internal.Wording;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions about a {@link RecordedConnection}: what the client sent, what the server sent, who
 * closed. Every failure message shows the expected and the actual value and the transcript of the connection,
 * bounded: a payload shows its first and last 128 bytes, a list its first 20 items, a transcript at most 64 KiB,
 * each with where the whole record is ({@link RecordedConnection#received()}, {@link RecordedConnection#sent()},
 * {@link RecordedConnection#transcript()}). What the client sent shows as the bytes it sent, not as the text they
 * decode to; expected text shows as its UTF-8 bytes.
 *
 * <p>Every assertion first waits until the server is quiet ({@link RecordedConnection#awaitQuiet()}): every
 * connection the kernel completed is accepted and has processed what its client delivered. So it sees
 * everything the client did before it, exactly, with no grace period. What the server does later on its own
 * (a reply after a pause) is not waited for: wait first with
 * {@link RecordedConnection#awaitUntil(java.util.function.BooleanSupplier, java.time.Duration)} or
 * {@link RecordedConnection#awaitClosed(java.time.Duration)}.
 *
 * <p>Lines are the complete lines received so far, without their line endings ({@code \n} or
 * {@code \r\n}); a trailing line without line ending is not counted. Text is decoded with the server's
 * charset.
 *
 * @since 0.1
 */
public class RecordedConnectionAssert extends AbstractAssert<RecordedConnectionAssert, RecordedConnection> {

    /**
     * Creates assertions about {@code actual}; prefer {@link TcpAssertions#assertThat(RecordedConnection)}.
     *
     * @param actual the connection
     */
    public RecordedConnectionAssert(RecordedConnection actual) {
        super(actual, RecordedConnectionAssert.class);
    }

    // ---- received ----

    /**
     * Asserts that the client sent this line.
     *
     * @param line the line, without line ending
     * @return this
     */
    public RecordedConnectionAssert receivedLine(String line) {
        Objects.requireNonNull(line, "line");
        List<String> lines = settle(connection()::awaitQuiet, this::lines);
        if (!lines.contains(line)) {
            failWithActualExpectedAndMessage(shown(lines), List.of(line), "%s", describe("to have received the line "
                    + text(line) + ", but it received " + receivedLines(lines)));
        }
        return myself;
    }

    /**
     * Asserts that the client sent these lines in this order, possibly with other lines before, between and
     * after them: an ordered subsequence. For exactly these lines and no others, use
     * {@link #receivedLinesExactly(String...)}.
     *
     * @param lines the lines, without line endings
     * @return this
     */
    public RecordedConnectionAssert receivedLinesInOrder(String... lines) {
        List<String> expected = List.of(lines);
        List<String> received = settle(connection()::awaitQuiet, this::lines);
        int next = matchedInOrder(received, expected);
        if (next < expected.size()) {
            failWithActualExpectedAndMessage(shown(received), shown(expected), "%s", describe("to have received "
                    + "these lines in this order:" + NEWLINE + expectedLines(expected) + NEWLINE + "but the line "
                    + text(expected.get(next)) + " (and any after it) is missing; it received "
                    + receivedLines(received)));
        }
        return myself;
    }

    /**
     * Asserts that the complete lines the client sent are exactly these, in this order.
     *
     * @param lines the lines, without line endings
     * @return this
     */
    public RecordedConnectionAssert receivedLinesExactly(String... lines) {
        List<String> expected = List.of(lines);
        List<String> received = settle(connection()::awaitQuiet, this::lines);
        if (!received.equals(expected)) {
            failWithActualExpectedAndMessage(shown(received), shown(expected), "%s", describe("to have received "
                    + "exactly these lines:" + NEWLINE + expectedLines(expected) + NEWLINE + "but it received "
                    + receivedLines(received)));
        }
        return myself;
    }

    /**
     * Asserts that the text the client sent is exactly {@code text}.
     *
     * @param text all the text, line endings included
     * @return this
     */
    public RecordedConnectionAssert receivedText(String text) {
        Objects.requireNonNull(text, "text");
        String received = settle(connection()::awaitQuiet, this::text);
        if (!received.equals(text)) {
            failWithActualExpectedAndMessage(shown(received), shown(text), "%s", describe("to have received "
                    + "exactly the text " + text(text) + ", but it received " + receivedBytes()));
        }
        return myself;
    }

    /**
     * Asserts that the text the client sent contains {@code text}.
     *
     * @param text the text to find
     * @return this
     */
    public RecordedConnectionAssert receivedTextContaining(String text) {
        Objects.requireNonNull(text, "text");
        String received = settle(connection()::awaitQuiet, this::text);
        if (!received.contains(text)) {
            failWithActualExpectedAndMessage(shown(received), shown(text), "%s", describe("to have received text "
                    + "containing " + text(text) + ", but it received " + receivedBytes()));
        }
        return myself;
    }

    /**
     * Asserts that the bytes the client sent are exactly {@code bytes}.
     *
     * @param bytes all the bytes
     * @return this
     */
    public RecordedConnectionAssert receivedBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        byte[] received = settle(connection()::awaitQuiet, this::received);
        if (!Arrays.equals(received, bytes)) {
            failWithActualExpectedAndMessage(Messages.quote(received), Messages.quote(bytes), "%s",
                    describe("to have received exactly " + bytes(bytes) + ", but it received " + bytes(received)));
        }
        return myself;
    }

    /**
     * Asserts that the client sent no bytes at all.
     *
     * @return this
     */
    public RecordedConnectionAssert receivedNothing() {
        long count = settle(connection()::awaitQuiet, connection()::receivedByteCount);
        if (count != 0) {
            byte[] received = connection().received();
            failWithActualExpectedAndMessage(Messages.quote(received), Messages.quote(new byte[0]), "%s",
                    describe("to have received nothing, but it received " + bytes(received)));
        }
        return myself;
    }

    /**
     * Asserts that the client sent more than the recording limit, so that the recording is cut short.
     *
     * @return this
     */
    public RecordedConnectionAssert receivedTruncated() {
        RecordedConnection connection = connection();
        if (!settle(connection()::awaitQuiet, connection::receivedTruncated)) {
            failWithMessage("%s", describe("to have received more than the recording limit, but it received "
                    + Messages.count(connection.receivedByteCount(), "byte", "bytes") + ", all of them recorded"));
        }
        return myself;
    }

    // ---- sent ----

    /**
     * Asserts that the text the server sent on this connection is exactly {@code text}.
     *
     * @param text all the text, line endings included
     * @return this
     */
    public RecordedConnectionAssert sentText(String text) {
        Objects.requireNonNull(text, "text");
        String sent = settle(connection()::awaitQuiet, connection()::sentText);
        if (!sent.equals(text)) {
            failWithActualExpectedAndMessage(shown(sent), shown(text), "%s", describe("to have sent exactly the "
                    + "text " + text(text) + ", but the server sent " + bytes(connection().sent())));
        }
        return myself;
    }

    /**
     * Asserts that the bytes the server sent on this connection are exactly {@code bytes}.
     *
     * @param bytes all the bytes
     * @return this
     */
    public RecordedConnectionAssert sentBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        byte[] sent = settle(connection()::awaitQuiet, connection()::sent);
        if (!Arrays.equals(sent, bytes)) {
            failWithActualExpectedAndMessage(Messages.quote(sent), Messages.quote(bytes), "%s", describe("to have "
                    + "sent exactly " + bytes(bytes) + ", but the server sent " + bytes(sent)));
        }
        return myself;
    }

    // ---- closing ----

    /**
     * Asserts that the client closed (or reset) the connection before the server did.
     *
     * @return this
     */
    public RecordedConnectionAssert wasClosedByClient() {
        return closedFirstBy(Side.CLIENT);
    }

    /**
     * Asserts that the server closed (or reset) the connection before the client did.
     *
     * @return this
     */
    public RecordedConnectionAssert wasClosedByServer() {
        return closedFirstBy(Side.SERVER);
    }

    /**
     * Asserts that the client is still connected, as far as the server can tell: neither side closed or reset
     * the connection. Checked once the server is quiet, so a close the client made before is seen.
     *
     * @return this
     * @see RecordedConnection#isClientConnected()
     */
    public RecordedConnectionAssert isClientConnected() {
        RecordedConnection connection = connection();
        if (!settle(connection::awaitQuiet, connection::isClientConnected)) {
            failWithActualExpectedAndMessage("closed", "connected", "%s", describe("to be connected, but it was "
                    + "closed by the " + connection.closedFirstBy().map(side -> side.name().toLowerCase(Locale.ROOT))
                            .orElse("client or the server")));
        }
        return myself;
    }

    /**
     * Asserts that the client is no longer connected: the client closed or reset the connection, or the server
     * closed it. To check that the client itself closed, use {@link #wasClosedByClient()} or
     * {@link TcpAssertions#assertClientClosed(RecordedConnection)}.
     *
     * @return this
     * @see RecordedConnection#isClientConnected()
     */
    public RecordedConnectionAssert isClientDisconnected() {
        if (settle(connection()::awaitQuiet, connection()::isClientConnected)) {
            failWithActualExpectedAndMessage("connected", "closed", "%s", describe("to be closed, but the client "
                    + "is still connected"));
        }
        return myself;
    }

    // ---- failures ----

    /**
     * Asserts that no failure was recorded on this connection.
     *
     * @return this
     */
    public RecordedConnectionAssert hasNoFailures() {
        List<ScriptFailure> failures = settle(connection()::awaitQuiet, connection()::failures);
        if (!failures.isEmpty()) {
            failWithMessage("%s", describe("to have no failures, but it has "
                    + Messages.count(failures.size(), "failure", "failures") + ":" + NEWLINE
                    + Wording.failures(failures)));
        }
        return myself;
    }

    /**
     * Asserts that a failure whose message contains {@code text} was recorded on this connection.
     *
     * @param text the text to find in a failure's message
     * @return this
     */
    public RecordedConnectionAssert hasFailureContaining(String text) {
        Objects.requireNonNull(text, "text");
        List<ScriptFailure> failures = settle(connection()::awaitQuiet, connection()::failures);
        if (failures.stream().noneMatch(failure -> failure.message().contains(text))) {
            failWithMessage("%s", describe("to have a failure containing " + text(text) + ", but "
                    + (failures.isEmpty() ? "it has no failures"
                            : "its failures are:" + NEWLINE + Wording.failures(failures))));
        }
        return myself;
    }

    // ---- helpers ----

    private RecordedConnectionAssert closedFirstBy(Side side) {
        Optional<Side> closer = settle(connection()::awaitQuiet, connection()::closedFirstBy);
        if (closer.isEmpty() || closer.get() != side) {
            String expected = side.name().toLowerCase(Locale.ROOT);
            failWithActualExpectedAndMessage(closer.orElse(null), side, "%s", describe("to have been closed first "
                    + "by the " + expected + ", but " + closer.map(other -> "the " + other.name()
                            .toLowerCase(Locale.ROOT) + " closed it first")
                            .orElse("it is still open on both sides")));
        }
        return myself;
    }

    private static int matchedInOrder(List<String> received, List<String> expected) {
        int next = 0;
        for (String line : received) {
            if (next < expected.size() && line.equals(expected.get(next))) {
                next++;
            }
        }
        return next;
    }

    private RecordedConnection connection() {
        isNotNull();
        return actual;
    }

    private List<String> lines() {
        return connection().receivedLines();
    }

    private String text() {
        return connection().receivedText();
    }

    private byte[] received() {
        return connection().received();
    }

    /** Expected text, quoted as its UTF-8 bytes and bounded. */
    private static String text(String text) {
        return Messages.quote(text, StandardCharsets.UTF_8);
    }

    /** Bytes, quoted and bounded, with their count: {@code 6 bytes "PING\r\n"}. */
    private static String bytes(byte[] bytes) {
        return Messages.count(bytes.length, "byte", "bytes") + " " + Messages.quote(bytes);
    }

    /** What the client sent, as bytes, quoted and bounded. */
    private String receivedBytes() {
        return bytes(connection().received());
    }

    private static String expectedLines(List<String> lines) {
        List<byte[]> encoded = new ArrayList<>(lines.size());
        lines.forEach(line -> encoded.add(line.getBytes(StandardCharsets.UTF_8)));
        return Wording.lines(encoded, "the assertion's arguments");
    }

    /**
     * {@code 2 lines:} and the lines as the client sent them (bytes, not decoded text), at most 20 of them. If
     * the bytes do not split into as many lines as the text (a charset whose line feed is not the byte
     * {@code \n}), the decoded lines as UTF-8 instead.
     */
    private String receivedLines(List<String> lines) {
        List<byte[]> raw = Wording.rawLines(connection().received());
        if (raw.size() != lines.size()) {
            raw = new ArrayList<>(lines.size());
            for (String line : lines) {
                raw.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return Messages.count(lines.size(), "line", "lines") + (lines.isEmpty() ? "" : ":") + NEWLINE
                + Wording.lines(raw, "connection.receivedLines()");
    }

    /** A bounded stand-in for a long value, for the IDE's comparison of actual and expected. */
    private static String shown(String text) {
        return Messages.abbreviate(text, Messages.MAX_TRANSCRIPT);
    }

    /** A bounded stand-in for a long list, for the IDE's comparison of actual and expected. */
    private static List<String> shown(List<String> lines) {
        if (lines.size() <= Messages.MAX_LISTED) {
            return lines.stream().map(line -> Messages.abbreviate(line, Messages.MAX_TEXT)).toList();
        }
        List<String> shown = new ArrayList<>();
        lines.subList(0, Messages.MAX_LISTED).forEach(line -> shown.add(Messages.abbreviate(line, Messages.MAX_TEXT)));
        shown.add("... and " + Messages.count(lines.size() - Messages.MAX_LISTED, "more line", "more lines"));
        return shown;
    }

    /** Returns {@code "Expected connection #1 from ... <what>"} followed by the transcript. */
    private String describe(String what) {
        return "Expected " + Wording.connection(actual) + " " + what + Wording.transcript(actual);
    }
}
