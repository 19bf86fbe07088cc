package dev.tcpfixture.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP/1.0 fetcher of the classic socket tutorial, in Java: connect, send one {@code GET} with an
 * absolute URL, read until the server closes, return everything it sent (status line, headers and body).
 *
 * <p>In the tutorial it talks to a web server on port 80; in the tests and the demo it talks to a fake
 * server on loopback, so the URL is only text in the request line and is never resolved.
 */
public final class HttpFetcher {

    private final String host;
    private final int port;
    private final int timeoutMillis;

    /**
     * Creates a fetcher for the server at {@code host:port}.
     *
     * @param host the server's host
     * @param port the server's port (80 in the tutorial)
     * @param timeoutMillis the connect and read timeout
     */
    public HttpFetcher(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Sends {@code GET <url> HTTP/1.0} and returns the whole response as text.
     *
     * @param url the absolute URL to put in the request line
     * @return the response: status line, headers, blank line, body
     * @throws IOException if connecting, sending or reading fails
     */
    public String fetch(String url) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + url + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[512];
            int count;
            while ((count = in.read(buffer)) >= 0) {
                response.write(buffer, 0, count);
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Returns the body of a response: what follows the first blank line.
     *
     * @param response a whole HTTP response
     * @return the body, or an empty string if there is no blank line
     */
    public static String body(String response) {
        int blank = response.indexOf("\r\n\r\n");
        return blank < 0 ? "" : response.substring(blank + 4);
    }
}
