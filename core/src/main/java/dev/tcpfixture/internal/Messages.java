package dev.tcpfixture.internal;

import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;

/**
 * The one way failure messages of tcpfixture show bytes, text, durations, counts, addresses and transcripts,
 * shared by the core and the JUnit extension (exported to {@code dev.tcpfixture.junit} only).
 *
 * <p>Every message is bounded whatever the payloads: a quoted payload shows at most {@link #MAX_QUOTED} bytes
 * (its start and its end), a transcript at most {@link #MAX_TRANSCRIPT} characters, free text (a handler's
 * description, an exception's message) at most {@link #MAX_TEXT} characters, and a list at most
 * {@link #MAX_LISTED} connections or failures. What is left out is counted and named, with where the whole
 * record is.
 *
 * <p>The voice of a message: a top-level message starts with {@code Expected }, then what was expected,
 * {@code , but } and what happened; an item of a list of failures is the same sentence in lower case.
 */
public final class Messages {

    /** The most bytes a quoted payload shows: the first and the last half of them. */
    public static final int MAX_QUOTED = 256;

    /** The most characters a transcript in a message has, the note about what is left out included. */
    public static final int MAX_TRANSCRIPT = 64 * 1024;

    /** The most characters of free text (a description, an exception's message) a message shows. */
    public static final int MAX_TEXT = 1024;

    /** The most connections, failures or scripts a message lists one by one. */
    public static final int MAX_LISTED = 20;

    /** Where a message sends the reader for what it leaves out of a transcript. */
    public static final String WHOLE_RECORD = "the whole record: server.transcript() or connection.received()";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Messages() {
    }

    // ---- bytes and text ----

    /**
     * Quotes bytes for a message, in the transcript format: {@code "..."} with printable ASCII as is,
     * {@code \r \n \t \" \\} as in Java and every other byte as {@code \xNN}. More than {@link #MAX_QUOTED}
     * bytes show as the first and the last half of them: {@code "GET /..." ... 1000 bytes omitted ...
     * "...HTTP/1.1"}.
     *
     * @param bytes the bytes
     * @return the quoted bytes, at most about {@code 4 * MAX_QUOTED + 60} characters
     */
    public static String quote(byte[] bytes) {
        return quote(bytes, 0, bytes.length);
    }

    /**
     * Quotes {@code length} bytes from {@code offset}; see {@link #quote(byte[])}.
     *
     * @param bytes the bytes
     * @param offset the first byte to quote
     * @param length how many bytes to quote
     * @return the quoted bytes
     * @throws IndexOutOfBoundsException if the range is not within {@code bytes}
     */
    public static String quote(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        StringBuilder text = new StringBuilder(Math.min(length, MAX_QUOTED) + 48);
        if (length <= MAX_QUOTED) {
            return escapeInto(text.append('"'), bytes, offset, offset + length).append('"').toString();
        }
        int half = MAX_QUOTED / 2;
        escapeInto(text.append('"'), bytes, offset, offset + half).append("\" ... ");
        text.append(length - 2 * half).append(" bytes omitted ... \"");
        return escapeInto(text, bytes, offset + length - half, offset + length).append('"').toString();
    }

    /**
     * Quotes text as the bytes it is in {@code charset}; see {@link #quote(byte[])}.
     *
     * @param text the text
     * @param charset the charset that encodes it
     * @return the quoted bytes of the text
     */
    public static String quote(String text, Charset charset) {
        return quote(text.getBytes(charset));
    }

    /**
     * Escapes bytes without quoting or shortening them: printable ASCII as is, {@code \r \n \t \" \\} as in
     * Java, every other byte as {@code \xNN}. For transcripts, whose length is bounded elsewhere.
     *
     * @param bytes the bytes
     * @param from the first index, inclusive
     * @param to the last index, exclusive
     * @return the escaped bytes
     */
    public static String escape(byte[] bytes, int from, int to) {
        return escapeInto(new StringBuilder(to - from), bytes, from, to).toString();
    }

