package dev.tcpfixture.internal;

import dev.tcpfixture.ConnectionClosedException;
import dev.tcpfixture.Exchange;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Side;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * The {@link Exchange} given to a handler step: the connection's recorded input and output as streams. Reads
 * wait at most the step timeout; every write is sent at once with the current delivery.
 *
 * <p>The boundary between the engine and user code: no exception type of the engine passes it. The client's
 * close or reset ends reads ({@code null}, {@code -1}); a write to a client that is gone, and any call after
 * the server ended the connection, throws {@link ConnectionClosedException}; a read or write that times out
 * throws {@link SocketTimeoutException}; a line longer than the line limit a plain {@link IOException}.
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
        try {
            return session.readLine(session.deadlineAfter(session.stepTimeout()));
        } catch (ConnectionEndedException e) {
            if (e.reason().byClient()) {
                return null;
            }
            throw closed(e);
        } catch (LineTooLongException e) {
            throw new IOException(e.getMessage());
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("expected a line from the client within "
                    + Messages.duration(session.stepTimeout()) + " (the step timeout), but "
                    + (session.hasUnread() ? "only " + session.unread() + " came" : "nothing came"));
        }
    }

    @Override
    public void sendLine(String line) throws IOException {
        send((line + session.lineEnding()).getBytes(session.charset()));
    }

    private void send(byte[] data) throws IOException {
        try {
            session.send(data);
        } catch (ConnectionEndedException e) {
            throw closed(e);
        } catch (SendTimeoutException e) {
            throw new SocketTimeoutException(e.getMessage());
        }
    }

    private int read(byte[] target, int offset, int length) throws IOException {
        try {
            return session.read(target, offset, length);
        } catch (ConnectionEndedException e) {
            if (e.reason().byClient()) {
                return -1;
            }
            throw closed(e);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("expected bytes from the client within "
                    + Messages.duration(session.stepTimeout()) + " (the step timeout), but nothing came");
        }
    }

    /** The public form of the engine's exception, with the socket's exception (if any) as its cause. */
    private static ConnectionClosedException closed(ConnectionEndedException e) {
        return new ConnectionClosedException(e.getMessage(), e.reason().byClient() ? Side.CLIENT : Side.SERVER,
                e.getCause());
    }

    @Override
    public Socket socket() {
        return session.channel().socket();
    }

    @Override
    public RecordedConnection connection() {
        return session.recorder();
    }

    @Override
    public String toString() {
        return "Exchange of connection #" + session.recorder().id();
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
            java.util.Objects.checkFromIndexSize(offset, length, target.length);
            return SessionExchange.this.read(target, offset, length);
        }

        @Override
        public int available() {
            return session.available();
        }

        @Override
        public String toString() {
            return "input of connection #" + session.recorder().id();
        }
    }

    /** Every write is a send. */
    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            send(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, data.length);
            send(Arrays.copyOfRange(data, offset, offset + length));
        }

        @Override
        public String toString() {
            return "output of connection #" + session.recorder().id();
        }
    }
}
