package dev.tcpfixture.junit.internal;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.ScriptFailure;
import dev.tcpfixture.internal.Messages;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * The extension's pieces of failure messages, in the one voice of tcpfixture: bytes, text, durations, counts
 * and transcripts through core's {@link Messages}, so that every message stays bounded whatever the payloads.
 */
public final class Wording {

    /** The line separator of messages. */
    public static final String NEWLINE = System.lineSeparator();

    private Wording() {
    }

    /** Names the server: {@code fake TCP server 127.0.0.1:4000}. */
    public static String server(FakeTcpServer server) {
        return Messages.server(server.address());
    }

    /** Names the server and its mode: {@code fake TCP server 127.0.0.1:4000 (mode REFUSE)}. */
    public static String serverWithMode(FakeTcpServer server) {
        return server(server) + " (mode " + server.mode() + (server.isClosed() ? ", closed" : "") + ")";
    }

    /** Names the connection: {@code connection #1 from 127.0.0.1:5555}. */
    public static String connection(RecordedConnection connection) {
        return "connection #" + connection.id() + " from " + Messages.address(connection.remoteAddress());
    }

    /**
     * Lists lines as the bytes the client sent, one quoted line each, at most {@link Messages#MAX_LISTED}; the
     * rest counted, with where all of them are.
     */
    public static String lines(List<byte[]> lines, String whole) {
        if (lines.isEmpty()) {
            return "  (no complete lines)";
        }
        StringBuilder text = new StringBuilder();
        int shown = Math.min(lines.size(), Messages.MAX_LISTED);
        for (int i = 0; i < shown; i++) {
            text.append(i == 0 ? "" : NEWLINE).append("  ").append(Messages.quote(lines.get(i)));
        }
        if (lines.size() > shown) {
            text.append(NEWLINE).append("  ... and ").append(Messages.count(lines.size() - shown, "more line",
                    "more lines")).append("; all of them: ").append(whole);
        }
        return text.toString();
    }

    /**
     * Lists failures, numbered, in core's one format ({@link Messages#failures(List, String)}): at most
     * {@link Messages#MAX_LISTED}, the rest counted, their transcripts together at most about
     * {@link Messages#MAX_TRANSCRIPT} characters.
     */
    public static String failures(List<ScriptFailure> failures) {
        return Messages.failures(failures, "server").strip();
    }

    /** Numbers of connections: {@code #3 #4}, at most {@link Messages#MAX_LISTED}, then {@code ... and N more}. */
    public static String ids(List<RecordedConnection> connections) {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(connections.size(), Messages.MAX_LISTED);
        for (int i = 0; i < shown; i++) {
            text.append(i == 0 ? "#" : " #").append(connections.get(i).id());
        }
        if (connections.size() > shown) {
            text.append(" ... and ").append(connections.size() - shown).append(" more");
        }
        return text.toString();
    }

    /**
     * The transcript block of a message about a server: at most {@link Messages#MAX_LISTED} connections, together
     * bounded, the rest counted with where the whole record is. Only the connections shown are rendered.
     */
    public static String transcript(FakeTcpServer server) {
        List<RecordedConnection> connections = server.connections();
        String listing;
        if (connections.isEmpty()) {
            listing = server.transcript();
        } else {
            listing = Messages.transcripts(new AbstractList<String>() {
                @Override
                public String get(int index) {
                    return connections.get(index).transcript();
                }

                @Override
                public int size() {
                    return connections.size();
                }
            });
        }
        return NEWLINE + "Transcript:" + NEWLINE + listing.stripTrailing();
    }

    /** The transcript block of a message about one connection, bounded. */
    public static String transcript(RecordedConnection connection) {
        return NEWLINE + "Transcript:" + NEWLINE + Messages.bounded(connection.transcript()).stripTrailing();
    }

    /**
     * Splits what the client sent into its complete lines, as bytes, without their line endings ({@code \n} or
     * {@code \r\n}): the lines of {@link RecordedConnection#receivedLines()}, as sent, not as decoded.
     */
    public static List<byte[]> rawLines(byte[] received) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < received.length; i++) {
            if (received[i] == '\n') {
                int end = i > start && received[i - 1] == '\r' ? i - 1 : i;
                byte[] line = new byte[end - start];
                System.arraycopy(received, start, line, 0, line.length);
                lines.add(line);
                start = i + 1;
            }
        }
        return lines;
    }
}
