package dev.tcpfixture.internal;

import dev.tcpfixture.Exchange;
import dev.tcpfixture.internal.ConnectionEndedException.Reason;
import dev.tcpfixture.internal.ConnectionState.Phase;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * One connection as the steps of its script see it: its {@linkplain RecordedInput input},
 * {@linkplain PacedOutput output}, {@linkplain StepSettings settings} and {@linkplain ConnectionState state},
 * and closing it. Used by the connection's worker; only {@link #isQuiet()} and {@link #closeForShutdown()} are
 * called from other threads.
 */
public final class Session implements RecordedInput.Ending {

    /** The deadline of reads that wait until the client or the server ends the connection. */
    static final long NO_DEADLINE = Deadlines.NONE;

    private static final int CLOSE_DRAIN_LIMIT = 1024 * 1024;
    private static final long CLOSE_DRAIN_NANOS = 100_000_000L;

    private final SocketChannel channel;
    private final ConnectionRecorder recorder;
    private final ConnectionState state;
    private final ChannelWaiter waiter;
    private final RecordedInput input;
    private final PacedOutput output;
    private final StepSettings settings;
    private final ShutdownSignal shutdown;
    private final AtomicBoolean closed = new AtomicBoolean();
    private SessionExchange exchange; // made for the first handler step
    private boolean outputShut;
    private Reason lastEnding; // why the connection ended, as last reported to a step; worker only
    private final TlsSettings tlsSettings; // null if the server has none
    private TlsLayer tls; // set when the handshake starts; worker only
    private boolean handshakeFailed; // worker only

    Session(SocketChannel channel, ConnectionRecorder recorder, ServerSettings serverSettings,
            ShutdownSignal shutdown, ChangeSignal changes) {
        this.channel = channel;
        this.recorder = recorder;
        this.shutdown = shutdown;
        this.state = new ConnectionState(changes);
        this.waiter = new ChannelWaiter(channel);
        this.input = new RecordedInput(channel, recorder, state, waiter, serverSettings.lineLimit(), this);
        this.output = new PacedOutput(channel, recorder, state, waiter, this);
        this.settings = new StepSettings(serverSettings.stepTimeout());
        this.tlsSettings = serverSettings.tls();
    }

    // ---- state that steps change ----

    Duration stepTimeout() {
        return settings.stepTimeout();
    }

    void stepTimeout(Duration timeout) {
        settings.stepTimeout(timeout);
    }

    String lineEnding() {
        return settings.lineEnding();
    }

    void lineEnding(String ending) {
        settings.lineEnding(ending);
    }

    void delivery(Delivery delivery) {
        settings.delivery(delivery);
    }

    void sendLimit(long bytes) {
        settings.sendLimit(bytes);
    }

    /** The charset of the steps' text: the server's, unless a step set another. */
    Charset charset() {
        Charset set = settings.charset();
        return set != null ? set : recorder.charset();
    }

    void charset(Charset charset) {
        settings.charset(charset);
    }

    ConnectionRecorder recorder() {
        return recorder;
    }

    SocketChannel channel() {
        return channel;
    }

    Exchange exchange() {
        if (exchange == null) {
            exchange = new SessionExchange(this);
        }
        return exchange;
    }

    void note(String detail) {
        recorder.note(detail);
    }

    long deadlineAfter(Duration timeout) {
        return Deadlines.after(timeout);
    }

    // ---- state ----

    /** The worker starts running the script. */
    void started() {
        state.moveToLocked(Phase.RUNNING);
    }

    /** The worker is done: releases the selector and, if still open, the socket. */
    void done() {
        waiter.close();
        if (closed.compareAndSet(false, true)) {
            closeChannel();
        }
        state.moveToLocked(Phase.ENDED);
    }

    /** The step that ran has ended: the input it took is judged; its thread carries no interrupt further. */
    void stepEnded() {
        Thread.interrupted();
        input.stepEnded();
    }

    /** Whether the connection processed everything its client delivered so far; see {@link RecordedInput}. */
    boolean isQuiet() {
        return input.isQuiet();
    }

    /** Describes where the worker is, for messages about a server that is not quiet. */
    String describeState() {
        state.lock().lock();
        try {
            return state.phase().description();
        } finally {
            state.lock().unlock();
        }
    }

