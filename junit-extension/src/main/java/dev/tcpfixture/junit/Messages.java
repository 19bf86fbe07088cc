package dev.tcpfixture.junit;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import dev.tcpfixture.internal.Transcripts;
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

    /** Shows bytes as the transcripts do: printable ASCII as text, the rest escaped. */
    static String bytes(byte[] data) {
        return data.length + " bytes \"" + Transcripts.escape(data) + '"';
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
        return "connection #" + connection.id() + " from " + Transcripts.address(connection.remoteAddress());
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
