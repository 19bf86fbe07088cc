package dev.tcpfixture.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * The one exchange every benchmark makes, in the two protocols: a line ({@code PING} answered by
 * {@code PONG}) for the fake server and the raw floor, and the smallest HTTP/1.1 request and response for
 * MockWebServer.
 */
final class Exchange {

    static final String REQUEST_LINE = "PING";
    static final String ANSWER_LINE = "PONG";

    static final byte[] LINE_REQUEST = (REQUEST_LINE + "\r\n").getBytes(StandardCharsets.US_ASCII);
    static final byte[] LINE_ANSWER = (ANSWER_LINE + "\r\n").getBytes(StandardCharsets.US_ASCII);

    /**
     * No {@code Connection: close}: the client reads the whole response (it has a Content-Length) and then
     * closes first, exactly as the line client does; the server then reads end-of-stream and closes too.
     */
    static final byte[] HTTP_REQUEST = ("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    static final String HTTP_BODY = ANSWER_LINE;

    private Exchange() {
    }
}
