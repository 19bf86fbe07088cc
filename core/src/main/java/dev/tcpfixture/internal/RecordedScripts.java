package dev.tcpfixture.internal;

import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.TranscriptEvent;
import dev.tcpfixture.TranscriptEvent.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a recorded conversation into the server's side of it as a {@link Script}: what the server sent becomes
 * send steps and what the client sent expect steps, in the order of the events; the server's close, reset and
 * half-close become the matching steps. Consecutive data events of one direction are one turn, their bytes taken
 * together. A turn that is text in the connection's charset becomes lines ({@code sendLine}, {@code expectLine})
 * and text where a line ending is missing, after a {@code withCharset} step if it is not plain ASCII; any other
 * turn is one bytes step.
 */
public final class RecordedScripts {

    private static final String CRLF = "\r\n";

    /** How {@link Session#drain()}, the end of every script without a final step, notes its close. */
    private static final String CLOSED_AFTER_CLIENT = "server closed the connection after the client did";
    private static final String PROXY_CLOSED_AFTER_BOTH = "proxy closed the connection after both sides closed";

    private RecordedScripts() {
    }

    /**
     * Makes the script of a recorded connection.
     *
     * @param connection the recording
     * @return the server's side of the conversation
     * @throws IllegalStateException if the recording is not complete (the recording limit or the event limit
     *     was reached), so that no exact script can be made of it
     */
    public static Script toScript(RecordedConnection connection) {
        Snapshot snapshot;
        if (connection instanceof ConnectionRecorder recorder) {
            synchronized (recorder) { // the recorder's lock: nothing is recorded between the counts and the events
                snapshot = Snapshot.of(recorder);
            }
        } else {
            snapshot = Snapshot.of(connection); // counts first: events taken after hold at least as many bytes
        }
        List<TranscriptEvent> events = snapshot.events();
        snapshot.requireComplete(connection.id());
        Charset charset = connection instanceof ConnectionRecorder recorder ? recorder.charset()
                : StandardCharsets.UTF_8;
        Builder builder = new Builder(charset);
        boolean clientClosed = false;
        boolean dataSeen = false;
        boolean halfCloseAfterClient = false; // a half-close after the client's close, with nothing sent since
        for (TranscriptEvent event : events) {
            switch (event.kind()) {
                case RECEIVED, SENT -> {
                    if (halfCloseAfterClient) {
                        builder.flush().add(builder.script.shutdownOutput());
                        halfCloseAfterClient = false;
                    }
                    builder.data(event.kind(), event.data());
                    dataSeen = true;
                }
                case CLIENT_CLOSED, CLIENT_RESET -> clientClosed = true;
                case SERVER_HALF_CLOSED -> {
                    if (clientClosed) {
                        halfCloseAfterClient = true; // decided by what follows: see SERVER_CLOSED
                    } else {
                        builder.flush().add(builder.script.shutdownOutput());
                    }
                }
                case SERVER_CLOSED -> {
                    // a server that closed because the client did (the fake server's close after the client's,
                    // the proxy's once the client and then the upstream closed) is a script without a last step,
                    // which ends so; any other close is a close step, even one that came after the client's
                    boolean followed = clientClosed && (CLOSED_AFTER_CLIENT.equals(event.detail())
                            || halfCloseAfterClient && PROXY_CLOSED_AFTER_BOTH.equals(event.detail()));
                    if (followed) {
                        return builder.flush().script;
                    }
                    if (halfCloseAfterClient) {
                        builder.flush().add(builder.script.shutdownOutput());
                    }
                    return builder.flush().script.close();
                }
                case SERVER_RESET -> {
                    return builder.flush().script.reset();
                }
                case NOTE -> {
                    // the handshake of startTls() in the middle of a conversation; at its start, the server
                    // speaks TLS from the first byte and runs no step for it
                    if (dataSeen && event.detail().startsWith("TLS handshake: ")) {
                        builder.flush().add(builder.script.startTls());
                    }
                }
                default -> {
                    // accepted, failures: not the server's doing
                }
            }
        }
        if (halfCloseAfterClient) {
            builder.flush().add(builder.script.shutdownOutput());
        }
        return builder.flush().script;
    }

