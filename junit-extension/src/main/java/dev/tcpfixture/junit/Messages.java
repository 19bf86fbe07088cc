package dev.tcpfixture.junit;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Shared pieces of failure messages: quoting, naming servers and connections, transcript blocks.
 */
final class Messages {

    static final String NEWLINE = System.lineSeparator();

    private Messages() {
    }

    /** Quotes text the way transcripts show it: {@code \r}, {@code \n} and other control characters visible. */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        text.chars().forEach(c -> escape(quoted, c, false));
        return quoted.append('"').toString();
    }

    /** Shows bytes as the transcripts do: printable ASCII as text, the rest escaped. */
    static String bytes(byte[] data) {
        StringBuilder text = new StringBuilder().append(data.length).append(" bytes \"");
        for (byte b : data) {
            escape(text, b & 0xff, true);
        }
        return text.append('"').toString();
    }

    /** Appends one character, or byte, escaped as in transcripts; non-ASCII ones only if {@code asciiOnly}. */
    private static void escape(StringBuilder text, int c, boolean asciiOnly) {
        switch (c) {
            case '\r' -> text.append("\\r");
            case '\n' -> text.append("\\n");
            case '\t' -> text.append("\\t");
            case '"' -> text.append("\\\"");
            case '\\' -> text.append("\\\\");
            default -> {
                if (c < 0x20 || c == 0x7f || (asciiOnly && c > 0x7f)) {
                    text.append(String.format(Locale.ROOT, "\\x%02X", c));
                } else {
                    text.append((char) c);
                }
            }
        }
    }

    static String lines(List<String> lines) {
        if (lines.isEmpty()) {
            return "  (no complete lines)";
        }
        return lines.stream().map(line -> "  " + quote(line)).collect(Collectors.joining(NEWLINE));
    }

    static String server(FakeTcpServer server) {
        return "fake TCP server " + server.authority();
    }

    static String connection(RecordedConnection connection) {
        return "connection #" + connection.id() + " from " + address(connection.remoteAddress());
    }

    /** Formats an address as transcripts do: {@code 127.0.0.1:4711}, {@code [::1]:4711}, without a scope. */
    static String address(InetSocketAddress address) {
        if (address == null) {
            return "?";
        }
        InetAddress host = address.getAddress();
        if (!(host instanceof Inet6Address)) {
            return host.getHostAddress() + ":" + address.getPort();
        }
        String literal = host.isLoopbackAddress() ? "::1" : host.getHostAddress().replaceFirst("%.*", "");
        return "[" + literal + "]:" + address.getPort();
    }

    static String failures(List<ScriptFailure> failures) {
        StringBuilder text = new StringBuilder();
        int number = 1;
        for (ScriptFailure failure : failures) {
            if (text.length() > 0) {
                text.append(NEWLINE);
            }
            text.append(number++).append(") ").append(failure.describe().stripTrailing());
        }
        return text.toString();
    }

    static String transcript(FakeTcpServer server) {
        return NEWLINE + "Transcript:" + NEWLINE + server.transcript().stripTrailing();
    }

    static String transcript(RecordedConnection connection) {
        return NEWLINE + "Transcript:" + NEWLINE + connection.transcript().stripTrailing();
    }
}
