package dev.tcpfixture.junit;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import java.net.Inet6Address;
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
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> quoted.append("\\r");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /** Shows bytes as quoted text when they are printable ASCII, else in hex. */
    static String bytes(byte[] data) {
        StringBuilder text = new StringBuilder().append(data.length).append(" bytes ");
        StringBuilder quoted = new StringBuilder("\"");
        for (byte b : data) {
            int value = b & 0xff;
            switch (value) {
                case '\r' -> quoted.append("\\r");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (value >= 0x20 && value < 0x7f) {
                        quoted.append((char) value);
                    } else {
                        quoted.append(String.format(Locale.ROOT, "\\x%02X", value));
                    }
                }
            }
        }
        return text.append(quoted).append('"').toString();
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

    static String address(InetSocketAddress address) {
        if (address == null) {
            return "?";
        }
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
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