    /** The counts and the events of a connection, the counts taken first. */
    private record Snapshot(long receivedCount, long sentCount, List<TranscriptEvent> events, int receivedKept,
            int sentKept) {

        static Snapshot of(RecordedConnection connection) {
            long receivedCount = connection.receivedByteCount();
            long sentCount = connection.sentByteCount();
            List<TranscriptEvent> events = connection.events();
            return new Snapshot(receivedCount, sentCount, events, connection.received().length,
                    connection.sent().length);
        }

        /** Throws if the events hold fewer bytes than the connection counted: the recording is truncated. */
        void requireComplete(int id) {
            long received = 0;
            long sent = 0;
            for (TranscriptEvent event : events) {
                if (event.kind() == Kind.RECEIVED) {
                    received += event.data().length;
                } else if (event.kind() == Kind.SENT) {
                    sent += event.data().length;
                }
            }
            boolean client = received < receivedCount;
            if (!client && sent >= sentCount) {
                return;
            }
            long total = client ? receivedCount : sentCount;
            long listed = client ? received : sent;
            boolean eventLimit = (client ? receivedKept : sentKept) > listed;
            throw new IllegalStateException("Expected a complete recording to make a script of, but the recording "
                    + "of connection #" + id + " is truncated: " + (client ? "the client sent " : "the server sent ")
                    + Messages.count(total, "byte", "bytes") + ", of which " + listed + " are in its events"
                    + (eventLimit ? " (the limit of " + ConnectionRecorder.MAX_DATA_EVENTS + " data events was "
                    + "reached); record a shorter conversation"
                    : " (the recording limit); raise the limit to at least " + total + " bytes with "
                    + "recordingLimit(...) on the builder of the server or proxy that recorded it, for example "
                    + "FakeTcpServer.builder().recordingLimit(" + total + "), and record again"));
        }
    }

    /** Collects the bytes of one turn and makes steps of them. */
    private static final class Builder {
        final Charset charset;
        Script script = Script.create();
        String lineEnding = CRLF; // of the script's sendLine steps, as a session starts
        boolean charsetPinned; // whether the script names its charset: text with characters outside ASCII needs it
        Kind turn;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Builder(Charset charset) {
            this.charset = charset;
        }

        void data(Kind kind, byte[] data) {
            if (turn != kind) {
                flush();
                turn = kind;
            }
            bytes.writeBytes(data);
        }

        void add(Script longer) {
            script = longer;
        }

        Builder flush() {
            if (bytes.size() > 0) {
                byte[] data = bytes.toByteArray();
                bytes.reset();
                if (turn == Kind.SENT) {
                    sendTurn(data);
                } else {
                    expectTurn(data);
                }
            }
            turn = null;
            return this;
        }

        private void sendTurn(byte[] data) {
            turn(data, true);
        }

        private void expectTurn(byte[] data) {
            turn(data, false);
        }

        /**
         * Makes steps of a turn: if it is all text in the charset, one line step per line (a text step for the
         * rest after the last line ending); else one bytes step, so that binary data that happens to hold a
         * printable stretch stays one step.
         */
        private void turn(byte[] data, boolean server) {
            String text = text(data);
            if (text == null) {
                bytes(data, server);
                return;
            }
            // text that is not plain ASCII bytes is sent and expected in the charset it was recorded in, whatever
            // the charset of the server that replays it
            if (!charsetPinned && !Arrays.equals(text.getBytes(StandardCharsets.US_ASCII), data)) {
                script = script.withCharset(charset);
                charsetPinned = true;
            }
            int start = 0;
            while (start < text.length()) {
                int newline = text.indexOf('\n', start);
                int end = newline < 0 ? text.length() : newline + 1;
                if (server) {
                    sendText(text.substring(start, end));
                } else {
                    expectText(text.substring(start, end));
                }
                start = end;
            }
        }

        private void bytes(byte[] data, boolean server) {
            script = server ? script.send(data) : script.expect(data);
        }

        /** Sends a line, or text without a line ending. */
        private void sendText(String text) {
            if (!text.endsWith("\n")) {
                script = script.send(text);
                return;
            }
            boolean crlf = text.endsWith(CRLF);
            String ending = crlf ? CRLF : "\n";
            if (!ending.equals(lineEnding)) {
                script = script.withLineEnding(ending);
                lineEnding = ending;
            }
            script = script.sendLine(text.substring(0, text.length() - ending.length()));
        }

        /** Expects a line, or text without a line ending (or a line the server could not read as one). */
        private void expectText(String text) {
            String line = text.endsWith(CRLF) ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : null;
            if (line == null || line.endsWith("\r")
                    || line.getBytes(charset).length > ServerSettings.DEFAULT_LINE_LIMIT) {
                script = script.expect(text);
            } else {
                script = script.expectLine(line);
            }
        }

        /** The bytes as text in the charset, or {@code null} if they are not text: undecodable or control bytes. */
        private String text(byte[] data) {
            String text = new String(data, charset);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isISOControl(c) && c != '\r' && c != '\n' && c != '\t') {
                    return null;
                }
            }
            return Arrays.equals(text.getBytes(charset), data) ? text : null;
        }
    }
}
