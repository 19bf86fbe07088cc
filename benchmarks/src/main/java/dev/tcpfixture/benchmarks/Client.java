package dev.tcpfixture.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The benchmark's client: a plain blocking {@link Socket}, the same for every server. It sends one request,
 * reads the whole answer and checks it, so that a server that answers wrongly (or not at all) fails the run
 * instead of looking fast.
 */
final class Client {

    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int READ_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_RESPONSE = 4_096;

    private Client() {
    }

    /** Connects, makes one exchange and closes: the client closes first, for every server. */
    static void roundtrip(Protocol protocol, InetSocketAddress address) throws IOException {
        try (Socket socket = connect(address)) {
            exchange(protocol, socket);
        }
    }

    /**
     * Connects, completes a TLS handshake, makes one exchange and closes (with close_notify): the client closes
     * first, for every server.
     */
    static void tlsRoundtrip(Protocol protocol, InetSocketAddress address, SSLSocketFactory factory)
            throws IOException {
        try (Socket plain = connect(address);
                SSLSocket socket = (SSLSocket) factory.createSocket(plain, "localhost", address.getPort(), true)) {
            socket.startHandshake();
            exchange(protocol, socket);
        }
    }

    /** Connects and makes one exchange; the caller keeps the connection open and closes it later. */
    static Socket openWithOneExchange(Protocol protocol, InetSocketAddress address) throws IOException {
        Socket socket = connect(address);
        try {
            exchange(protocol, socket);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("benchmarks talk to loopback only, not " + address);
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static void exchange(Protocol protocol, Socket socket) throws IOException {
        if (protocol == Protocol.LINE) {
            lineExchange(socket);
        } else {
            httpExchange(socket);
        }
    }

    private static void lineExchange(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(Exchange.LINE_REQUEST);
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64];
        int length = 0;
        while (length == 0 || buffer[length - 1] != '\n') {
            if (length == buffer.length) {
                throw new IOException("answer too long: " + text(buffer, length));
            }
            int count = in.read(buffer, length, buffer.length - length);
            if (count < 0) {
                throw new IOException("the server closed before answering; got " + text(buffer, length));
            }
            length += count;
        }
        if (!Arrays.equals(buffer, 0, length, Exchange.LINE_ANSWER, 0, Exchange.LINE_ANSWER.length)) {
            throw new IOException("unexpected answer " + text(buffer, length));
        }
    }

    private static void httpExchange(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(Exchange.HTTP_REQUEST);
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[MAX_RESPONSE];
        int length = 0;
        int headEnd = -1;
        int contentLength = -1;
        while (true) {
            if (headEnd < 0) {
                headEnd = indexOfBlankLine(buffer, length);
                if (headEnd >= 0) {
                    contentLength = contentLength(new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1));
                }
            }
            if (headEnd >= 0 && length >= headEnd + 4 + contentLength) {
                break;
            }
            if (length == buffer.length) {
                throw new IOException("response too long: " + text(buffer, length));
            }
            int count = in.read(buffer, length, buffer.length - length);
            if (count < 0) {
                throw new IOException("the server closed before the whole response; got " + text(buffer, length));
            }
            length += count;
        }
        String head = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1);
        String body = new String(buffer, headEnd + 4, contentLength, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 200 ") || !Exchange.HTTP_BODY.equals(body)) {
            throw new IOException("unexpected response " + text(buffer, length));
        }
    }

    private static int indexOfBlankLine(byte[] data, int length) {
        for (int i = 0; i + 3 < length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int contentLength(String head) throws IOException {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        throw new IOException("response without Content-Length: " + head);
    }

    private static String text(byte[] data, int length) {
        return '"' + new String(data, 0, length, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n")
                + '"';
    }

    /** What is said on a connection. */
    enum Protocol { LINE, HTTP }
}
