package dev.tcpfixture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void quotesTextAsTextAndOtherBytesEscaped() {
        assertThat(Messages.quote(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\r', '\n', '"', '\\', '\t', 0}))
                .isEqualTo("\"caf\\xE9\\r\\n\\\"\\\\\\t\\x00\"");
        assertThat(Messages.quote("café", StandardCharsets.UTF_8)).isEqualTo("\"caf\\xC3\\xA9\"");
        assertThat(Messages.quote("café", StandardCharsets.ISO_8859_1)).isEqualTo("\"caf\\xE9\"");
        assertThat(Messages.quote(new byte[0])).isEqualTo("\"\"");
    }

    @Test
    void quotesAtMost256BytesAsStartAndEnd() {
        byte[] exactly = new byte[Messages.MAX_QUOTED];
        Arrays.fill(exactly, (byte) 'a');
        assertThat(Messages.quote(exactly)).isEqualTo('"' + "a".repeat(256) + '"');

        byte[] big = new byte[10 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        big[0] = 'S';
        big[big.length - 1] = 'E';
        String quoted = Messages.quote(big);
        assertThat(quoted).isEqualTo("\"S" + "x".repeat(127) + "\" ... " + (big.length - 256) + " bytes omitted ... \""
                + "x".repeat(127) + "E\"");

        byte[] binary = new byte[100_000];
        assertThat(Messages.quote(binary).length()).isLessThanOrEqualTo(4 * Messages.MAX_QUOTED + 60);
    }

    @Test
    void quotesARange() {
        byte[] data = "hello world".getBytes(StandardCharsets.US_ASCII);
        assertThat(Messages.quote(data, 6, 5)).isEqualTo("\"world\"");
    }

    @Test
    void oneDurationFormat() {
        assertThat(Messages.duration(Duration.ofMillis(250))).isEqualTo("250 ms");
        assertThat(Messages.duration(Duration.ZERO)).isEqualTo("0 ms");
        assertThat(Messages.duration(Duration.ofNanos(500_000))).isEqualTo("0.5 ms");
        assertThat(Messages.duration(Duration.ofMillis(999))).isEqualTo("999 ms");
        assertThat(Messages.duration(Duration.ofSeconds(1))).isEqualTo("1 s");
        assertThat(Messages.duration(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(Messages.duration(Duration.ofSeconds(5))).isEqualTo("5 s");
        assertThat(Messages.duration(Duration.ofMinutes(2))).isEqualTo("120 s");
        assertThat(Messages.duration(Duration.ofSeconds(-5))).isEqualTo("-5 s");
        assertThat(Messages.duration(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo("forever");
    }

    @Test
    void countsWithTheRightNoun() {
        assertThat(Messages.count(0, "connection", "connections")).isEqualTo("0 connections");
        assertThat(Messages.count(1, "connection", "connections")).isEqualTo("1 connection");
        assertThat(Messages.count(2, "connection", "connections")).isEqualTo("2 connections");
    }

    @Test
    void formatsAddresses() throws Exception {
        assertThat(Messages.address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 4000)))
                .isEqualTo("127.0.0.1:4000");
        assertThat(Messages.address(new InetSocketAddress(InetAddress.getByName("::1"), 4000)))
                .isEqualTo("[::1]:4000");
        assertThat(Messages.server(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 4000)))
                .isEqualTo("fake TCP server 127.0.0.1:4000");
        assertThat(Messages.address(null)).isEqualTo("?");
    }

    @Test
    void boundsATranscriptToItsStartAndEndAtLineEnds() {
        StringBuilder transcript = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            transcript.append("    +0.001s  client> \"line ").append(i).append("\\n\"\n");
        }
        String bounded = Messages.bounded(transcript.toString());
        assertThat(bounded.length()).isLessThanOrEqualTo(Messages.MAX_TRANSCRIPT);
        assertThat(bounded).startsWith("    +0.001s  client> \"line 0\\n\"\n")
                .endsWith("client> \"line 19999\\n\"\n")
                .contains("characters omitted (the whole record: server.transcript() or connection.received()) ...\n");
        String omittedLine = bounded.lines().filter(line -> line.contains("omitted")).findFirst().orElseThrow();
        long omitted = Long.parseLong(omittedLine.trim().split(" ")[1]);
        assertThat(bounded.length() - omittedLine.length() - 1 + omitted).isEqualTo(transcript.length());
        assertThat(Messages.bounded("short\n")).isEqualTo("short\n");
    }

    @Test
    void boundsAWholeLineOfText() {
        String line = "y".repeat(1_000_000);
        String bounded = Messages.bounded(line, 4096);
        assertThat(bounded.length()).isLessThanOrEqualTo(4096);
        assertThat(bounded).startsWith("yyy").endsWith("yyy").contains("characters omitted");
    }

    @Test
    void abbreviatesFreeTextWithoutSplittingSurrogates() {
        String text = "😀".repeat(5_000);
        String shortened = Messages.abbreviate(text, 200);
        assertThat(shortened.length()).isLessThanOrEqualTo(200);
        assertThat(shortened).contains("characters omitted");
        assertThat(shortened.codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF)).isEmpty();
        assertThat(Messages.abbreviate("short")).isEqualTo("short");
    }

    @Test
    void listsAtMostTwentyTranscriptsWithinTheBound() {
        List<String> transcripts = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            transcripts.add("  connection #" + i + "\n" + ("    +0.000s  client> \"" + "z".repeat(1000) + "\"\n").repeat(100));
        }
        String listing = Messages.transcripts(transcripts);
        assertThat(listing).contains("connection #20\n").doesNotContain("connection #21\n")
                .endsWith("  ... and 180 more connections; all of them: server.transcript()\n");
        assertThat(listing.length()).isLessThan(Messages.MAX_TRANSCRIPT + 200);
        assertThat(Messages.transcripts(List.of())).isEmpty();
    }
}
