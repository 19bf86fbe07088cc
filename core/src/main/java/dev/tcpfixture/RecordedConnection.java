package dev.tcpfixture;

import dev.tcpfixture.internal.RecordedScripts;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The live record of one connection a {@link FakeTcpServer} accepted: what the client sent, what the server
 * sent, when, and who closed first. It keeps changing while the connection is open; every method returns a
 * consistent snapshot.
 *
 * <p>Received and sent bytes are recorded up to the server's
 * {@linkplain FakeTcpServer.Builder#recordingLimit(int) recording limit} per direction; beyond it only the
 * counts go on, and {@link #receivedTruncated()} tells so.
 *
 * @since 0.1
 */
public interface RecordedConnection {

    /**
     * Returns the number of this connection on its server, starting at 1 in order of acceptance.
     *
     * @return the connection's id
     */
    int id();

    /**
     * Returns the client's address and port.
     *
     * @return the remote address of the connection
     */
    InetSocketAddress remoteAddress();

    /**
     * Returns when the server accepted the connection.
     *
     * @return the time of acceptance
     */
    Instant acceptedAt();

    /**
     * Returns the bytes received from the client so far, up to the recording limit.
     *
     * @return a copy of the recorded bytes
     */
    byte[] received();

    /**
     * Returns the received bytes decoded with the server's charset.
     *
     * @return the recorded text, possibly ending in a partial line
     */
    String receivedText();

    /**
     * Returns the complete lines received so far, without their line endings ({@code \n} or {@code \r\n}).
     *
     * @return the received lines; a trailing partial line is not included
     */
    List<String> receivedLines();

    /**
     * Returns how many bytes the client sent in all, including any beyond the recording limit.
     *
     * @return the total count of received bytes
     */
    long receivedByteCount();

    /**
     * Returns whether the client sent more than the recording limit, so that {@link #received()} is cut short.
     *
     * @return {@code true} if the received recording is truncated
     */
    boolean receivedTruncated();

    /**
     * Returns the bytes the server sent so far, up to the recording limit.
     *
     * @return a copy of the recorded bytes
     */
    byte[] sent();

    /**
     * Returns the sent bytes decoded with the server's charset.
     *
     * @return the text the server sent
     */
    String sentText();

    /**
     * Returns how many bytes the server sent in all.
     *
     * @return the total count of sent bytes
     */
    long sentByteCount();

    /**
     * Returns the events of this connection in order.
     *
     * @return an immutable snapshot of the events
     */
    List<TranscriptEvent> events();

    /**
     * Returns which side closed (or reset) the connection first, if either has.
     *
     * @return the side that closed first, or empty while both are open
     */
    Optional<Side> closedFirstBy();

    /**
     * Returns whether the client is still connected, as far as the server can tell: {@code false} once the
     * client closed or reset the connection, or once the server closed it.
     *
     * @return {@code true} while the connection is open on both sides
     */
    boolean isClientConnected();

    /**
     * Returns whether the server's socket for this connection is still open.
     *
     * @return {@code true} until the server's side of the connection is closed
     */
    boolean isOpen();

    /**
     * Waits until the client closes or resets the connection, or the server closes it.
     *
     * @param timeout how long to wait at most; zero only checks
     * @return {@code true} if the connection ended in time, {@code false} on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    boolean awaitClosed(Duration timeout) throws InterruptedException;

    /**
     * Waits until {@code condition} holds, checking it again whenever something is recorded on the server
     * (not on a clock), for example {@code connection.awaitUntil(() -> connection.receivedLines().size() >= 2,
     * Duration.ofSeconds(1))}.
     *
     * @param condition the condition, usually on this connection's record
     * @param timeout how long to wait at most; zero checks the condition once
     * @return {@code true} if the condition held in time, {@code false} on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    boolean awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException;

    /**
     * Waits until the server of this connection is quiet, as {@link FakeTcpServer#awaitQuiet()} does: then this
     * record holds everything the client did before the call.
     *
     * @return {@code true} if the server became quiet within its step timeout
     */
    boolean awaitQuiet();

    /**
     * Returns the failures recorded on this connection.
     *
     * @return an immutable snapshot of the failures
     */
    List<ScriptFailure> failures();

    /**
     * Returns a readable transcript of the conversation: one line per event, text as text, other bytes as
     * {@code \xNN}.
     *
     * @return the transcript
     */
    String transcript();

    /**
     * Returns the server's side of this conversation as a script, to replay it without the server that took
     * part (for example after recording through a proxy): what the server sent becomes send steps, what the
     * client sent expect steps, in the order they happened; the server's close, reset and half-close become
     * {@link Script#close()}, {@link Script#reset()} and {@link Script#shutdownOutput()} (a fake server's close
     * in answer to the client's needs no step: a script ends that way). Consecutive bytes of one direction are a
     * turn, however they came. A turn that is text in the server's charset (UTF-8 for other implementations of
     * this interface) becomes {@link Script#sendLine(String) sendLine} and {@link Script#expectLine(String)
     * expectLine} steps, one per line ({@link Script#withLineEnding(String) withLineEnding} where the server's
     * lines do not end with {@code \r\n}), and a text step for a rest without a line ending; any other turn is
     * one bytes step. Before the first text that is not plain ASCII, a
     * {@link Script#withCharset(java.nio.charset.Charset) withCharset} step names the charset it was recorded in,
     * so that the script sends and expects the recorded bytes on any server. A TLS upgrade in mid-conversation
     * becomes {@link Script#startTls()}. Pauses are not kept. Save the script with {@link Script#save}, edit it,
     * loosen it with
     * {@link Script#withLinesMatching(String)} or {@link Script#withExpectedBytesSkipped()}.
     *
     * @return the script of the conversation so far; call it once the connection is closed for all of it
     * @throws IllegalStateException if the recording is truncated (the recording limit was reached), so that
     *     no exact script can be made of it; the message says how to raise the limit
     */
    default Script toScript() {
        return RecordedScripts.toScript(this);
    }
}
