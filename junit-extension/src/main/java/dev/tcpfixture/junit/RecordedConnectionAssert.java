package dev.tcpfixture.junit;

import static dev.tcpfixture.junit.Messages.NEWLINE;
import static dev.tcpfixture.junit.Settling.settle;

import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import dev.tcpfixture.Side;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions about a {@link RecordedConnection}: what the client sent, what the server sent, who
 * closed. Every failure message shows the expected and the actual value and the transcript of the connection.
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
            failWithActualExpectedAndMessage(lines, List.of(line), "%s", describe("to have received the line:"
                    + NEWLINE + "  " + Messages.quote(line) + NEWLINE + "but it received these lines:" + NEWLINE
                    + Messages.lines(lines)));
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
            failWithActualExpectedAndMessage(received, expected, "%s", describe("to have received these lines "
                    + "in this order:" + NEWLINE + Messages.lines(expected) + NEWLINE + "but it received:" + NEWLINE
                    + Messages.lines(received) + NEWLINE + "of which the line " + Messages.quote(expected.get(next))
                    + " (and any after it) is missing"));
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
            failWithActualExpectedAndMessage(received, expected, "%s", describe("to have received exactly these "
                    + "lines:" + NEWLINE + Messages.lines(expected) + NEWLINE + "but it received:" + NEWLINE
                    + Messages.lines(received)));
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
            failWithActualExpectedAndMessage(received, text, "%s", describe("to have received exactly the text:"
                    + NEWLINE + "  " + Messages.quote(text) + NEWLINE + "but it received:" + NEWLINE + "  "
                    + Messages.quote(received)));
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
            failWithActualExpectedAndMessage(received, text, "%s", describe("to have received text containing:"
                    + NEWLINE + "  " + Messages.quote(text) + NEWLINE + "but it received:" + NEWLINE + "  "
                    + Messages.quote(received)));
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
            failWithActualExpectedAndMessage(received, bytes, "%s", describe("to have received exactly:" + NEWLINE
                    + "  " + Messages.bytes(bytes) + NEWLINE + "but it received:" + NEWLINE + "  "
                    + Messages.bytes(received)));
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
            failWithActualExpectedAndMessage(received, new byte[0], "%s", describe("to have received nothing, but "
                    + "it received " + count + " bytes:" + NEWLINE + "  " + Messages.bytes(received)));
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
                    + connection.receivedByteCount() + " bytes, all of them recorded"));
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
            failWithActualExpectedAndMessage(sent, text, "%s", describe("to have sent exactly the text:" + NEWLINE
                    + "  " + Messages.quote(text) + NEWLINE + "but the server sent:" + NEWLINE + "  "
                    + Messages.quote(sent)));
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
            failWithActualExpectedAndMessage(sent, bytes, "%s", describe("to have sent exactly:" + NEWLINE + "  "
                    + Messages.bytes(bytes) + NEWLINE + "but the server sent:" + NEWLINE + "  "
                    + Messages.bytes(sent)));
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
            failWithMessage("%s", describe("to have no failures, but it has " + failures.size() + ":" + NEWLINE
                    + Messages.failures(failures)));
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
            failWithMessage("%s", describe("to have a failure containing:" + NEWLINE + "  " + Messages.quote(text)
                    + NEWLINE + (failures.isEmpty() ? "but it has no failures"
                            : "but its failures are:" + NEWLINE + Messages.failures(failures))));
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
        objects.assertNotNull(info, actual);
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

    /** Returns {@code "Expecting connection #1 from ... <what>"} followed by the transcript. */
    private String describe(String what) {
        return "Expecting " + Messages.connection(actual) + " " + what + Messages.transcript(actual);
    }
}
