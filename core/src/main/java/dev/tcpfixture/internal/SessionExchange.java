package dev.tcpfixture.internal;

import dev.tcpfixture.Exchange;
import dev.tcpfixture.RecordedConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * The {@link Exchange} given to a handler step: the connection's recorded input and output as streams. Reads
 * wait at most the step timeout; every write is sent at once with the current delivery.
 */
final class SessionExchange implements Exchange {

    private final Session session;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    SessionExchange(Session session) {
        this.session = session;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public String readLine() throws IOException {
        return session.readLine(session.deadlineAfter(session.stepTimeout()));
    }

    @Override
    public void sendLine(String line) throws IOException {
        session.send((line + session.lineEnding()).getBytes(session.charset()));
    }

    @Override
    public Socket socket() {
        return session.channel().socket();
    }

    @Override
    public RecordedConnection connection() {
        return session.recorder();
    }

    /** Bytes earlier steps left first, then what arrives. */
    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            return session.read(target, offset, length);
        }

        @Override
        public int available() {
            return session.available();
        }
    }

    /** Every write is a send. */
    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            session.send(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            session.send(Arrays.copyOfRange(data, offset, offset + length));
        }
    }
}
