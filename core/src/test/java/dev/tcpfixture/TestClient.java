package dev.tcpfixture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain blocking client for the tests: a real {@code java.net.Socket} with a read timeout, so that no
 * test can hang.
 */
final class TestClient implements AutoCloseable {

    static final int READ_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.input = socket.getInputStream();
        this.output = socket.getOutputStream();
    }

    static TestClient connect(FakeTcpServer server) throws IOException {
        Socket socket = new Socket();
        socket.connect(server.address(), READ_TIMEOUT_MILLIS);
        return new TestClient(socket);
    }

    Socket socket() {
        return socket;
    }

    TestClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    TestClient send(byte[] data) throws IOException {
        output.write(data);
        output.flush();
        return this;
    }

    /** Reads one line ending in LF; returns it without CRLF/LF, or null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = input.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** Reads until end of stream. */
    byte[] readAll() throws IOException {
        return input.readAllBytes();
    }

    String readAllText() throws IOException {
        return new String(readAll(), StandardCharsets.UTF_8);
    }

    /** Reads exactly {@code count} bytes or fails. */
    byte[] readBytes(int count) throws IOException {
        byte[] data = input.readNBytes(count);
        if (data.length < count) {
            throw new IOException("end of stream after " + data.length + " of " + count + " bytes");
        }
        return data;
    }

    /** Reads once, returning what one read gave, or null at end of stream. */
    byte[] readOnce(int max) throws IOException {
        byte[] buffer = new byte[max];
        int count = input.read(buffer);
        return count < 0 ? null : java.util.Arrays.copyOf(buffer, count);
    }

    int read() throws IOException {
        return input.read();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
