package dev.tcpfixture;

import dev.tcpfixture.internal.Messages;
import dev.tcpfixture.internal.ScriptText;
import dev.tcpfixture.internal.ServerSettings;
import dev.tcpfixture.internal.Step;
import dev.tcpfixture.internal.StepForm;
import dev.tcpfixture.internal.StepForm.Kind;
import dev.tcpfixture.internal.Steps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What the fake server does on one connection: an immutable list of steps, built fluently. Every method
 * returns a new script with one more step, in constant time (the new script shares the steps before it); a
 * script can be reused and shared, and one of many thousands of steps builds in time linear in its length.
 *
 * <pre>{@code
 * Script smtp = Script.create()
 *         .sendLine("220 mail.test ESMTP")
 *         .expectLine("HELO client.test")
 *         .sendLine("250 Hello")
 *         .expectLine("QUIT")
 *         .sendLine("221 Bye")
 *         .close();
 * }</pre>
 *
 * <p>Steps that wait for the client ({@code expect...}, {@code skip...}) wait at most the step timeout (the
 * server's, or the one set by {@link #withStepTimeout(Duration)}). If the client sends something else, closes
 * early, or sends nothing in time, the server records a {@link ScriptFailure} with the transcript and closes
 * the connection; {@link FakeTcpServer#verify()} turns it into an {@link AssertionError}.
 *
 * <p>When the last step is done and the connection is still open, the server goes on reading and recording
 * until the client closes (then closes too) or the server is closed.
 *
 * @since 0.1
 */
public final class Script {

    private static final Script EMPTY = new Script(null, null, null);
    private static final int FILE_LIMIT = 64 * 1024 * 1024; // what save writes and load reads

    private final Script previous; // the script this one extends by one step; null for the empty script
    private final Step last; // null for the empty script
    private final StepForm form; // what the last step is as data, for the text form; null for the empty script
    private final int size;
    private volatile List<Step> steps; // made from the chain when first needed

    private Script(Script previous, Step last, StepForm form) {
        this.previous = previous;
        this.last = last;
        this.form = form;
        this.size = previous == null ? 0 : previous.size + 1;
    }

    /**
     * Returns the empty script: accept, then read and record until the client closes.
     *
     * @return a script with no steps
     */
    public static Script create() {
        return EMPTY;
    }

    private Script then(Step step) {
        return then(step, null); // a step without a text form
    }

    private Script then(Step step, StepForm form) {
        if (last != null && last.isFinal()) {
            throw new IllegalStateException("no step can follow \"" + last.description()
                    + "\"; it ends the conversation");
        }
        return new Script(this, step, form); // shares every step before: no copy
    }

    // ---- sending ----

    /**
     * Sends bytes.
     *
     * @param data the bytes to send
     * @return the script with this step added
     */
    public Script send(byte[] data) {
        Objects.requireNonNull(data, "data");
        byte[] copy = data.clone();
        return then(Steps.sendCopied(copy), StepForm.of(Kind.SEND_BYTES, copy));
    }

    /**
     * Sends text, encoded with the server's charset (UTF-8 unless configured), without adding a line ending.
     *
     * @param text the text to send
     * @return the script with this step added
     */
    public Script send(String text) {
        Objects.requireNonNull(text, "text");
        return then(Steps.sendText(text), StepForm.of(Kind.SEND_TEXT, text));
    }

    /**
     * Sends a line: the text followed by the line ending ({@code \r\n} unless changed with
     * {@link #withLineEnding(String)}).
     *
     * @param line the text of the line, without line ending
     * @return the script with this step added
     */
    public Script sendLine(String line) {
        Objects.requireNonNull(line, "line");
        return then(Steps.sendLine(line), StepForm.of(Kind.SEND_LINE, line));
    }

    /**
     * Sends {@code count} pseudo-random bytes: garbage for testing a client's parser. The same seed gives the
     * same bytes.
     *
     * @param count how many bytes to send
     * @param seed the seed of the generator
     * @return the script with this step added
     */
    public Script sendRandomBytes(int count, long seed) {
        requireNotNegative(count, "count");
        return then(Steps.sendRandomBytes(count, seed), StepForm.of(Kind.SEND_RANDOM, count, seed));
    }

    // ---- expecting ----

    /**
     * Expects exactly these bytes next from the client.
     *
     * @param expected the bytes the client must send
     * @return the script with this step added
     */
    public Script expect(byte[] expected) {
        Objects.requireNonNull(expected, "expected");
        byte[] copy = expected.clone();
        return then(Steps.expectBytesCopied(copy), StepForm.of(Kind.EXPECT_BYTES, copy));
    }

    /**
     * Expects exactly this text next from the client, encoded with the server's charset (UTF-8 unless
     * configured).
     *
     * @param expected the text the client must send, line endings included
     * @return the script with this step added
     */
    public Script expect(String expected) {
        Objects.requireNonNull(expected, "expected");
        return then(Steps.expectText(expected), StepForm.of(Kind.EXPECT_TEXT, expected));
    }

    /**
     * Expects the next line from the client to equal {@code expected}; the line ending ({@code \n} or
     * {@code \r\n}) is not part of the comparison. A failure shows the bytes of the line as the client sent
     * them.
     *
     * <p>A line that no client could send is rejected at once: one that holds {@code \n} or ends with
     * {@code \r} here, one longer than the server's {@linkplain FakeTcpServer.Builder#lineLimit(int) line limit}
     * when the script is {@linkplain FakeTcpServer#enqueue(Script) queued}.
     *
     * @param expected the line, without line ending
     * @return the script with this step added
     * @throws IllegalArgumentException if {@code expected} holds {@code \n} or ends with {@code \r}
     */
    public Script expectLine(String expected) {
        Objects.requireNonNull(expected, "expected");
        return then(Steps.expectLine(expected), StepForm.of(Kind.EXPECT_LINE, expected));
    }

    /**
     * Expects the next line from the client to match the predicate.
     *
     * @param condition the check the line must pass
     * @param description what the check means, shown in failures (for example {@code "starts with HELO"})
     * @return the script with this step added
     */
    public Script expectLine(Predicate<String> condition, String description) {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(description, "description");
        return then(Steps.expectLine(condition, description), StepForm.CODE);
    }

    /**
     * Expects the next line from the client to match the regular expression as a whole. The match takes at most
     * the step timeout: a pattern that backtracks too long on the line fails the step.
     *
     * @param regex the regular expression
     * @return the script with this step added
     * @throws java.util.regex.PatternSyntaxException if the expression is not valid
     */
    public Script expectLineMatching(String regex) {
        return then(Steps.expectLineMatching(Pattern.compile(regex)), StepForm.of(Kind.EXPECT_LINE_MATCHING, regex));
    }

    /**
     * Reads one line from the client and ignores it.
     *
     * @return the script with this step added
     */
    public Script skipLine() {
        return then(Steps.skipLine(), StepForm.of(Kind.SKIP_LINE));
    }

    /**
     * Reads lines from the client up to and including the first one equal to {@code line}; for example
     * {@code skipLinesThrough("")} reads the rest of an HTTP request head.
     *
     * @param line the last line to read, without line ending
     * @return the script with this step added
     * @throws IllegalArgumentException if {@code line} holds {@code \n} or ends with {@code \r}, so that no line
     *     could equal it (and, when the script is queued, if it is longer than the server's line limit)
     */
    public Script skipLinesThrough(String line) {
        Objects.requireNonNull(line, "line");
        return then(Steps.skipLinesThrough(line), StepForm.of(Kind.SKIP_LINES_THROUGH, line));
    }

    /**
     * Reads {@code count} bytes from the client and ignores them.
     *
     * @param count how many bytes
     * @return the script with this step added
     */
    public Script skipBytes(long count) {
        requireNotNegative(count, "count");
        return then(Steps.skipBytes(count), StepForm.of(Kind.SKIP_BYTES, count));
    }

    // ---- time and custom code ----

    /**
     * Waits before the next step, for example to delay a reply.
     *
     * @param duration how long to wait, positive
     * @return the script with this step added
     * @throws IllegalArgumentException if {@code duration} is zero or negative
     */
    public Script pause(Duration duration) {
        return then(Steps.pause(requirePositive(duration, "duration")), StepForm.of(Kind.PAUSE, duration));
    }

    /**
     * Answers every line the client sends, until it closes: each line goes through {@code responder}, and
     * its result is sent back as a line. A {@code null} result sends nothing. Ends the script.
     *
     * @param responder gives the answer to a line
     * @return the script with this step added
     */
    public Script answerLines(Function<String, String> responder) {
        Objects.requireNonNull(responder, "responder");
        return then(Steps.answerLines(responder), StepForm.CODE);
    }

    /**
     * Sends back every byte the client sends, until it closes. Ends the script.
     *
     * @return the script with this step added
     */
    public Script echo() {
        return then(Steps.echo(), StepForm.of(Kind.ECHO));
    }

    /**
     * Runs custom code with the connection's recorded streams, for what the other steps do not cover.
     *
     * @param handler the code to run
     * @return the script with this step added
     */
    public Script handle(ConnectionHandler handler) {
        return handle("custom handler", handler);
    }

    /**
     * Runs custom code with the connection's recorded streams, described for transcripts and failures.
     *
     * <p>When the client closes or resets the connection, the handler's reads end: {@link Exchange#readLine()}
     * returns {@code null} and {@code input().read} returns {@code -1}; a write then throws
     * {@link ConnectionClosedException}. A handler that returns, or lets that exception propagate, because the
     * client hung up is not a failure, unless a later step still expects input from the client (then that step
     * fails). Whatever else the handler throws is recorded as a failure, and so is a handler still running when
     * the server is closed.
     *
     * @param description what the handler does, for example {@code "answer a length-prefixed frame"}
     * @param handler the code to run
     * @return the script with this step added
     */
    public Script handle(String description, ConnectionHandler handler) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(handler, "handler");
        return then(Steps.handle(description, handler), StepForm.CODE);
    }

    // ---- delivery faults ----

    /**
     * Makes the following sends trickle: {@code chunkSize} bytes, then a pause of {@code interval}, and so
     * on.
     *
     * @param chunkSize how many bytes to write at a time
     * @param interval the pause between writes, positive
     * @return the script with this step added
     * @throws IllegalArgumentException if {@code chunkSize} or {@code interval} is zero or negative
     */
    public Script drip(int chunkSize, Duration interval) {
        requirePositive(chunkSize, "chunkSize");
        return then(Steps.drip(chunkSize, requirePositive(interval, "interval")),
                StepForm.of(Kind.DRIP, chunkSize, interval));
    }

    /**
     * Splits each of the following sends into separate writes of the given sizes; what remains after them
     * goes in one last write.
     *
     * @param sizes the sizes of the writes, in bytes
     * @return the script with this step added
     */
    public Script fragment(int... sizes) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException("at least one fragment size is needed");
        }
        for (int size : sizes) {
            requirePositive(size, "fragment size");
        }
        return then(Steps.fragment(sizes), StepForm.of(Kind.FRAGMENT, sizes.clone()));
    }

    /**
     * Makes the following sends go out whole again, after {@link #drip} or {@link #fragment}.
     *
     * @return the script with this step added
     */
    public Script deliverWhole() {
        return then(Steps.deliverWhole(), StepForm.of(Kind.DELIVER_WHOLE));
    }

    /**
     * Closes the connection (FIN) as soon as {@code byteCount} more bytes have been sent; the rest of the
     * send that crosses the limit is dropped, and so are the steps after it.
     *
     * @param byteCount how many bytes may still be sent
     * @return the script with this step added
     */
    public Script closeAfterSending(long byteCount) {
        requireNotNegative(byteCount, "byteCount");
        return then(Steps.closeAfterSending(byteCount), StepForm.of(Kind.CLOSE_AFTER_SENDING, byteCount));
    }

    // ---- settings ----

    /**
     * Uses {@code lineEnding} for the following {@link #sendLine} and {@link #answerLines} steps.
     *
     * @param lineEnding the line ending, for example {@code "\n"}
     * @return the script with this step added
     */
    public Script withLineEnding(String lineEnding) {
        Objects.requireNonNull(lineEnding, "lineEnding");
        return then(Steps.lineEnding(lineEnding), StepForm.of(Kind.LINE_ENDING, lineEnding));
    }

    /**
     * Encodes and decodes the text of the following steps with {@code charset} instead of the server's: what
     * they send and expect is then the same bytes on any server. {@link RecordedConnection#toScript()} adds this
     * step before the first text with characters outside ASCII, so that a saved recording replays the bytes it
     * recorded.
     *
     * @param charset a charset that encodes ASCII, and so line endings, as single bytes, as the server's must
     * @return the script with this step added
     * @throws IllegalArgumentException if the charset cannot encode, or encodes ASCII otherwise (UTF-16)
     */
    public Script withCharset(Charset charset) {
        ServerSettings.requireLineCharset(charset);
        return then(Steps.charset(charset), StepForm.of(Kind.CHARSET, charset));
    }

    /**
     * Uses {@code timeout} for the following steps that wait for the client.
     *
     * @param timeout how long each such step waits at most, positive
     * @return the script with this step added
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Script withStepTimeout(Duration timeout) {
        return then(Steps.stepTimeout(requirePositive(timeout, "timeout")), StepForm.of(Kind.STEP_TIMEOUT, timeout));
    }

    // ---- ending ----

    /**
     * Shuts down the server's output (half-close, FIN): the client reads end-of-stream but may still send,
     * and later steps may still read.
     *
     * @return the script with this step added
     */
    public Script shutdownOutput() {
        return then(Steps.shutdownOutput(), StepForm.of(Kind.SHUTDOWN_OUTPUT));
    }

    /**
     * Upgrades the connection to TLS in mid-conversation (SMTP {@code STARTTLS}, the Postgres {@code SSLRequest},
     * FTP {@code AUTH TLS}) with the server's TLS settings ({@link FakeTcpServer.Builder#startTls(
     * javax.net.ssl.SSLContext) FakeTcpServer.builder().startTls(sslContext)}): runs the handshake, bounded by
     * the step timeout, and the steps after it speak TLS on the same connection; the recording stays plaintext.
     * Typically after the step that sends the server's go-ahead ({@code 220 Ready to start TLS}). A failed
     * handshake is noted with its reason and ends the connection. Queuing a script with this step on a server
     * without such settings, or one that speaks TLS from the first byte, throws {@link IllegalStateException}.
     *
     * @return the script with this step added
     */
    public Script startTls() {
        return then(Steps.startTls(), StepForm.of(Kind.START_TLS));
    }

    /**
     * Closes the connection normally (FIN). Ends the script.
     *
     * @return the script with this step added
     */
    public Script close() {
        return then(Steps.close(), StepForm.of(Kind.CLOSE));
    }

    /**
     * Resets the connection (RST, by closing with {@code SO_LINGER} 0): the client's next read (or a write
     * after the RST arrived) throws {@code java.net.SocketException: Connection reset}. Ends the script.
     *
     * <p>If nothing came from the client yet on this connection, the reset waits for its first bytes or its
     * close, at most the step timeout: a reset sent earlier could reach a client still inside
     * {@code connect(address, timeout)}, which would then fail instead of the read after it, at random. So
     * {@code connect} always succeeds, and a client that writes first sees the reset on the read after its
     * write, every time; a client that reads first sees it once the step timeout has passed, unless its own
     * read timeout fires first.
     *
     * @return the script with this step added
     */
    public Script reset() {
        return then(Steps.reset(), StepForm.of(Kind.RESET));
    }

    /**
     * Never answers again: the server keeps the connection open, reading and recording, until the client
     * gives up or the server is closed. Ends the script.
     *
     * @return the script with this step added
     */
    public Script stall() {
        return then(Steps.stall(), StepForm.of(Kind.STALL));
    }

    /**
     * TLS handshake fault: the server reads the client's ClientHello and never answers. Runs in plaintext in
     * place of the handshake: as the first step on a server that speaks TLS from the first byte
     * ({@link FakeTcpServer.Builder#tls(javax.net.ssl.SSLContext) tls(...)}), which then skips its automatic
     * handshake, or where {@link #startTls()} would be on a server built with {@code startTls(...)}. The recording
     * holds the ClientHello as received bytes and the note {@code ClientHello received, N bytes}; then, like
     * {@link #stall()}, the server reads and records until the client gives up or the server is closed. Ends the
     * script.
     *
     * <p>A JDK client sees its own read timeout: {@code SSLSocket.startHandshake()} with
     * {@code setSoTimeout(...)}, and {@code HttpsURLConnection} with {@code setReadTimeout(...)}, throw
     * {@code java.net.SocketTimeoutException: Read timed out}; without a read timeout the client waits forever.
     * Its {@code connect} succeeds, timed or not.
     *
     * <p>Queuing the step on a server without TLS settings, or after other steps on a server that speaks TLS
     * from the first byte, throws {@link IllegalStateException}. A client that closes the connection before
     * its ClientHello is complete, or sends something else, is a failure of the script.
     *
     * @return the script with this step added
     */
    public Script tlsStall() {
        return then(Steps.tlsStall(), StepForm.of(Kind.TLS_STALL));
    }

    /**
     * TLS handshake fault, the classic "HTTP on the HTTPS port": the server reads the client's ClientHello,
     * answers it with {@code reply} in plaintext (in the server's charset), for example
     * {@code plaintextReply("HTTP/1.1 400 Bad Request\r\n\r\n")}, and closes the connection (FIN). Runs in
     * plaintext in place of the handshake, as {@link #tlsStall()} does. Ends the script.
     *
     * <p>A JDK client fails its handshake when it reads the reply's first bytes as a TLS record header:
     * {@code SSLSocket.startHandshake()} and {@code HttpsURLConnection} throw
     * {@code javax.net.ssl.SSLException: Unsupported or unrecognized SSL message}. Its {@code connect}
     * succeeds, timed or not.
     *
     * @param reply the plaintext the server answers with
     * @return the script with this step added
     */
    public Script plaintextReply(String reply) {
        Objects.requireNonNull(reply, "reply");
        return then(Steps.plaintextReply(reply), StepForm.of(Kind.PLAINTEXT_REPLY, reply));
    }

    /**
     * TLS handshake fault: the server reads the client's ClientHello, then resets the connection (RST, as
     * {@link #reset()}). Runs in plaintext in place of the handshake, as {@link #tlsStall()} does. The reset
     * comes only after the whole ClientHello arrived, so the client's {@code connect}, timed or not, always
     * succeeds and the reset always hits its handshake. Ends the script.
     *
     * <p>A JDK client fails its handshake with the reset: {@code SSLSocket.startHandshake()} and
     * {@code HttpsURLConnection} throw {@code java.net.SocketException: Connection reset}.
     *
     * @return the script with this step added
     */
    public Script resetDuringHandshake() {
        return then(Steps.resetDuringHandshake(), StepForm.of(Kind.RESET_DURING_HANDSHAKE));
    }

    /**
     * TLS certificate fault for this connection only: the handshake presents a certificate with {@code fault} (see
     * {@link TlsFault} for what a JDK client sees), with the server's other TLS options, where
     * {@link FakeTcpServer.Builder#tls(TlsFault)} would do it for every connection. Runs in place of the handshake,
     * as {@link #tlsStall()} does: as the first step on a server that speaks TLS from the first byte, or where
     * {@link #startTls()} would be on a server built with {@code startTls(...)}. A client that refuses the
     * certificate ends the connection, and the transcript notes "TLS handshake failed: ..."; that is a failure of
     * the script only if later steps expect something from the client. A client that accepts it anyway (one that
     * does not check host names, for {@link TlsFault#WRONG_HOST}) goes on: the steps after this one speak TLS.
     *
     * <p>The certificates come from {@code dev.tcpfixture:tcpfixture-tls}, as for {@link FakeTcpServer.Builder#tls()};
     * clients trust the normal authority through {@link FakeTcpServer#tlsClient()}.
     *
     * @param fault what is to be wrong with the certificate
     * @return the script with this step added
     * @throws IllegalStateException if {@code tcpfixture-tls} is not on the class path or module path
     */
    public Script tlsFault(TlsFault fault) {
        Objects.requireNonNull(fault, "fault");
        return then(Steps.tlsFault(fault), StepForm.of(Kind.TLS_FAULT, fault));
    }

    /**
     * Returns the descriptions of the steps, in order.
     *
     * @return one description per step
     */
    public List<String> describeSteps() {
        List<Step> all = steps();
        String[] descriptions = new String[all.size()];
        for (int i = 0; i < descriptions.length; i++) {
            descriptions[i] = all.get(i).description();
        }
        return List.of(descriptions);
    }

    /** Returns the steps in order, made once from the chain of scripts, without recursion. */
    List<Step> steps() {
        List<Step> made = steps;
        if (made == null) {
            Step[] all = new Step[size];
            Script script = this;
            for (int i = size - 1; i >= 0; i--) {
                all[i] = script.last;
                script = script.previous;
            }
            made = List.of(all);
            steps = made;
        }
        return made;
    }

    /**
     * Describes the script: its steps, with payloads shortened to their start and end, and of a long script
     * only the first and the last ten steps: {@code Script[send line "220 ready", ... 9980 steps omitted ...,
     * close]}. For every step: {@link #describeSteps()}.
     *
     * @return the description, bounded whatever the script holds
     */
    @Override
    public String toString() {
        return "Script" + Steps.describe(steps());
    }

    private static void requireNotNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + Messages.duration(value));
        }
        return value;
    }

    // ---- text form: record, save, edit, load ----

    /**
     * Returns the script as text, one step per line, in the words of a transcript: what {@link #save(Path)}
     * writes and {@link #parse(String)} reads back to the same steps.
     *
     * <pre>
     * # tcpfixture script: one step per line (see Script.parse)
     * server&gt; line "220 mail.test ESMTP"
     * client&gt; line matching /HELO [a-z.]+/
     * server&gt; "250 Hello\r\n"
     * close
     * </pre>
     *
     * @return the text, whatever the size of the payloads: each step is one line
     * @throws IllegalStateException if a step runs code ({@link #handle(ConnectionHandler) handle(...)},
     *     {@link #answerLines(Function) answerLines(...)}, {@link #expectLine(Predicate, String) expectLine(Predicate,
     *     ...)}), naming it
     */
    public String format() {
        return ScriptText.format(steps(), forms());
    }

    /**
     * Writes the script to a file as {@link #format()} does, in UTF-8, in one write to a file beside it that
     * then replaces {@code file} (atomically where the file system can).
     *
     * @param file the file to write
     * @throws IOException if the file cannot be written
     * @throws IllegalStateException if a step runs code, naming it, or if the text would be larger than
     *     {@link #load(Path)} reads (64 MiB)
     */
    public void save(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] text = format().getBytes(StandardCharsets.UTF_8);
        if (text.length > FILE_LIMIT) {
            throw new IllegalStateException("Expected a script of at most 64 MiB in its text form to save, but it "
                    + "has " + text.length + " bytes; keep it in memory, or record less");
        }
        Path absolute = file.toAbsolutePath();
        // a new file beside the target, made as any file the user writes (createTempFile would make it 0600)
        Path temporary = absolute.resolveSibling(absolute.getFileName() + "." + System.nanoTime() + ".tmp");
        try {
            Files.write(temporary, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a script from its text form, one step per line (the format of {@link #format()}):
     *
     * <table>
     * <caption>Steps</caption>
     * <tr><td>{@code server> "\x00\x01ok\r\n"}</td><td>{@link #send(byte[])}: bytes as in a transcript</td></tr>
     * <tr><td>{@code server> text "..."} / {@code line "..."}</td><td>{@link #send(String)} /
     *     {@link #sendLine(String)}</td></tr>
     * <tr><td>{@code server> random 100 bytes seed 42}</td><td>{@link #sendRandomBytes(int, long)}</td></tr>
     * <tr><td>{@code client> "..."} / {@code text "..."} / {@code line "..."}</td><td>{@link #expect(byte[])} /
     *     {@link #expect(String)} / {@link #expectLine(String)}</td></tr>
     * <tr><td>{@code client> line matching /HELO \w+/}</td><td>{@link #expectLineMatching(String)}: the
     *     expression between the first and the last slash, as is</td></tr>
     * <tr><td>{@code client> skip line} / {@code skip lines through ""} / {@code skip 16 bytes}</td>
     *     <td>{@link #skipLine()} / {@link #skipLinesThrough(String)} / {@link #skipBytes(long)}</td></tr>
     * <tr><td>{@code pause 250 ms}, {@code step timeout 2 s}</td><td>{@link #pause(Duration)},
     *     {@link #withStepTimeout(Duration)}: units ns, us, ms, s, min, h</td></tr>
     * <tr><td>{@code drip 1 byte every 10 ms}, {@code fragment 1 2 3}, {@code deliver whole},
     *     {@code close after sending 10 bytes}</td><td>the delivery faults</td></tr>
     * <tr><td>{@code charset ISO-8859-1}</td><td>{@link #withCharset(Charset)}: a name the JDK knows</td></tr>
     * <tr><td>{@code line ending "\n"}, {@code shutdown output}, {@code start tls}, {@code echo},
     *     {@code close}, {@code reset}, {@code stall}, {@code tls stall}, {@code plaintext reply "..."},
     *     {@code reset during handshake}, {@code tls fault EXPIRED}</td><td>the steps of the same names</td></tr>
     * </table>
     *
     * <p>Bytes between quotes are printable ASCII and the escapes {@code \r \n \t \" \\ \xNN}; text between
     * quotes is characters, with the same escapes ({@code \xNN} below {@code \x80} only) and
     * {@code \}{@code uNNNN}. A line starting with {@code #} is a comment, and so is the rest of a line after a
     * step, a blank and {@code #}; blank lines are ignored; a time stamp such as {@code +0.012s} at the start of
     * a line is ignored, so that lines copied from a transcript read as steps.
     *
     * @param text the text
     * @return the script
     * @throws IllegalArgumentException if a line is not a step, with its number and text
     */
    public static Script parse(String text) {
        Objects.requireNonNull(text, "text");
        return ScriptText.parse(text, "script text");
    }

    /**
     * Reads a script from a UTF-8 file in the format of {@link #parse(String)}, of at most 64 MiB.
     *
     * @param file the file
     * @return the script
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a line is not a step (with the file's name, the line's number and
     *     text), the file is not UTF-8, or it is larger than 64 MiB (then no more than that is read)
     */
    public static Script load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(FILE_LIMIT + 1);
        }
        if (bytes.length > FILE_LIMIT) {
            throw new IllegalArgumentException("Expected a script file of at most 64 MiB, but " + file + " has more");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Expected a script in UTF-8 text, but " + file + " is not UTF-8", e);
        }
        return ScriptText.parse(text, file.toString());
    }

    /**
     * Returns this script with every {@link #expectLine(String) expectLine} step whose line matches
     * {@code regex} as a whole turned into {@link #expectLineMatching(String) expectLineMatching(regex)}: for a
     * recorded conversation, a line that changes from run to run (a time stamp, a session id) then passes
     * whatever its value. For example {@code recorded.withLinesMatching("HELO client-\\d+")}.
     *
     * @param regex the regular expression, which the recorded lines to loosen match and the client's lines must
     *     match
     * @return a new script; this one is unchanged
     * @throws java.util.regex.PatternSyntaxException if the expression is not valid
     * @throws IllegalArgumentException if no {@code expectLine} step of the script matches it (a mistake, most
     *     likely)
     */
    public Script withLinesMatching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        Script result = rebuilt((script, form) -> form.kind() == Kind.EXPECT_LINE
                && pattern.matcher((String) form.first()).matches() ? script.expectLineMatching(regex) : null);
        if (result == null) {
            throw new IllegalArgumentException("Expected an expectLine step whose line matches /" + regex
                    + "/, but none does: " + this);
        }
        return result;
    }

    /**
     * Returns this script with every {@link #expect(byte[]) expect(byte[])} step turned into
     * {@link #skipBytes(long) skipBytes} of as many bytes: for a recorded binary conversation, the replay then
     * checks how much the client sends at each turn, not what (a nonce, a time stamp, a random id). In a saved
     * script, the same by hand: {@code client> skip 16 bytes} in place of {@code client> "..."}.
     *
     * @return a new script; this one is unchanged
     * @throws IllegalArgumentException if the script has no {@code expect(byte[])} step (a mistake, most likely)
     */
    public Script withExpectedBytesSkipped() {
        Script result = rebuilt((script, form) -> form.kind() == Kind.EXPECT_BYTES
                ? script.skipBytes(((byte[]) form.first()).length) : null);
        if (result == null) {
            throw new IllegalArgumentException("Expected an expect(byte[]) step to skip, but there is none: " + this);
        }
        return result;
    }

    /**
     * Builds this script again, step by step, with the steps that {@code replacement} adds in place of the old
     * (it returns {@code null} to keep one).
     *
     * @return the new script, or {@code null} if no step was replaced
     */
    private Script rebuilt(java.util.function.BiFunction<Script, StepForm, Script> replacement) {
        List<Step> all = steps();
        List<StepForm> forms = forms();
        Script result = EMPTY;
        boolean changed = false;
        for (int i = 0; i < all.size(); i++) {
            StepForm form = forms.get(i);
            Script replaced = form == null ? null : replacement.apply(result, form);
            changed |= replaced != null;
            result = replaced != null ? replaced : result.then(all.get(i), form);
        }
        return changed ? result : null;
    }

    /** Returns the forms of the steps in order: what each is as data, {@code null} for one without a form. */
    private List<StepForm> forms() {
        StepForm[] all = new StepForm[size];
        Script script = this;
        for (int i = size - 1; i >= 0; i--) {
            all[i] = script.form;
            script = script.previous;
        }
        return java.util.Arrays.asList(all);
    }
}