    /**
     * Runs {@code wait} with the connection counted as waiting for the server, so that a step that waits for the
     * server to be quiet (a call of {@code verify()} from a handler) does not keep it busy itself.
     */
    <T> T whileAwaitingServer(Supplier<T> wait) {
        state.moveToLocked(Phase.AWAITING_SERVER);
        try {
            return wait.get();
        } finally {
            state.moveToLocked(Phase.RUNNING);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    // ---- reading ----

    /** Reads a line as the bytes the client sent, without the line ending; {@code null} at the client's close. */
    byte[] readLineBytes(long deadline) throws IOException {
        return input.readLine(deadline);
    }

    /** Reads a line decoded with the server's charset, without the line ending; {@code null} at the client's close. */
    String readLine(long deadline) throws IOException {
        byte[] line = input.readLine(deadline);
        return line == null ? null : new String(line, charset());
    }

    byte[] readBytes(int count, long deadline) throws IOException {
        return input.readBytes(count, deadline);
    }

    long skipBytes(long count, long deadline) throws IOException {
        return input.skipBytes(count, deadline);
    }

    byte[] readSome(long deadline) throws IOException {
        return input.readSome(deadline);
    }

    int read(byte[] target, int offset, int length) throws IOException {
        return input.read(target, offset, length, deadlineAfter(stepTimeout()));
    }

    int available() {
        return input.available();
    }

    String unread() {
        return input.unread();
    }

    boolean hasUnread() {
        return input.available() > 0;
    }

    /** Reads and records everything until the client closes the connection; then closes the server's side. */
    void drain() throws IOException {
        input.discardUntilEnd();
        close("server closed the connection after the client did");
    }

    // ---- writing ----

    /** Sends with the current delivery, honouring the send limit. */
    void send(byte[] data) throws IOException {
        int length = data.length;
        long limit = settings.sendLimit();
        boolean limitReached = false;
        if (limit >= 0 && length >= limit) {
            length = (int) limit;
            limitReached = true;
        }
        if (length > 0) {
            settings.delivery().deliver(this, data, length);
        }
        if (limit >= 0) {
            settings.sendLimit(limit - length);
        }
        if (limitReached) {
            close("server closed the connection after the send limit was reached");
            throw ending(Reason.SCRIPT_CLOSED, null);
        }
    }

    /** Writes one piece of a delivery. */
    void write(byte[] data, int offset, int length) throws IOException {
        if (tls == null) {
            output.write(data, offset, length, stepTimeout());
        } else {
            writeTls(data, offset, length);
        }
    }

    /** Wraps plaintext into records and writes them; records the plaintext of each record once it is written. */
    private void writeTls(byte[] data, int offset, int length) throws IOException {
        ByteBuffer source = ByteBuffer.wrap(data, offset, length);
        Duration timeout = stepTimeout();
        long deadline = deadlineAfter(timeout);
        while (source.hasRemaining()) {
            int from = source.position();
            SSLEngineResult result;
            try {
                result = tls.wrap(source);
            } catch (SSLException e) {
                throw ended(e);
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw ending(closed.get() || outputShut ? Reason.SCRIPT_CLOSED : Reason.TLS_FAILED, null);
            }
            output.writeCiphertext(tls.ciphertext(), length, timeout, deadline);
            recorder.sent(data, from, source.position() - from);
        }
    }

    // ---- TLS ----

    /**
     * Runs the TLS handshake, bounded by the step timeout: waits for the client's handshake bytes in
     * {@code AWAITING_INPUT}, and for it to read the server's in {@code AWAITING_CLIENT_READ}. Records the
     * handshake, or its failure, as a note.
     *
     * @throws ConnectionEndedException if the client ended the connection or the handshake failed (the connection
     *     is then closed)
     */
    void startTls() throws IOException {
        startTls(null);
    }

    /**
     * Runs the TLS handshake as {@link #startTls()} does, presenting the key of {@code context} (a faulty
     * certificate) with the server's parameters.
     *
     * @param context the context with the key to present; {@code null} for the server's own
     */
    void startTls(SSLContext context) throws IOException {
        if (tlsSettings == null) {
            throw new IllegalStateException("the server has no TLS settings"); // checked when the script is queued
        }
        tls = new TlsLayer(context == null ? tlsSettings : tlsSettings.withContext(context));
        input.upgrade(tls);
        try {
            switch (tls.handshake(input, output, stepTimeout(), deadlineAfter(stepTimeout()))) {
                case DONE -> recorder.note(tls.describeHandshake());
                case CLIENT_RESET -> {
                    recorder.note("TLS handshake failed: the client reset the connection");
                    throw ended(input.failure());
                }
                case CLIENT_CLOSED -> {
                    recorder.note("TLS handshake failed: the client closed the connection during the handshake");
                    throw ending(Reason.CLIENT_CLOSED, null);
                }
            }
        } catch (SSLException e) {
            try {
                tls.sendOwnNow(channel); // the alert that tells the client why, if the engine has one
            } catch (IOException | RuntimeException ignored) {
                // the client may be gone already
            }
            recorder.note("TLS handshake failed: " + Messages.abbreviate(String.valueOf(e.getMessage())));
            handshakeFailed = true; // the close that follows the failure's record waits for the client's close
            throw ending(Reason.TLS_FAILED, e);
        }
    }

    /**
     * Reads the client's ClientHello in plaintext mode, without answering it, for the handshake faults: the
     * first TLS record, header and body, which the recording keeps as received bytes. Notes
     * {@code ClientHello received, N bytes}.
     *
     * @param deadline when to give up waiting
     * @throws ExpectationFailure if the client sent something that is not a TLS handshake record, closed the
     *     connection before its ClientHello was complete, or sent nothing before the deadline
     * @throws ConnectionEndedException if the client reset the connection first
     */
    void readClientHello(long deadline) throws ExpectationFailure, IOException {
        try {
            byte[] header = input.readBytes(5, deadline);
            if (header.length == 5 && header[0] != 22) {
                throw new ExpectationFailure("expected a TLS ClientHello, but received " + Messages.quote(header)
                        + " (not a TLS handshake record)");
            }
            int length = header.length < 5 ? 0 : (header[3] & 0xff) << 8 | header[4] & 0xff;
            byte[] body = header.length < 5 ? new byte[0] : input.readBytes(length, deadline);
            if (header.length < 5 || body.length < length) {
                throw new ExpectationFailure("expected a TLS ClientHello, but the client closed the connection "
                        + "after " + Messages.count(header.length < 5 ? header.length : 5L + body.length, "byte",
                        "bytes") + " of it");
            }
            note("ClientHello received, " + Messages.count(5L + length, "byte", "bytes"));
        } catch (java.net.SocketTimeoutException e) {
            throw new ExpectationFailure("expected a TLS ClientHello within " + Messages.duration(stepTimeout())
                    + ", but it did not arrive");
        }
    }

    /** Sends close_notify, without waiting, if the connection speaks TLS and its output is still open. */
    private void closeTlsOutput() {
        if (tls != null && tls.handshakeDone() && !tls.engine().isOutboundDone()) {
            tls.engine().closeOutbound();
            try {
                tls.sendOwnNow(channel);
            } catch (IOException | RuntimeException ignored) {
                // the client may be gone already; the FIN or RST follows
            }
        }
    }

    /** @return whether the server is shutting down */
    boolean shuttingDown() {
        return shutdown.isTriggered();
    }

    /**
     * Waits for {@code duration}, or less if the server shuts down.
     *
     * @throws ConnectionEndedException if the server shut down while waiting
     */
    void delay(Duration duration) throws IOException {
        state.moveToLocked(Phase.PAUSED);
        try {
            if (shutdown.await(duration)) {
                throw ending(Reason.SERVER_SHUTDOWN, null);
            }
        } finally {
            state.moveToLocked(Phase.RUNNING);
        }
    }

    // ---- closing ----

    /** Makes the exception that tells a step the connection ended, and remembers why for the worker. */
    private ConnectionEndedException ending(Reason reason, Throwable cause) {
        lastEnding = reason;
        return new ConnectionEndedException(reason, cause);
    }

    /**
     * Returns why the connection ended, as last reported to a step through a {@link ConnectionEndedException},
     * or {@code null} if it was not: so that the worker knows a handler that gave up because the connection
     * ended from one that failed.
     */
    Reason lastEnding() {
        return lastEnding;
    }

    /**
     * Classifies an I/O failure: the server closed the socket itself, or else the client reset the connection
     * (a failing read or write on a socket the server did not close can only mean that).
     */
    @Override
    public IOException ended(IOException cause) {
        if (cause instanceof ConnectionEndedException ended) {
            lastEnding = ended.reason();
            return cause;
        }
        if (shutdown.isTriggered()) {
            return ending(Reason.SERVER_SHUTDOWN, cause);
        }
        if (closed.get()) {
            return ending(Reason.SCRIPT_CLOSED, cause);
        }
        if (cause instanceof SSLException) {
            recorder.note("TLS failed: " + Messages.abbreviate(String.valueOf(cause.getMessage())));
            return ending(Reason.TLS_FAILED, cause);
        }
        if (!channel.isOpen()) { // a handler closed the socket itself
            closed.set(true);
            recorder.serverClosed(false, "server closed the connection (a handler closed the socket)");
            return ending(Reason.SCRIPT_CLOSED, cause);
        }
        recorder.clientClosed(true);
        return ending(Reason.CLIENT_RESET, cause);
    }

    void shutdownOutput() throws IOException {
        if (!outputShut) {
            outputShut = true;
            closeTlsOutput();
            recorder.serverHalfClosed(); // first, so that it is recorded when the client sees the FIN
            channel.shutdownOutput();
        }
    }

    /** Closes with FIN, after reading what already arrived so that unread bytes do not turn it into RST. */
    void close(String detail) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        recorder.serverClosed(false, handshakeFailed ? detail + " after the TLS handshake failed" : detail);
        try {
            if (!outputShut) {
                closeTlsOutput();
                channel.shutdownOutput();
            }
            if (handshakeFailed) {
                dropUntilClientCloses();
            } else {
                input.dropArrived(CLOSE_DRAIN_LIMIT, System.nanoTime() + CLOSE_DRAIN_NANOS);
            }
        } catch (IOException ignored) {
            // the client may be gone already; closing below is all that matters
        } finally {
            closeChannel();
        }
    }

    /**
     * After a failed handshake, with the output shut down: waits for the client's close (at most the step timeout),
     * dropping what it still sends, so that the close never turns into a reset that overtakes the alert. See
     * {@link RecordedInput#dropUntilEnd(long, long)}. The failure is recorded before: the connection counts as quiet
     * meanwhile.
     */
    private void dropUntilClientCloses() {
        long dropped = input.dropUntilEnd(CLOSE_DRAIN_LIMIT, deadlineAfter(stepTimeout()));
        if (dropped > 0) {
            recorder.note("dropped " + Messages.count(dropped, "byte", "bytes")
                    + " the client sent after the failed handshake");
        }
    }

    /**
     * Resets the connection (RST). If nothing came from the client yet, it first waits, at most the step
     * timeout, for its first bytes or its close: before that, the reset could reach a client that is still
     * inside {@code connect}, and a timed connect would fail instead of the read after it.
     *
     * @param detail how the transcript names the reset
     */
    void reset(String detail) throws IOException {
        if (!input.awaitFirstInput(deadlineAfter(stepTimeout()))) {
            note("the client sent nothing within " + Messages.duration(stepTimeout()) + "; resetting anyway");
        }
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        recorder.serverClosed(true, detail);
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } finally {
            closeChannel();
        }
    }

    /**
     * Closes the socket from another thread because the server shuts down, and the waiter, which wakes the
     * worker. Under the connection's lock, so that it cannot fall between the worker's opening of the waiter
     * and its wait.
     */
    void closeForShutdown() {
        if (closed.compareAndSet(false, true)) {
            recorder.serverClosed(false, "server closed the connection (server shut down)");
        }
        state.lock().lock();
        try {
            waiter.close(); // deregisters the channel, so that closing it closes the socket at once
            channel.close(); // also when a step is closing it: that step may still be waiting
        } catch (IOException ignored) {
            // nothing more to do
        } finally {
            state.lock().unlock();
        }
    }

    /** Deregisters the channel from the waiter's selector, so that closing it really closes the socket. */
    private void closeChannel() {
        waiter.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // the socket is unusable either way
        }
    }
}
