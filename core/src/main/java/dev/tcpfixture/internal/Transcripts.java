package dev.tcpfixture.internal;

import dev.tcpfixture.TranscriptEvent;
import java.util.List;
import java.util.Locale;

/**
 * Renders transcripts for people: one line per event, printable ASCII as is, everything else escaped (as
 * {@link Messages#escape}). Long conversations are shortened in the middle: at most 250 events, at most 1,024
 * bytes of each; messages shorten them further with {@link Messages#bounded}.
 */
final class Transcripts {

    static final int MAX_BYTES_PER_EVENT = 1_024;
    static final int HEAD_EVENTS = 150;
    static final int TAIL_EVENTS = 100;

    private Transcripts() {
    }

    static String render(ConnectionRecorder connection, List<TranscriptEvent> events, long receivedCount,
            long sentCount, long omittedDataEvents) {
        StringBuilder text = new StringBuilder();
        text.append("  connection #").append(connection.id()).append(' ')
                .append(Messages.address(connection.remoteAddress())).append(" -> ")
                .append(Messages.address(connection.localAddress()))
                .append(" (received ").append(Messages.count(receivedCount, "byte", "bytes"))
                .append(", sent ").append(Messages.count(sentCount, "byte", "bytes"))
                .append(omittedDataEvents > 0 ? ", " + Messages.count(omittedDataEvents, "later data event",
                        "later data events") + " not listed" : "")
                .append(")\n");
        int count = events.size();
        for (int i = 0; i < count; i++) {
            if (count > HEAD_EVENTS + TAIL_EVENTS && i == HEAD_EVENTS) {
                int skipped = count - HEAD_EVENTS - TAIL_EVENTS;
                text.append("    ... ").append(Messages.count(skipped, "event", "events")).append(" omitted ...\n");
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
                        .append('"').append(Messages.escape(data, lineStart, i + 1)).append('"').append('\n');
                first = false;
                lineStart = i + 1;
            }
        }
        if (shown < data.length) {
            text.append(" ".repeat(time.length())).append(direction).append("... ")
                    .append(Messages.count(data.length - shown, "more byte", "more bytes")).append('\n');
        }
    }
}
