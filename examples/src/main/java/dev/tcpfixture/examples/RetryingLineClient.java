package dev.tcpfixture.examples;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A request/response client for a line protocol ({@code PING} → {@code OK PONG}) as production code often
 * has one: connect and read timeouts, a deadline for the whole response, and retries with exponential
 * backoff for failures that may pass (refused, timed out, reset, cut short). A malformed response is not
 * retried. Every attempt closes its socket, whatever happens.
 */
public final class RetryingLineClient {

    /**
     * How patient the client is.
     *
     * @param connectTimeout how long one connect may take
     * @param readTimeout how long one read may block
     * @param responseTimeout how long the whole response line may take, however it trickles in
     * @param maxAttempts how many attempts in all
     * @param initialBackoff the pause after the first failed attempt
     * @param backoffMultiplier how much each pause grows
     * @param maxBackoff the longest pause
     * @param maxLineLength the longest response line accepted, in bytes
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, Duration responseTimeout, int maxAttempts,
            Duration initialBackoff, double backoffMultiplier, Duration maxBackoff, int maxLineLength) {

        /**
         * Returns settings suited to a service on the same machine.
         *
         * @return the default settings
         */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2), 3,
                    Duration.ofMillis(50), 2.0, Duration.ofSeconds(1), 1024);
        }

        /**
         * Returns these settings with other timeouts.
         *
         * @param connect the connect timeout
         * @param read the read timeout
         * @param response the whole-response deadline
         * @return the changed settings
         */
        public Settings withTimeouts(Duration connect, Duration read, Duration response) {
            return new Settings(connect, read, response, maxAttempts, initialBackoff, backoffMultiplier, maxBackoff,
                    maxLineLength);
        }

        /**
         * Returns these settings with another number of attempts.
         *
         * @param attempts how many attempts in all
         * @return the changed settings
         */
        public Settings withMaxAttempts(int attempts) {
            return new Settings(connectTimeout, readTimeout, responseTimeout, attempts, initialBackoff,
                    backoffMultiplier, maxBackoff, maxLineLength);
        }
    }

    /** Waits between attempts; the real one sleeps, tests may record instead. */
    @FunctionalInterface
    public interface Backoff {
        /**
         * Waits for {@code duration}.
         *
         * @param duration how long
         * @throws InterruptedException if interrupted while waiting
         */
        void pause(Duration duration) throws InterruptedException;
    }

    /** Thrown when every attempt failed; each attempt's failure is suppressed in it. */
    public static final class RetriesExhaustedException extends IOException {
        private static final long serialVersionUID = 1L;

        RetriesExhaustedException(String message) {
            super(message);
        }
    }

    private final InetSocketAddress server;
    private final Settings settings;
    private final Backoff backoff;

    /**
     * Creates a client that sleeps between attempts.
     *
     * @param server the server's address
     * @param settings the timeouts and retry policy
     */
    public RetryingLineClient(InetSocketAddress server, Settings settings) {
        this(server, settings, duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos()));
    }

    /**
     * Creates a client with its own way of waiting between attempts.
     *
     * @param server the server's address
     * @param settings the timeouts and retry policy
     * @param backoff how to wait between attempts
     */
    public RetryingLineClient(InetSocketAddress server, Settings settings, Backoff backoff) {
        this.server = server;
        this.settings = settings;
        this.backoff = backoff;
    }

    /**
     * Sends {@code request} as a line and returns the answer after {@code OK }, retrying as the settings say.
     *
     * @param request the request line, without line ending
     * @return the answer, for example {@code PONG} for the response line {@code OK PONG}
     * @throws ProtocolException if the server answered with something that is not a valid response
     * @throws RetriesExhaustedException if every attempt failed
     * @throws IOException if interrupted between attempts
     */
    public String request(String request) throws IOException {
        List<IOException> failures = new ArrayList<>();
        Duration pause = settings.initialBackoff();
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            try {
                return attempt(request);
            } catch (ProtocolException malformed) {
                throw malformed;
            } catch (IOException failure) {
                failures.add(failure);
            }
            if (attempt < settings.maxAttempts()) {
                try {
                    backoff.pause(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted between attempts", e);
                }
                pause = next(pause);
            }
        }
        RetriesExhaustedException exhausted = new RetriesExhaustedException("all " + settings.maxAttempts()
                + " attempts to " + server + " failed; last: " + failures.get(failures.size() - 1));
        failures.forEach(exhausted::addSuppressed);
        throw exhausted;
    }

    private Duration next(Duration pause) {
        long nanos = (long) Math.min(pause.toNanos() * settings.backoffMultiplier(), settings.maxBackoff().toNanos());
        return Duration.ofNanos(nanos);
    }

    private String attempt(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, (int) settings.connectTimeout().toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((request + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = readLine(socket);
            if (!line.startsWith("OK ")) {
                throw new ProtocolException("malformed response: " + printable(line));
            }
            return line.substring(3);
        }
    }

    private String readLine(Socket socket) throws IOException {
        long deadline = System.nanoTime() + settings.responseTimeout().toNanos();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                throw new SocketTimeoutException("no complete response within " + settings.responseTimeout().toMillis()
                        + " ms (got " + line.size() + " bytes)");
            }
            boolean deadlineFirst = remainingMillis < settings.readTimeout().toMillis();
            socket.setSoTimeout((int) (deadlineFirst ? remainingMillis : settings.readTimeout().toMillis()));
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException(deadlineFirst
                        ? "no complete response within " + settings.responseTimeout().toMillis() + " ms (got "
                                + line.size() + " bytes)"
                        : "read timed out after " + settings.readTimeout().toMillis() + " ms");
            }
            if (b < 0) {
                throw new EOFException("server closed the connection after " + line.size() + " bytes of the response");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                for (int i = 0; i < length; i++) {
                    if (bytes[i] < 0x20 || bytes[i] > 0x7e) {
                        throw new ProtocolException("malformed response: byte 0x"
                                + Integer.toHexString(bytes[i] & 0xff) + " at " + i);
                    }
                }
                return new String(bytes, 0, length, StandardCharsets.US_ASCII);
            }
            if (line.size() >= settings.maxLineLength()) {
                throw new ProtocolException("malformed response: longer than " + settings.maxLineLength() + " bytes");
            }
            line.write(b);
        }
    }

    private static String printable(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
