package dev.tcpfixture.internal;

import dev.tcpfixture.TranscriptEvent;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Renders transcripts for people: one line per event, printable ASCII as is, everything else escaped. Long
 * conversations are shortened in the middle so that failure messages stay readable.
 */
public final class Transcripts {

    static final int MAX_BYTES_PER_EVENT = 1_024;
    static final int HEAD_EVENTS = 150;
    static final int TAIL_EVENTS = 100;

    private Transcripts() {
    }

    static String render(ConnectionRecorder connection, List<TranscriptEvent> events, long receivedCount,
            long sentCount, long omittedDataEvents) {
        StringBuilder text = new StringBuilder();
        text.append("  connection #").append(connection.id()).append(' ')
                .append(address(connection.remoteAddress())).append(" -> ")
                .append(address(connection.localAddress()))
                .append(" (received ").append(receivedCount).append(" bytes, sent ").append(sentCount)
                .append(" bytes")
                .append(omittedDataEvents > 0 ? ", " + omittedDataEvents + " later data events not listed" : "")
                .append(")\n");
        int count = events.size();
        for (int i = 0; i < count; i++) {
            if (count > HEAD_EVENTS + TAIL_EVENTS && i == HEAD_EVENTS) {
                int skipped = count - HEAD_EVENTS - TAIL_EVENTS;
                text.append("    ... ").append(skipped).append(" events omitted ...\n");
                i += skipped - 1;
                continue;
            }
            appendEvent(text, events.get(i));
        }
        return text.toString();
    }

    private static void appendEvent(StringBuilder text, TranscriptEvent event) {
        String time = String.format(Locale.ROOT, "    +%d.%03ds  ", event.elapsed().toSeconds(),
                event.elapsed().toMillisPart());
        switch (event.kind()) {
            case RECEIVED -> appendData(text, time, "client> ", event.data());
            case SENT -> appendData(text, time, "server> ", event.data());
            case FAILURE -> text.append(time).append("FAILED: ").append(event.detail()).append('\n');
            default -> text.append(time).append(event.detail().isEmpty()
                    ? event.kind().name().toLowerCase(Locale.ROOT) : event.detail()).append('\n');
        }
    }

    private static void appendData(StringBuilder text, String time, String direction, byte[] data) {
        int shown = Math.min(data.length, MAX_BYTES_PER_EVENT);
        int lineStart = 0;
        boolean first = true;
        for (int i = 0; i < shown; i++) {
            if (data[i] == '\n' || i == shown - 1) {
                text.append(first ? time : " ".repeat(time.length())).append(direction)
                        .append('"').append(escape(data, lineStart, i + 1)).append('"').append('\n');
                first = false;
                lineStart = i + 1;
            }
        }
        if (shown < data.length) {
            text.append(" ".repeat(time.length())).append(direction).append("... ")
                    .append(data.length - shown).append(" more bytes\n");
        }
    }

    /**
     * Escapes bytes for display: printable ASCII as is, {@code \r \n \t \" \\} as in Java, others as
     * {@code \xNN}.
     *
     * @param data the bytes
     * @param from the first index, inclusive
     * @param to the last index, exclusive
     * @return the escaped text
     */
    public static String escape(byte[] data, int from, int to) {
        StringBuilder text = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            int b = data[i] & 0xff;
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
                        text.append(String.format(Locale.ROOT, "\\x%02X", b));
                    }
                }
            }
        }
        return text.toString();
    }

    /**
     * Escapes all of {@code data}; see {@link #escape(byte[], int, int)}.
     *
     * @param data the bytes
     * @return the escaped text
     */
    public static String escape(byte[] data) {
        return escape(data, 0, data.length);
    }

    /**
     * Formats an address as {@code host:port}, with brackets around IPv6 hosts.
     *
     * @param address the socket address
     * @return the formatted address
     */
    public static String address(InetSocketAddress address) {
        if (address == null) {
            return "?";
        }
        return host(address.getAddress()) + ":" + address.getPort();
    }

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
}
