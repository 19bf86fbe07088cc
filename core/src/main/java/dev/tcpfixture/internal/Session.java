package dev.tcpfixture.internal;

import dev.tcpfixture.Exchange;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.internal.ConnectionEndedException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The server's side of one connection while its script runs: buffered, recorded reads with deadlines,
 * paced writes, closing, and the state that steps change (line ending, step timeout, delivery, send limit).
 * Used by one worker thread; only {@link #isBusy()} and {@link #closeForShutdown()} are called from others.
 *
 * <p>Reads block on the socket with {@code SO_TIMEOUT} as the deadline. Writes switch the channel to
 * non-blocking mode, so that a client that does not read makes the step fail after the step timeout instead
 * of blocking the server's thread for good.
 */
public final class Session implements Exchange {

    /** What the worker is doing, for deciding when the server is quiet. */
    enum Activity { BUSY, READING, WRITING, DELAYING, DONE }

    /** The deadline of reads that wait until the client or the server ends the connection. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final int CLOSE_DRAIN_LIMIT = 1024 * 1024;
    private static final long CLOSE_DRAIN_NANOS = 100_000_000L;

    private final Socket socket;
    private final SocketChannel channel;
    private final InputStream socketInput;
    private volatile Selector writeSelector;
    private final ConnectionRecorder recorder;
    private final ServerEngine engine;
    private final Object closeLock = new Object();

    /** Small at first, for the many short connections; doubled while reads fill it, up to the maximum. */
    private static final int INITIAL_BUFFER = 1_024;
    private static final int MAX_READ_BUFFER = 64 * 1024;

    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int start;
    private int end;
    private boolean endOfStream;
    private boolean outputShut;
    private boolean closed;

    private Duration stepTimeout;
    private String lineEnding = "\r\n";
    private Delivery delivery = Delivery.WHOLE;
    private long sendLimit = -1;
    private volatile Activity activity = Activity.BUSY;

    private final InputStream exchangeInput = new ExchangeInput();
    private final OutputStream exchangeOutput = new ExchangeOutput();

    Session(Socket socket, ConnectionRecorder recorder, ServerEngine engine) throws IOException {
        this.socket = socket;
        this.channel = socket.getChannel();
        this.socketInput = socket.getInputStream();
        this.recorder = recorder;
        this.engine = engine;
        this.stepTimeout = engine.settings().stepTimeout();
    }

    // ---- state that steps change ----

    Duration stepTimeout() {
        return stepTimeout;
    }

    void stepTimeout(Duration timeout) {
        this.stepTimeout = timeout;
    }

    String lineEnding() {
        return lineEnding;
    }

    void lineEnding(String ending) {
        this.lineEnding = ending;
    }

    void delivery(Delivery delivery) {
        this.delivery = delivery;
    }

    void sendLimit(long bytes) {
        this.sendLimit = bytes;
    }

    Charset charset() {
        return recorder.charset();
    }

    ConnectionRecorder recorder() {
        return recorder;
    }

    void note(String detail) {
        recorder.note(detail);
    }

    void activity(Activity activity) {
        this.activity = activity;
        engine.activityChanged();
    }

    boolean isBusy() {
        Activity now = activity;
        if (now == Activity.BUSY) {
            return true;
        }
        if (now == Activity.READING) {
            // bytes already in the buffer (a partial line) cannot finish the step: only new ones count
            try {
                return socketInput.available() > 0;
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    boolean isClosed() {
        synchronized (closeLock) {
            return closed;
        }
    }

    // ---- reading ----

    long deadlineAfter(Duration timeout) {
        long nanos = Durations.nanos(timeout);
        long now = System.nanoTime();
        return nanos >= NO_DEADLINE - now ? NO_DEADLINE : now + nanos;
    }

    /**
     * Reads more bytes into the buffer.
     *
     * @return {@code false} at end of stream
     */
    private boolean fill(long deadline) throws IOException {
        if (endOfStream) {
            return false;
        }
        makeRoom();
        int timeoutMillis = 0;
        if (deadline != NO_DEADLINE) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException("step timeout");
            }
            timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (remaining + 999_999) / 1_000_000));
        }
        int count;
        activity(Activity.READING);
        try {
            socket.setSoTimeout(timeoutMillis);
            count = socketInput.read(buffer, end, buffer.length - end);
        } catch (SocketTimeoutException e) {
            activity = Activity.BUSY;
            throw e;
        } catch (IOException e) {
            activity = Activity.BUSY; // before ended() records anything a test may be waiting for
            throw ended(e);
        }
        activity = Activity.BUSY;
        if (count < 0) {
            endOfStream = true;
            recorder.clientClosed(false);
            return false;
        }
        recorder.received(buffer, end, count);
        boolean filled = end + count == buffer.length;
        end += count;
        if (filled && buffer.length < MAX_READ_BUFFER) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        return true;
    }

    private void makeRoom() {
        if (start == end) {
            start = 0;
            end = 0;
        }
        if (end < buffer.length) {
            return;
        }
        int used = end - start;
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, used);
            start = 0;
            end = used;
        } else {
            // a full buffer holds part of one line; it never reaches the limit here, because readLine fails a
            // line longer than the line limit before it asks for more, and other readers empty the buffer first
            int limit = Math.max(MAX_READ_BUFFER, engine.settings().lineLimit() + 2);
            buffer = Arrays.copyOf(buffer, Math.min(limit, buffer.length * 2));
        }
    }

    /**
     * Classifies an I/O error: the server closed the socket itself, or else the client is gone (a reset, or
     * a write after the client closed).
     */
    private IOException ended(IOException cause) {
        if (engine.isShuttingDown()) {
            return new ConnectionEndedException(Reason.SERVER_SHUTDOWN, cause);
        }
        if (isClosed()) {
            return new ConnectionEndedException(Reason.SCRIPT_CLOSED, cause);
        }
        if (socket.isClosed()) { // a handler closed the socket itself
            synchronized (closeLock) {
                closed = true;
            }
            recorder.serverClosed(false, "server closed the connection (a handler closed the socket)");
            return new ConnectionEndedException(Reason.SCRIPT_CLOSED, cause);
        }
        boolean reset = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("reset");
        recorder.clientClosed(reset);
        return new ConnectionEndedException(reset ? Reason.CLIENT_RESET : Reason.CLIENT_CLOSED, cause);
    }

    /**
     * Reads one line without its line ending ({@code \n} or {@code \r\n}).
     *
     * @return the line, or {@code null} if the stream ended first
     * @throws LineTooLongException if the line exceeds the server's line limit
     */
    String readLine(long deadline) throws IOException {
        int scanned = 0; // relative to start, which moves when fill() compacts the buffer
        while (true) {
            for (int i = start + scanned; i < end; i++) {
                if (buffer[i] == '\n') {
                    int lineEnd = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                    if (lineEnd - start > engine.settings().lineLimit()) {
                        start = i + 1;
                        throw new LineTooLongException(engine.settings().lineLimit());
                    }
                    String line = new String(buffer, start, lineEnd - start, charset());
                    start = i + 1;
                    return line;
                }
            }
            scanned = end - start;
            if (end - start > engine.settings().lineLimit()) {
                throw new LineTooLongException(engine.settings().lineLimit());
            }
            if (!fill(deadline)) {
                return null;
            }
        }
    }

    /**
     * Reads exactly {@code count} bytes, or fewer if the stream ends first.
     */
    byte[] readBytes(int count, long deadline) throws IOException {
        byte[] result = new byte[count];
        int read = 0;
        while (read < count) {
            if (start == end && !fill(deadline)) {
                return Arrays.copyOf(result, read);
            }
            int chunk = Math.min(count - read, end - start);
            System.arraycopy(buffer, start, result, read, chunk);
            start += chunk;
            read += chunk;
        }
        return result;
    }

    /**
     * Skips {@code count} bytes without keeping them beyond the recording.
     *
     * @return how many bytes were skipped, fewer than {@code count} if the stream ended
     */
    long skipBytes(long count, long deadline) throws IOException {
        long skipped = 0;
        while (skipped < count) {
            if (start == end && !fill(deadline)) {
                return skipped;
            }
            int chunk = (int) Math.min(count - skipped, end - start);
            start += chunk;
            skipped += chunk;
        }
        return skipped;
    }

    /**
     * Reads whatever arrives next, up to the buffer size.
     *
     * @return the bytes, or {@code null} at end of stream
     */
    byte[] readSome(long deadline) throws IOException {
        if (start == end && !fill(deadline)) {
            return null;
        }
        byte[] chunk = Arrays.copyOfRange(buffer, start, end);
        start = end;
        return chunk;
    }

    /**
     * Returns the bytes received but not yet used by a step, escaped for display.
     */
    String unread() {
        return '"' + Transcripts.escape(buffer, start, Math.min(end, start + Transcripts.MAX_BYTES_PER_EVENT)) + '"';
    }

    boolean hasUnread() {
        return start < end;
    }

    /**
     * Reads and records everything until the client closes the connection or the server shuts down; then
     * closes the server's side too.
     */
    void drain() throws IOException {
        start = end;
        while (fill(NO_DEADLINE)) {
            start = end;
        }
        close("server closed the connection after the client did");
    }

    // ---- writing ----

    void send(byte[] data) throws IOException {
        int length = data.length;
        boolean limitReached = false;
        if (sendLimit >= 0 && length >= sendLimit) {
            length = (int) sendLimit;
            limitReached = true;
        }
        if (length > 0) {
            delivery.deliver(this, data, length);
        }
        if (sendLimit >= 0) {
            sendLimit -= length;
        }
        if (limitReached) {
            close("server closed the connection after the send limit was reached");
            throw new ConnectionEndedException(Reason.SCRIPT_CLOSED, null);
        }
    }

    /**
     * Writes and records what the kernel took. Waits at most the step timeout for a client that does not
     * read; then fails the step.
     *
     * @throws SendTimeoutException if the client did not take the bytes in time
     * @throws ConnectionEndedException if the client or the server ended the connection
     */
    void write(byte[] data, int offset, int length) throws IOException {
        ByteBuffer pending = ByteBuffer.wrap(data, offset, length);
        long deadline = deadlineAfter(stepTimeout);
        try {
            channel.configureBlocking(false);
            while (pending.hasRemaining()) {
                int from = pending.position();
                int count = channel.write(pending);
                if (count > 0) {
                    recorder.sent(data, from, count);
                } else if (!awaitWritable(deadline)) {
                    throw new SendTimeoutException("the client did not read: " + pending.remaining() + " of "
                            + length + " bytes could not be sent within " + Durations.describe(stepTimeout));
                }
            }
        } catch (SendTimeoutException e) {
            throw e;
        } catch (IOException e) {
            IOException ended = ended(e);
            if (ended instanceof ConnectionEndedException gone && gone.reason() != Reason.SERVER_SHUTDOWN
                    && gone.reason() != Reason.SCRIPT_CLOSED) {
                recorder.note(pending.remaining() + " bytes did not reach the client: " + e.getMessage());
            }
            throw ended;
        } finally {
            if (channel.isOpen()) {
                try {
                    channel.configureBlocking(true);
                } catch (IOException ignored) {
                    // closed meanwhile; the next I/O reports it
                }
            }
        }
    }

    /**
     * Waits until the client has read enough for more to be written, or the deadline passes.
     *
     * @return {@code false} if the deadline passed
     */
    private boolean awaitWritable(long deadline) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        Selector selector = writeSelector;
        if (selector == null) {
            selector = Selector.open();
            writeSelector = selector;
        }
        SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
        activity(Activity.WRITING); // waits for the client to read; never busy
        try {
            selector.select(Math.max(1, Math.min(Long.MAX_VALUE / 2, remaining / 1_000_000)));
        } finally {
            activity = Activity.BUSY;
            key.cancel();
            selector.selectNow(); // deregisters the channel, so that it may block again
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        return true;
    }

    /**
     * Waits for {@code duration}, or less if the server shuts down.
     *
     * @throws ConnectionEndedException if the server shut down while waiting
     */
    void delay(Duration duration) throws IOException {
        activity(Activity.DELAYING);
        try {
            if (engine.awaitShutdown(duration)) {
                throw new ConnectionEndedException(Reason.SERVER_SHUTDOWN, null);
            }
        } finally {
            activity = Activity.BUSY;
        }
    }

    // ---- closing ----

    void shutdownOutput() throws IOException {
        if (!outputShut) {
            outputShut = true;
            recorder.serverHalfClosed(); // first, so that it is recorded when the client sees the FIN
            socket.shutdownOutput();
        }
    }

    void close(String detail) throws IOException {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        recorder.serverClosed(false, detail);
        try {
            if (!outputShut && !socket.isOutputShutdown()) {
                socket.shutdownOutput();
            }
            // read what already arrived, so that closing sends FIN rather than RST for unread data; bounded,
            // for a client that keeps sending
            long drainDeadline = System.nanoTime() + CLOSE_DRAIN_NANOS;
            long drained = 0;
            while (drained < CLOSE_DRAIN_LIMIT && System.nanoTime() - drainDeadline < 0
                    && socketInput.available() > 0 && fillQuietly()) {
                drained += end - start;
                start = end;
            }
        } catch (IOException ignored) {
            // the client may be gone already; closing below is all that matters
        } finally {
            socket.close();
        }
    }

    private boolean fillQuietly() throws IOException {
        return !endOfStream && fill(System.nanoTime() + 1_000_000L);
    }

    void reset() throws IOException {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        recorder.serverClosed(true, "server reset the connection (RST)");
        try {
            socket.setSoLinger(true, 0);
        } finally {
            socket.close();
        }
    }

    /** Closes the socket from another thread because the server shuts down. */
    void closeForShutdown() {
        boolean first;
        synchronized (closeLock) {
            first = !closed;
            closed = true;
        }
        if (first) {
            recorder.serverClosed(false, "server closed the connection (server shut down)");
        }
        try {
            socket.close(); // also when a step is closing it: that step may still be reading
        } catch (IOException ignored) {
            // nothing more to do
        }
        Selector selector = writeSelector;
        if (selector != null) {
            selector.wakeup();
        }
    }

    void done() {
        Selector selector = writeSelector;
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
        activity(Activity.DONE);
        engine.sessionDone(this);
    }

    // ---- Exchange ----

    @Override
    public InputStream input() {
        return exchangeInput;
    }

    @Override
    public OutputStream output() {
        return exchangeOutput;
    }

    @Override
    public String readLine() throws IOException {
        return readLine(deadlineAfter(stepTimeout));
    }

    @Override
    public void sendLine(String line) throws IOException {
        send((line + lineEnding).getBytes(charset()));
    }

    @Override
    public Socket socket() {
        return socket;
    }

    @Override
    public RecordedConnection connection() {
        return recorder;
    }

    /** Input for handlers: buffered bytes first, then the socket; reads time out after the step timeout. */
    private final class ExchangeInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (start == end && !fill(deadlineAfter(stepTimeout))) {
                return -1;
            }
            int chunk = Math.min(length, end - start);
            System.arraycopy(buffer, start, target, offset, chunk);
            start += chunk;
            return chunk;
        }

        @Override
        public int available() throws IOException {
            return end - start;
        }
    }

    /** Output for handlers: every write is sent at once with the current delivery, and recorded. */
    private final class ExchangeOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            send(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            send(Arrays.copyOfRange(data, offset, offset + length));
        }
    }
}
