package dev.tcpfixture.internal;

import dev.tcpfixture.internal.ConnectionState.Phase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * What the server sends on one connection: written to the non-blocking channel and recorded as the kernel
 * takes it. A client that does not read makes a send wait, at most the step timeout, in the connection's
 * {@code AWAITING_CLIENT_READ} state; then the send fails instead of blocking the server's thread for good.
 * Used by the connection's worker only.
 */
final class PacedOutput {

    private final SocketChannel channel;
    private final ConnectionRecorder recorder;
    private final ConnectionState state;
    private final ChannelWaiter waiter;
    private final RecordedInput.Ending ending;

    PacedOutput(SocketChannel channel, ConnectionRecorder recorder, ConnectionState state, ChannelWaiter waiter,
            RecordedInput.Ending ending) {
        this.channel = channel;
        this.recorder = recorder;
        this.state = state;
        this.waiter = waiter;
        this.ending = ending;
    }

    /**
     * Writes {@code length} bytes and records what the kernel took.
     *
     * @throws SendTimeoutException if the client did not take them within {@code timeout}
     * @throws ConnectionEndedException if the client or the server ended the connection
     */
    void write(byte[] data, int offset, int length, Duration timeout) throws IOException {
        ByteBuffer pending = ByteBuffer.wrap(data, offset, length);
        long deadline = Deadlines.after(timeout);
        try {
            while (pending.hasRemaining()) {
                int from = pending.position();
                int count = channel.write(pending);
                if (count > 0) {
                    recorder.sent(data, from, count);
                } else if (Deadlines.passed(deadline)) {
                    throw new SendTimeoutException("expected the client to read "
                            + Messages.count(length, "byte", "bytes") + " within " + Messages.duration(timeout)
                            + ", but it did not read them: " + pending.remaining() + " could not be sent");
                } else {
                    awaitClientRead(deadline);
                }
            }
        } catch (SendTimeoutException e) {
            throw e;
        } catch (IOException e) {
            IOException ended = ending.ended(e);
            if (ended instanceof ConnectionEndedException gone && gone.reason().byClient()) {
                recorder.note(Messages.count(pending.remaining(), "byte", "bytes") + " did not reach the client: "
                        + Messages.abbreviate(String.valueOf(e.getMessage())));
            }
            throw ended;
        }
    }

    /**
     * Writes ciphertext, not recorded (the caller records the plaintext it holds), waiting for the client to read
     * as {@link #write} does.
     *
     * @param plaintextLength how many bytes of plaintext the whole send holds, for messages
     */
    void writeCiphertext(ByteBuffer pending, int plaintextLength, Duration timeout, long deadline)
            throws IOException {
        try {
            while (pending.hasRemaining()) {
                int count = channel.write(pending);
                if (count > 0) {
                    continue;
                }
                if (Deadlines.passed(deadline)) {
                    throw new SendTimeoutException("expected the client to read "
                            + Messages.count(plaintextLength, "byte", "bytes") + " (over TLS) within "
                            + Messages.duration(timeout) + ", but it did not read them");
                }
                awaitClientRead(deadline);
            }
        } catch (SendTimeoutException e) {
            throw e;
        } catch (IOException e) {
            IOException ended = ending.ended(e);
            if (ended instanceof ConnectionEndedException gone && gone.reason().byClient()) {
                recorder.note("TLS bytes did not reach the client: "
                        + Messages.abbreviate(String.valueOf(e.getMessage())));
            }
            throw ended;
        }
    }

    private void awaitClientRead(long deadline) throws IOException {
        state.lock().lock();
        try {
            waiter.prepare();
            state.moveTo(Phase.AWAITING_CLIENT_READ);
        } finally {
            state.lock().unlock();
        }
        try {
            waiter.awaitWritable(deadline);
        } finally {
            state.moveToLocked(Phase.RUNNING);
        }
    }
}
