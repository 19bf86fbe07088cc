package dev.tcpfixture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain blocking client for the proxy tests: connects with a timeout, reads with a timeout. */
final class ProxyClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream input;

    private ProxyClient(Socket socket) throws IOException {
        this.socket = socket;
        this.input = socket.getInputStream();
    }

    static ProxyClient connect(InetSocketAddress address, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, 2_000);
            socket.setSoTimeout(readTimeoutMillis);
            socket.setTcpNoDelay(true);
            return new ProxyClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static ProxyClient connect(TcpProxy proxy) throws IOException {
        return connect(proxy.address(), 5_000);
    }

    Socket socket() {
        return socket;
    }

    ProxyClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    ProxyClient send(byte[] data) throws IOException {
        socket.getOutputStream().write(data);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one line without its ending; {@code null} at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = input.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** Reads until end of stream. */
    byte[] readAll() throws IOException {
        return input.readAllBytes();
    }

    /** Reads exactly {@code count} bytes, fewer at end of stream. */
    byte[] readBytes(int count) throws IOException {
        return input.readNBytes(count);
    }

    /** One read of at most {@code max} bytes; empty at end of stream. */
    byte[] readOnce(int max) throws IOException {
        byte[] buffer = new byte[max];
        int count = input.read(buffer);
        return count < 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, count);
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