    private static StringBuilder escapeInto(StringBuilder text, byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\r' -> text.append("\\r");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        text.append((char) b);
                    } else {
                        text.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
                    }
                }
            }
        }
        return text;
    }

    /**
     * Shortens free text (a description, an exception's message) to at most {@code max} characters: its start
     * and its end, with {@code ... N characters omitted ...} between.
     *
     * @param text the text
     * @param max the most characters to keep, at least 64
     * @return the text, or its start and end
     */
    public static String abbreviate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int keep = Math.max(0, max - " ...  characters omitted ... ".length() - 10); // room for any count
        int head = cutBefore(text, keep - keep / 2);
        int tail = cutAfter(text, text.length() - keep / 2);
        return text.substring(0, head) + " ... " + (tail - head) + " characters omitted ... " + text.substring(tail);
    }

    /**
     * Shortens free text to at most {@link #MAX_TEXT} characters; see {@link #abbreviate(String, int)}.
     *
     * @param text the text
     * @return the text, or its start and end
     */
    public static String abbreviate(String text) {
        return abbreviate(text, MAX_TEXT);
    }

    /**
     * Shortens a transcript to at most {@link #MAX_TRANSCRIPT} characters: its first and its last half, cut at
     * line ends, with a line {@code ... N characters omitted (the whole record: server.transcript() or
     * connection.received()) ...} between.
     *
     * @param transcript the transcript
     * @return the transcript, or its start and end
     */
    public static String bounded(String transcript) {
        return bounded(transcript, MAX_TRANSCRIPT);
    }

    /**
     * Shortens a transcript to at most {@code max} characters; see {@link #bounded(String)}.
     *
     * @param transcript the transcript
     * @param max the most characters, the note about what is left out included; at least 256
     * @return the transcript, or its start and end
     */
    public static String bounded(String transcript, int max) {
        if (transcript.length() <= max) {
            return transcript;
        }
        // the note's length depends on the count: reserve for the longest count a String can have, and for a
        // line end before it when the head ends inside a line
        int keep = Math.max(0, max - noteLine(Integer.MAX_VALUE).length() - 1);
        int head = lineCut(transcript, keep - keep / 2, true);
        int tail = lineCut(transcript, transcript.length() - keep / 2, false);
        return transcript.substring(0, head) + (head > 0 && transcript.charAt(head - 1) != '\n' ? "\n" : "")
                + noteLine(tail - head) + transcript.substring(tail);
    }

    private static String noteLine(long omitted) {
        return "    ... " + omitted + " characters omitted (" + WHOLE_RECORD + ") ...\n";
    }

    /** The index to cut at, near {@code at}: after a line end if there is one close enough, else at {@code at}. */
    private static int lineCut(String text, int at, boolean head) {
        int slack = Math.min(512, at / 4);
        if (head) {
            int newline = text.lastIndexOf('\n', at - 1);
            return newline >= 0 && newline + 1 >= at - slack ? newline + 1 : cutBefore(text, at);
        }
        int newline = text.indexOf('\n', at);
        return newline >= 0 && newline + 1 <= at + slack ? newline + 1 : cutAfter(text, at);
    }

    /** {@code at}, or one less if that would split a surrogate pair: for the end of a head. */
    private static int cutBefore(String text, int at) {
        return at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at))
                && Character.isHighSurrogate(text.charAt(at - 1)) ? at - 1 : at;
    }

    /** {@code at}, or one more if that would split a surrogate pair: for the start of a tail. */
    private static int cutAfter(String text, int at) {
        return at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at))
                && Character.isHighSurrogate(text.charAt(at - 1)) ? at + 1 : at;
    }

    // ---- numbers, durations, addresses ----

    /**
     * The one duration format of messages: under a second in milliseconds ({@code "250 ms"},
     * {@code "0.5 ms"}), else in seconds ({@code "1.5 s"}, {@code "5 s"}), with at most three decimals;
     * {@code "forever"} for a duration too long to wait for (more than about 292 years).
     *
     * @param duration the duration
     * @return the duration for a message
     */
    public static String duration(Duration duration) {
        long nanos = Deadlines.nanos(duration);
        if (nanos == Long.MAX_VALUE) {
            return "forever";
        }
        if (Math.abs(nanos) < NANOS_PER_SECOND) {
            return decimal(nanos, NANOS_PER_MILLI) + " ms";
        }
        return decimal(nanos, NANOS_PER_SECOND) + " s";
    }

    private static String decimal(long nanos, long unit) {
        BigDecimal value = BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(unit))
                .setScale(3, java.math.RoundingMode.DOWN).stripTrailingZeros();
        return value.signum() == 0 ? "0" : value.toPlainString();
    }

    /**
     * A count with its noun: {@code "1 connection"}, {@code "2 connections"}, {@code "0 connections"}.
     *
     * @param n the count
     * @param singular the noun for one
     * @param plural the noun for any other count
     * @return the count and the noun
     */
    public static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /**
     * Formats a socket address as {@code host:port}, with brackets around an IPv6 host: {@code 127.0.0.1:4000},
     * {@code [::1]:4000}; {@code ?} for {@code null}.
     *
     * @param address the address
     * @return the address for a message
     */
    public static String address(InetSocketAddress address) {
        if (address == null) {
            return "?";
        }
        return host(address.getAddress()) + ":" + address.getPort();
    }

    /**
     * Formats a host for a message or a URL: an address literal, in brackets for IPv6.
     *
     * @param address the address
     * @return {@code 127.0.0.1} or {@code [::1]}
     */
    static String host(InetAddress address) {
        String literal = literal(address);
        return address instanceof Inet6Address ? "[" + literal + "]" : literal;
    }

    /**
     * Returns an address as a literal to connect to: {@code 127.0.0.1}, {@code ::1}, without a scope.
     *
     * @param address the address
     * @return the literal
     */
    public static String literal(InetAddress address) {
        if (address instanceof Inet6Address && address.isLoopbackAddress()) {
            return "::1";
        }
        String literal = address.getHostAddress();
        int scope = literal.indexOf('%');
        return scope >= 0 ? literal.substring(0, scope) : literal;
    }

    /**
     * Names a server in a message: {@code fake TCP server 127.0.0.1:4000}.
     *
     * @param address the server's address
     * @return the name
     */
    public static String server(InetSocketAddress address) {
        return "fake TCP server " + address(address);
    }

    // ---- lists ----

    /**
     * Describes one failure as an item of a list: {@code connection #1: expected line "PING", but received line
     * "PONG"} (or {@code server: ...}), then its transcript shortened to at most {@code transcriptLimit}
     * characters.
     *
     * @param failure the failure
     * @param transcriptLimit the most characters of its transcript, at least 256
     * @return the description, bounded
     */
    public static String describe(ScriptFailure failure, int transcriptLimit) {
        StringBuilder text = new StringBuilder();
        text.append(failure.connectionId() > 0 ? "connection #" + failure.connectionId() : "server").append(": ")
                .append(abbreviate(failure.message(), MAX_TRANSCRIPT));
        if (!failure.transcript().isEmpty()) {
            text.append(System.lineSeparator()).append(bounded(failure.transcript(), transcriptLimit));
        }
        return text.toString();
    }

    /**
     * Makes the error that {@code verify()} throws: the failures (bounded, with their transcripts) under the name of
     * the server or proxy, and the causes of the listed ones as suppressed exceptions.
     *
     * @param name the server or proxy as messages name it, such as {@code fake TCP server 127.0.0.1:4000}
     * @param owner {@code "server"} or {@code "proxy"}: whose {@code failures()} lists them all
     * @param failures the failures, at least one
     * @return the error
     */
    public static AssertionError failuresError(String name, String owner, List<ScriptFailure> failures) {
        AssertionError error = new AssertionError("Expected no failures on " + name + ", but there "
                + (failures.size() == 1 ? "was " : "were ") + count(failures.size(), "failure", "failures") + ":"
                + failures(failures, owner));
        for (ScriptFailure failure : failures.subList(0, Math.min(failures.size(), MAX_LISTED))) {
            if (failure.cause() != null) {
                error.addSuppressed(failure.cause());
            }
        }
        return error;
    }

    /**
     * Joins the transcripts of connections, or notes that there were none.
     *
     * @param connections the connections, in order
     * @param authority where clients connected, for the note
     * @return one transcript after the other
     */
    public static String transcripts(List<? extends RecordedConnection> connections, String authority) {
        if (connections.isEmpty()) {
            return "  (no connections to " + authority + ")\n";
        }
        StringBuilder text = new StringBuilder();
        for (RecordedConnection connection : connections) {
            text.append(connection.transcript());
        }
        return text.toString();
    }

    /**
     * Lists failures for a message, one numbered item each ({@code 1) connection #1: expected ...} and the
     * transcript), at most {@link #MAX_LISTED} of them with their transcripts together at most about
     * {@link #MAX_TRANSCRIPT} characters, then {@code ... and N more failures; all of them: server.failures()}
     * ({@code proxy.failures()} for a proxy's). Each item starts on a new line.
     *
     * @param failures the failures
     * @param owner {@code "server"} or {@code "proxy"}: whose {@code failures()} lists them all
     * @return the list, empty if there are none
     */
    public static String failures(List<ScriptFailure> failures, String owner) {
        int listed = Math.min(failures.size(), MAX_LISTED);
        if (listed == 0) {
            return "";
        }
        int share = Math.max(1024, MAX_TRANSCRIPT / listed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < listed; i++) {
            text.append(System.lineSeparator()).append(i + 1).append(") ").append(describe(failures.get(i), share));
        }
        if (failures.size() > listed) {
            text.append(System.lineSeparator()).append("... and ")
                    .append(count(failures.size() - listed, "more failure", "more failures"))
                    .append("; all of them: ").append(owner).append(".failures()");
        }
        return text.toString();
    }

    /**
     * Lists the transcripts of connections for a message: at most {@link #MAX_LISTED} of them, together at most
     * about {@link #MAX_TRANSCRIPT} characters (each gets an equal share), then {@code ... and N more
     * connections; all of them: server.transcript()}.
     *
     * @param transcripts the transcripts of the connections, in order
     * @return the listing, empty if there are none
     */
    public static String transcripts(List<String> transcripts) {
        int shown = Math.min(transcripts.size(), MAX_LISTED);
        if (shown == 0) {
            return "";
        }
        int share = Math.max(1024, MAX_TRANSCRIPT / shown);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            text.append(bounded(transcripts.get(i), share));
        }
        if (transcripts.size() > shown) {
            text.append("  ... and ").append(count(transcripts.size() - shown, "more connection", "more connections"))
                    .append("; all of them: server.transcript()\n");
        }
        return text.toString();
    }
}
