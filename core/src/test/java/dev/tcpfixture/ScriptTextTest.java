package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The text form of scripts: {@code format}, {@code parse}, {@code save}, {@code load}. */
class ScriptTextTest {

    private static final String HEADER = "# tcpfixture script: one step per line (see Script.parse)\n";

    /** Every byte value once. */
    private static byte[] allBytes() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** Characters that need care: quotes, backslashes, controls, non-ASCII, a pair and lone surrogates. */
    private static final String AWKWARD_TEXT = "q\"b\\s\r\n\t\u0000\u001f\u007f\u0080\u0085\u00e9\u4e2d\u2028\u200b"
            + "\uFEFF\ud83d\ude00\ud800x\udc00\uE000 end";

    private static Script everyNonFinalStep() {
        return Script.create()
                .send(allBytes())
                .send(new byte[0])
                .send(AWKWARD_TEXT)
                .sendLine("220 mail.test ESMTP")
                .sendLine("")
                .sendRandomBytes(100, -42L)
                .expect(allBytes())
                .expect("text \u00e9")
                .expectLine("HELO client.test")
                .expectLineMatching("HELO [a-z]+/\\d+ \"quoted\" # not a comment /x/")
                .skipLine()
                .skipLinesThrough("")
                .skipBytes(3)
                .pause(Duration.ofMillis(250))
                .pause(Duration.ofNanos(1))
                .pause(Duration.ofSeconds(1, 500_000_000))
                .pause(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))
                .drip(1, Duration.ofMillis(10))
                .drip(16, Duration.ofMillis(1))
                .fragment(1, 2, 3)
                .fragment(7)
                .deliverWhole()
                .closeAfterSending(10)
                .closeAfterSending(1)
                .withLineEnding("\n")
                .withLineEnding(AWKWARD_TEXT)
                .withStepTimeout(Duration.ofSeconds(2))
                .withStepTimeout(Duration.ofNanos(1_001))
                .shutdownOutput()
                .startTls();
    }

    static Stream<Arguments> everyStepType() {
        Script steps = everyNonFinalStep();
        return Stream.of(
                Arguments.of("close", steps.close()),
                Arguments.of("reset", steps.reset()),
                Arguments.of("stall", steps.stall()),
                Arguments.of("echo", steps.echo()),
                Arguments.of("tls stall", Script.create().tlsStall()),
                Arguments.of("plaintext reply", Script.create().plaintextReply("HTTP/1.1 400 Bad Request\r\n\r\n")),
                Arguments.of("reset during handshake", Script.create().resetDuringHandshake()),
                Arguments.of("empty", Script.create()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyStepType")
    void everyStepTypeRoundTripsExactly(String name, Script script) {
        String text = script.format();

        Script parsed = Script.parse(text);

        assertThat(parsed.format()).isEqualTo(text);
        assertThat(parsed.describeSteps()).isEqualTo(script.describeSteps());
        assertThat(text.lines().count()).isEqualTo(script.describeSteps().size() + 1); // one line per step
    }

    @Test
    void writesOneStepPerLineInTheWordsOfATranscript() {
        Script script = everyNonFinalStep().close();

        assertThat(script.format()).isEqualTo(HEADER
                + "server> \"" + escapedAllBytes() + "\"\n"
                + "server> \"\"\n"
                + "server> text \"q\\\"b\\\\s\\r\\n\\t\\x00\\x1F\\x7F\\u0080\\u0085\u00e9\u4e2d\\u2028\\u200B\\uFEFF"
                + "\ud83d\ude00\\uD800x\\uDC00\\uE000 end\"\n"
                + "server> line \"220 mail.test ESMTP\"\n"
                + "server> line \"\"\n"
                + "server> random 100 bytes seed -42\n"
                + "client> \"" + escapedAllBytes() + "\"\n"
                + "client> text \"text \u00e9\"\n"
                + "client> line \"HELO client.test\"\n"
                + "client> line matching /HELO [a-z]+/\\d+ \"quoted\" # not a comment /x//\n"
                + "client> skip line\n"
                + "client> skip lines through \"\"\n"
                + "client> skip 3 bytes\n"
                + "pause 250 ms\n"
                + "pause 0.000001 ms\n"
                + "pause 1.5 s\n"
                + "pause 9223372036854775807.999999999 s\n"
                + "drip 1 byte every 10 ms\n"
                + "drip 16 bytes every 1 ms\n"
                + "fragment 1 2 3\n"
                + "fragment 7\n"
                + "deliver whole\n"
                + "close after sending 10 bytes\n"
                + "close after sending 1 byte\n"
                + "line ending \"\\n\"\n"
                + "line ending \"q\\\"b\\\\s\\r\\n\\t\\x00\\x1F\\x7F\\u0080\\u0085\u00e9\u4e2d\\u2028\\u200B\\uFEFF"
                + "\ud83d\ude00\\uD800x\\uDC00\\uE000 end\"\n"
                + "step timeout 2 s\n"
                + "step timeout 0.001001 ms\n"
                + "shutdown output\n"
                + "start tls\n"
                + "close\n");
    }

    private static String escapedAllBytes() {
        StringBuilder text = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            switch (b) {
                case '\r' -> text.append("\\r");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                default -> text.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02X", b));
            }
        }
        return text.toString();
    }

    @Test
    void readsCommentsBlankLinesCrLfTimeStampsAndOtherSpellings() {
        Script script = Script.parse("\uFEFF# a recorded SMTP greeting\r\n"
                + "\r\n"
                + "    +0.001s  server> \"220 ready\\r\\n\"   # copied from a transcript\r\n"
                + "             server> \"more\\x0a\"\r\n"
                + "  # indented comment\n"
                + "CLIENT> LINE \"HELO x\"#no blank needed before a comment after a quote\n"
                + "client> skip 1 byte\n"
                + "pause 1500 us\n"
                + "pause 2 min\n"
                + "step timeout 0.5 s\n"
                + "client> line matching /a/b/ # a comment after a regex\n"
                + "close");

        assertThat(script.format()).isEqualTo(HEADER
                + "server> \"220 ready\\r\\n\"\n"
                + "server> \"more\\n\"\n"
                + "client> line \"HELO x\"\n"
                + "client> skip 1 byte\n"
                + "pause 1.5 ms\n"
                + "pause 120 s\n"
                + "step timeout 500 ms\n"
                + "client> line matching /a/b/\n"
                + "close\n");
    }

    @Test
    void savesOnceAndLoadsTheSameScript(@TempDir Path directory) throws Exception {
        Script script = everyNonFinalStep().close();
        Path file = directory.resolve("recorded.script");
        Files.writeString(file, "an older version, replaced whole");

        script.save(file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(script.format());
        assertThat(Script.load(file).format()).isEqualTo(script.format());
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(file); // no temporary file left beside it
        }
    }

    @Test
    void aHugePayloadStaysOneStepOnOneLine() {
        byte[] payload = new byte[3 * 1024 * 1024];
        new java.util.Random(7).nextBytes(payload);
        Script script = Script.create().send(payload).expect(payload).close();

        String text = script.format();

        assertThat(text.lines().count()).isEqualTo(4);
        Script parsed = Script.parse(text);
        assertThat(parsed.describeSteps()).isEqualTo(script.describeSteps());
        assertThat(parsed.format()).isEqualTo(text);
    }

    @Test
    void refusesToSaveCodeNamingTheStep(@TempDir Path directory) {
        Script handler = Script.create().sendLine("hi").handle("answer a frame", exchange -> { }).close();
        Script responder = Script.create().answerLines(line -> line);
        Script predicate = Script.create().expectLine(line -> line.startsWith("A"), "starts with A");

        assertThatThrownBy(() -> handler.save(directory.resolve("x.script")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Expected a script of data steps to save, but step 2 of 3, \"handle: answer a frame\", "
                        + "runs code (handle(...), answerLines(...) and expectLine(Predicate, ...) do), which a "
                        + "script file cannot hold");
        assertThat(directory).isEmptyDirectory();
        assertThatThrownBy(responder::format).hasMessageContaining("step 1 of 1, \"answer each line\", runs code");
        assertThatThrownBy(predicate::format)
                .hasMessageContaining("step 1 of 1, \"expect a line that starts with A\", runs code");
    }

    @Test
    void refusesARegexThatCannotBeOnOneLine() {
        Script script = Script.create().expectLineMatching("a\nb");

        assertThatThrownBy(script::format)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Expected a regular expression on one line, but step 1, "
                        + "\"expect a line that matches /a\nb/\", holds the control character \\x0A");
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                Arguments.of("send \"hi\"", "expected a step (server> ..., client> ..."),
                Arguments.of("server> line 220 hi", "expected quoted text such as \"220 ready\", but found \"220 hi\""),
                Arguments.of("server> line \"220 hi", "expected a closing quote, but the line ends first: \"\"220 hi\""),
                Arguments.of("server> \"\\q\"", "expected an escape (\\r \\n \\t \\\" \\\\ \\xNN), but found \"\\q\"\""),
                Arguments.of("server> \"\\x4\"", "expected 2 hexadecimal digits after \\x, but found \"\\x4\"\""),
                Arguments.of("server> \"\u00e9\"", "expected printable ASCII or escapes between the quotes of bytes, "
                        + "but found the character U+00E9"),
                Arguments.of("server> \"\\u0041\"", "expected an escape (\\r \\n \\t \\\" \\\\ \\xNN), but found"),
                Arguments.of("server> text \"\\xE9\"", "expected \\xNN below \\x80 in text (text is characters, not "
                        + "bytes), but found \\xE9; write the character itself or \\u00E9"),
                Arguments.of("server> \"a\" \"b\"", "expected the end of the line (or a # comment after a blank), "
                        + "but found \"\"b\"\""),
                Arguments.of("pause 10 parsecs", "expected a unit of time (ns, us, ms, s, min, h) after 10"),
                Arguments.of("pause soon", "expected a duration such as 250 ms or 1.5 s, but found \"soon\""),
                Arguments.of("pause 0.5 ns", "expected a duration in whole nanoseconds"),
                Arguments.of("pause 0 ms", "duration must be positive, was 0 ms"),
                Arguments.of("client> skip many bytes", "expected a whole number, but found \"many bytes\""),
                Arguments.of("client> skip 3 lines", "expected \"bytes\" after the count, but found \"lines\""),
                Arguments.of("client> line matching HELO", "expected a regular expression between slashes"),
                Arguments.of("client> line matching /(/", "Unclosed group"),
                Arguments.of("client> line \"a\\nb\"", "expectLine takes one line without its line ending"),
                Arguments.of("drip 0 bytes every 1 ms", "chunkSize must be positive, was 0"),
                Arguments.of("fragment 1 x", "expected a whole number, but found \"x\""),
                Arguments.of("server> random 3000000000 bytes seed 1", "expected a number up to 2147483647"),
                Arguments.of("deliver half", "expected \"whole\", but found \"half\""),
                Arguments.of("tls fault EXPIRING", "expected a certificate fault (EXPIRED, NOT_YET_VALID, WRONG_HOST, "
                        + "UNTRUSTED_ISSUER, SELF_SIGNED), but found \"EXPIRING\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLines")
    void aBadLineFailsWithItsNumberAndText(String line, String problem) {
        String text = "# a script\nserver> line \"220 ready\"\n\n" + line + "\nclose\n";

        assertThatThrownBy(() -> Script.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("script text, line 4: ")
                .hasMessageContaining(problem)
                .hasMessageEndingWith("\n  the line: " + line);
    }

    @Test
    void aStepAfterTheEndFailsWithItsLine(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("bad.script");
        Files.writeString(file, "close\nserver> line \"late\"\n");

        assertThatThrownBy(() -> Script.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ", line 2: no step can follow \"close\"; it ends the conversation\n"
                        + "  the line: server> line \"late\"");
    }

    @Test
    void aFileThatIsNotUtf8FailsClearly(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("latin1.script");
        Files.write(file, "server> text \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> Script.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected a script in UTF-8 text, but " + file + " is not UTF-8");
    }

    @Test
    void aCharsetStepRoundTripsAndAnUnknownOneFailsWithItsLine() {
        String text = HEADER + "charset ISO-8859-1\nserver> line \"caf\u00e9\"\n";
        assertThat(Script.parse(text).format()).isEqualTo(text);
        assertThat(Script.parse("charset utf-8").format()).isEqualTo(HEADER + "charset UTF-8\n");

        assertThatThrownBy(() -> Script.parse("server> line \"x\"\ncharset klingon-8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("script text, line 2: expected the name of a charset this JDK knows (UTF-8, ISO-8859-1, "
                        + "...), but found \"klingon-8\"\n  the line: charset klingon-8");
    }

    @Test
    void aCharsetThatDoesNotEncodeAsciiAsSingleBytesIsRefusedAsByTheServer() {
        String expected = "charset must encode ASCII, and so line endings, as single bytes (UTF-8, ISO-8859-1, "
                + "US-ASCII and the like), not ";
        assertThatThrownBy(() -> Script.create().withCharset(StandardCharsets.UTF_16))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(expected + "UTF-16");
        java.nio.charset.Charset decodeOnly = java.nio.charset.Charset.forName("ISO-2022-CN");
        assertThat(decodeOnly.canEncode()).isFalse();
        assertThatThrownBy(() -> Script.create().withCharset(decodeOnly))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(expected + "ISO-2022-CN");
        assertThatThrownBy(() -> Script.parse("server> line \"x\"\ncharset UTF-16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("script text, line 2: " + expected + "UTF-16");
    }

    @Test
    void aFileLargerThan64MiBIsRefusedWithoutReadingItAll(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("huge.script");
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            huge.setLength(3L * 1024 * 1024 * 1024); // sparse: 3 GiB on paper, nothing on the disk
        }

        assertThatThrownBy(() -> Script.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected a script file of at most 64 MiB, but " + file + " has more");
    }

    @Test
    void aScriptWhoseTextWouldBeLargerThan64MiBIsNotSaved(@TempDir Path directory) throws Exception {
        byte[] payload = new byte[30 * 1024 * 1024];
        new java.util.Random(7).nextBytes(payload); // mostly escapes: about three characters a byte
        Path file = directory.resolve("big.script");

        assertThatThrownBy(() -> Script.create().send(payload).save(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Expected a script of at most 64 MiB in its text form to save, but it has ")
                .hasMessageEndingWith(" bytes; keep it in memory, or record less");
        assertThat(file).doesNotExist();
        try (var left = Files.list(directory)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aLongBadLineIsShownShortened() {
        String line = "nonsense " + "x".repeat(100_000);

        assertThatThrownBy(() -> Script.parse(line))
                .hasMessageContaining("characters omitted")
                .satisfies(failure -> assertThat(failure.getMessage().length()).isLessThan(1_000));
    }

    @Test
    void withLinesMatchingLoosensTheLinesItMatchesOnly() {
        Script recorded = Script.create()
                .sendLine("220 ready")
                .expectLine("HELO client-17")
                .expectLine("NOOP")
                .expectLine("HELO client-18")
                .close();

        Script loose = recorded.withLinesMatching("HELO client-\\d+");

        assertThat(loose.format()).isEqualTo(HEADER
                + "server> line \"220 ready\"\n"
                + "client> line matching /HELO client-\\d+/\n"
                + "client> line \"NOOP\"\n"
                + "client> line matching /HELO client-\\d+/\n"
                + "close\n");
        assertThat(recorded.describeSteps()).contains("expect line \"HELO client-17\""); // unchanged
        assertThatThrownBy(() -> recorded.withLinesMatching("EHLO .*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Expected an expectLine step whose line matches /EHLO .*/, but none does: "
                        + "Script[send line \"220 ready\"");
    }

    @Test
    void withLinesMatchingKeepsStepsThatRunCode() {
        Script script = Script.create().expectLine("A1").handle("code", exchange -> { });

        List<String> steps = script.withLinesMatching("A\\d").describeSteps();

        assertThat(steps).containsExactly("expect a line that matches /A\\d/", "handle: code");
    }

    @Test
    void bytesParseToTheBytesTheyShow() {
        Script script = Script.parse("server> \"\\x00\\xff\\xFFa\\\"\\\\\\r\\n\\t \"");

        byte[] expected = {0, (byte) 0xff, (byte) 0xff, 'a', '"', '\\', '\r', '\n', '\t', ' '};
        assertThat(script.format()).isEqualTo(HEADER + "server> \"\\x00\\xFF\\xFFa\\\"\\\\\\r\\n\\t \"\n");
        assertThat(script.describeSteps()).containsExactly(Script.create().send(expected).describeSteps().get(0));
    }

    @Test
    void withExpectedBytesSkippedSkipsAsManyBytes() {
        Script script = Script.create().expect(new byte[] {1, 2, 3}).expect("text").expect(new byte[0]).close();

        assertThat(script.withExpectedBytesSkipped().format())
                .isEqualTo(HEADER + "client> skip 3 bytes\nclient> text \"text\"\nclient> skip 0 bytes\nclose\n");
        assertThatThrownBy(() -> Script.create().expect("text").withExpectedBytesSkipped())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected an expect(byte[]) step to skip, but there is none: Script[expect text \"text\"]");
    }

    @Test
    void theErrorOfAHugeBadRegexIsBounded() {
        String line = "client> line matching /(" + "a".repeat(100_000) + "/";

        assertThatThrownBy(() -> Script.parse(line))
                .hasMessageStartingWith("script text, line 1: Unclosed group")
                .satisfies(failure -> assertThat(failure.getMessage().length()).isLessThan(2_000));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1e200000000 s", "1e-200000000 s", "1e50 h"})
    @org.junit.jupiter.api.Timeout(30) // a hang guard: expanding such a number took minutes
    void aDurationWithAHugeExponentFailsAtOnce(String duration) {
        assertThatThrownBy(() -> Script.parse("pause " + duration))
                .hasMessageContaining("expected a duration of at most 40 digits");
    }

    @Test
    void theErrorOfAHugeDurationIsBounded() {
        String line = "pause 0." + "0".repeat(1_000_000) + "1 ns";

        assertThatThrownBy(() -> Script.parse(line))
                .hasMessageContaining("expected a duration of at most 40 digits")
                .satisfies(failure -> assertThat(failure.getMessage().length()).isLessThan(1_000));
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // a hang guard: the match alone would run for hours
    void aPatternThatBacktracksWithoutEndFailsTheStepAndLeavesNoThread() throws Exception {
        Script script = Script.parse("step timeout 500 ms\nclient> line matching /(.*a){20}/\n");
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(script);
            try (java.net.Socket socket = new java.net.Socket(server.host(), server.port())) {
                socket.getOutputStream().write(("a".repeat(36) + "b\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThatThrownBy(server::verify).isInstanceOf(AssertionError.class)
                        .hasMessageContaining("took longer than the step timeout of 500 ms: the pattern backtracks");
            }
            server.close();
            assertThat(server.liveThreadCount()).isZero();
        }
    }

    @Test
    void aSavedFileHasTheDirectorysUsualPermissions(@TempDir Path directory) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(directory.getFileSystem().supportedFileAttributeViews()
                .contains("posix"));
        Path saved = directory.resolve("saved.script");
        Path plain = Files.writeString(directory.resolve("plain.txt"), "x");

        Script.create().sendLine("hi").save(saved);

        assertThat(Files.getPosixFilePermissions(saved)).isEqualTo(Files.getPosixFilePermissions(plain));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).as("no temporary file left").hasSize(2);
        }
    }
}
