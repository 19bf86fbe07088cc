package dev.tcpfixture.internal;

import dev.tcpfixture.Script;
import dev.tcpfixture.TlsFault;
import dev.tcpfixture.internal.StepForm.Kind;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of a script: one step per line, in the words of the transcript ({@code server> "..."},
 * {@code client> line "..."}) and of the API ({@code pause 250 ms}, {@code close}). Bytes print as in
 * transcripts: printable ASCII as is, {@code \r \n \t \" \\}, every other byte {@code \xNN}. Text (of
 * {@code text}, {@code line}, {@code line ending}, {@code plaintext reply}) is characters, not bytes, encoded with
 * the server's charset or the one a {@code charset} step names: the same escapes, with {@code \xNN} only below
 * {@code \x80} and {@code \}{@code uNNNN} for any other character that is not printable. A regular expression
 * goes between slashes, unescaped. A line that starts with {@code #} is a comment, and so is the rest of a line
 * after a step and a blank and {@code #}; a time stamp such as
 * {@code +0.012s} at the start of a line is ignored, so that lines copied from a transcript read as steps.
 */
public final class ScriptText {

    /** The first line of every formatted script. */
    public static final String HEADER = "# tcpfixture script: one step per line (see Script.parse)";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final int MAX_DURATION_DIGITS = 40;
    private static final Pattern TIME_STAMP = Pattern.compile("\\+\\d+\\.\\d+s\\s+");
    private static final int SHOWN_LINE = 200;

    private ScriptText() {
    }

    // ---- writing ----

    /**
     * Formats steps as text, one line each, after {@link #HEADER}.
     *
     * @param steps the steps
     * @param forms their forms, in the same order; {@code null} for a step without one
     * @return the text, ending with a line end
     * @throws IllegalStateException if a step runs code or has no text form, naming it
     */
    public static String format(List<Step> steps, List<StepForm> forms) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < forms.size(); i++) {
            StepForm form = forms.get(i);
            if (form == null || form.kind() == Kind.CODE) {
                throw new IllegalStateException("Expected a script of data steps to save, but step " + (i + 1)
                        + " of " + forms.size() + ", \"" + steps.get(i).description() + "\", "
                        + (form == null ? "has no text form" : "runs code (handle(...), answerLines(...) and "
                        + "expectLine(Predicate, ...) do), which a script file cannot hold"));
            }
            appendStep(text, form, i + 1, steps.get(i).description());
            text.append('\n');
        }
        return text.toString();
    }

    private static void appendStep(StringBuilder text, StepForm form, int number, String description) {
        Object first = form.first();
        Object second = form.second();
        switch (form.kind()) {
            case SEND_BYTES -> bytes(text.append("server> "), (byte[]) first);
            case SEND_TEXT -> text(text.append("server> text "), (String) first);
            case SEND_LINE -> text(text.append("server> line "), (String) first);
            case SEND_RANDOM -> text.append("server> random ").append(count((Integer) first, "byte", "bytes"))
                    .append(" seed ").append((long) (Long) second);
            case EXPECT_BYTES -> bytes(text.append("client> "), (byte[]) first);
            case EXPECT_TEXT -> text(text.append("client> text "), (String) first);
            case EXPECT_LINE -> text(text.append("client> line "), (String) first);
            case EXPECT_LINE_MATCHING -> regex(text.append("client> line matching "), (String) first, number,
                    description);
            case SKIP_LINE -> text.append("client> skip line");
            case SKIP_LINES_THROUGH -> text(text.append("client> skip lines through "), (String) first);
            case SKIP_BYTES -> text.append("client> skip ").append(count((Long) first, "byte", "bytes"));
            case PAUSE -> text.append("pause ").append(duration((Duration) first));
            case DRIP -> text.append("drip ").append(count((Integer) first, "byte", "bytes")).append(" every ")
                    .append(duration((Duration) second));
            case FRAGMENT -> {
                text.append("fragment");
                for (int size : (int[]) first) {
                    text.append(' ').append(size);
                }
            }
            case DELIVER_WHOLE -> text.append("deliver whole");
            case CLOSE_AFTER_SENDING -> text.append("close after sending ")
                    .append(count((Long) first, "byte", "bytes"));
            case LINE_ENDING -> text(text.append("line ending "), (String) first);
            case CHARSET -> text.append("charset ").append(((Charset) first).name());
            case STEP_TIMEOUT -> text.append("step timeout ").append(duration((Duration) first));
            case SHUTDOWN_OUTPUT -> text.append("shutdown output");
            case START_TLS -> text.append("start tls");
            case ECHO -> text.append("echo");
            case CLOSE -> text.append("close");
            case RESET -> text.append("reset");
            case STALL -> text.append("stall");
            case TLS_STALL -> text.append("tls stall");
            case PLAINTEXT_REPLY -> text(text.append("plaintext reply "), (String) first);
            case RESET_DURING_HANDSHAKE -> text.append("reset during handshake");
            case TLS_FAULT -> text.append("tls fault ").append(((TlsFault) first).name());
            case CODE -> throw new IllegalStateException("code has no text form"); // checked by the caller
        }
    }

    private static String count(long n, String singular, String plural) {
        return Messages.count(n, singular, plural);
    }

    private static void bytes(StringBuilder text, byte[] bytes) {
        text.append('"').append(Messages.escape(bytes, 0, bytes.length)).append('"');
    }

    private static void text(StringBuilder text, String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\r' -> text.append("\\r");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        text.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isSurrogate(c)) {
                        boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                                && Character.isLowSurrogate(value.charAt(i + 1));
                        if (paired && printable(value.codePointAt(i))) {
                            text.append(c).append(value.charAt(++i));
                        } else {
                            unicode(text, c);
                        }
                    } else if (printable(c)) {
                        text.append(c);
                    } else {
                        unicode(text, c);
                    }
                }
            }
        }
        text.append('"');
    }

    private static boolean printable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.UNASSIGNED, Character.SURROGATE, Character.PRIVATE_USE -> false;
            default -> true;
        };
    }

    private static void unicode(StringBuilder text, char c) {
        text.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }

    private static void regex(StringBuilder text, String regex, int number, String description) {
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                throw new IllegalStateException("Expected a regular expression on one line, but step " + number
                        + ", \"" + Messages.abbreviate(description, 200) + "\", holds the control character \\x"
                        + HEX[c >> 4] + HEX[c & 0xf] + "; write it as an escape of the expression (\\x"
                        + HEX[c >> 4] + HEX[c & 0xf] + " or \\n) to save the script");
            }
        }
        text.append('/').append(regex).append('/');
    }

    /**
     * Formats a duration exactly: under a second in milliseconds ({@code 250 ms}, {@code 0.5 ms}), else in
     * seconds ({@code 2 s}, {@code 1.000000001 s}).
     *
     * @param duration the duration
     * @return the text
     */
    static String duration(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9));
        if (seconds.compareTo(BigDecimal.ONE) < 0) {
            return plain(seconds.movePointRight(3)) + " ms";
        }
        return plain(seconds) + " s";
    }

    private static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    // ---- reading ----

    /**
     * Reads a script from its text form.
     *
     * @param text the text, lines ending with {@code \n} or {@code \r\n}
     * @param source what the text is, for messages: a file's name, or {@code "text"}
     * @return the script
     * @throws IllegalArgumentException if a line is not a step, with the line's number and text
     */
    public static Script parse(String text, String source) {
        Script script = Script.create();
        int number = 0;
        int start = text.startsWith("\uFEFF") ? 1 : 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            number++;
            String line = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            Line cursor = new Line(line, source, number);
            if (cursor.blankOrComment()) {
                continue;
            }
            try {
                script = step(script, cursor);
                cursor.end();
            } catch (LineException e) {
                throw e;
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw cursor.error(Messages.abbreviate(String.valueOf(e.getMessage()))); // bounded
            }
        }
        return script;
    }

    private static Script step(Script script, Line line) {
        Matcher stamp = TIME_STAMP.matcher(line.text).region(line.at, line.text.length());
        if (stamp.lookingAt()) {
            line.at = stamp.end();
        }
        if (line.word("server>")) {
            if (line.word("text")) {
                return script.send(line.text());
            }
            if (line.word("line")) {
                return script.sendLine(line.text());
            }
            if (line.word("random")) {
                int count = line.intNumber();
                line.bytesWord();
                line.require("seed");
                return script.sendRandomBytes(count, line.number());
            }
            return script.send(line.bytes());
        }
        if (line.word("client>")) {
            if (line.word("text")) {
                return script.expect(line.text());
            }
            if (line.word("line")) {
                if (line.word("matching")) {
                    return script.expectLineMatching(line.regex());
                }
                return script.expectLine(line.text());
            }
            if (line.word("skip")) {
                if (line.word("line")) {
                    return script.skipLine();
                }
                if (line.word("lines")) {
                    line.require("through");
                    return script.skipLinesThrough(line.text());
                }
                long count = line.number();
                line.bytesWord();
                return script.skipBytes(count);
            }
            return script.expect(line.bytes());
        }
        if (line.word("pause")) {
            return script.pause(line.duration());
        }
        if (line.word("drip")) {
            int chunk = line.intNumber();
            line.bytesWord();
            line.require("every");
            return script.drip(chunk, line.duration());
        }
        if (line.word("fragment")) {
            int[] sizes = new int[8];
            int count = 0;
            do {
                if (count == sizes.length) {
                    sizes = java.util.Arrays.copyOf(sizes, count * 2);
                }
                sizes[count++] = line.intNumber();
            } while (line.more());
            return script.fragment(java.util.Arrays.copyOf(sizes, count));
        }
        if (line.word("deliver")) {
            line.require("whole");
            return script.deliverWhole();
        }
        if (line.word("close")) {
            if (line.word("after")) {
                line.require("sending");
                long count = line.number();
                line.bytesWord();
                return script.closeAfterSending(count);
            }
            return script.close();
        }
        if (line.word("line")) {
            line.require("ending");
            return script.withLineEnding(line.text());
        }
        if (line.word("charset")) {
            return script.withCharset(line.charset());
        }
        if (line.word("step")) {
            line.require("timeout");
            return script.withStepTimeout(line.duration());
        }
        if (line.word("shutdown")) {
            line.require("output");
            return script.shutdownOutput();
        }
        if (line.word("start")) {
            line.require("tls");
            return script.startTls();
        }
        if (line.word("echo")) {
            return script.echo();
        }
        if (line.word("reset")) {
            if (line.word("during")) {
                line.require("handshake");
                return script.resetDuringHandshake();
            }
            return script.reset();
        }
        if (line.word("stall")) {
            return script.stall();
        }
        if (line.word("tls")) {
            if (line.word("fault")) {
                return script.tlsFault(line.tlsFault());
            }
            line.require("stall");
            return script.tlsStall();
        }
        if (line.word("plaintext")) {
            line.require("reply");
            return script.plaintextReply(line.text());
        }
        throw line.error("expected a step (server> ..., client> ..., pause, drip, fragment, deliver whole, close "
                + "after sending, line ending, charset, step timeout, shutdown output, start tls, echo, close, reset, "
                + "stall, tls stall, plaintext reply, reset during handshake, tls fault), but found " + line.rest());
    }

    /** One line of a script's text, read from left to right. */
    private static final class Line {
        final String text;
        final String source;
        final int number;
        int at;

        Line(String text, String source, int number) {
            this.text = text;
            this.source = source;
            this.number = number;
        }

        boolean blankOrComment() {
            skipBlanks();
            return at == text.length() || text.charAt(at) == '#';
        }

        private void skipBlanks() {
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
        }

        /** Whether what follows the blanks is more than an end or a comment. */
        boolean more() {
            skipBlanks();
            return at < text.length() && text.charAt(at) != '#';
        }

        /** Takes the word if it comes next, whole. */
        boolean word(String word) {
            skipBlanks();
            int end = at + word.length();
            if (text.regionMatches(true, at, word, 0, word.length())
                    && (end == text.length() || text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
                at = end;
                return true;
            }
            return false;
        }

        void require(String word) {
            if (!word(word)) {
                throw error("expected \"" + word + "\", but found " + rest());
            }
        }

        void bytesWord() {
            if (!word("bytes") && !word("byte")) {
                throw error("expected \"bytes\" after the count, but found " + rest());
            }
        }

        private String token() {
            skipBlanks();
            int end = at;
            while (end < text.length() && text.charAt(end) != ' ' && text.charAt(end) != '\t') {
                end++;
            }
            return text.substring(at, end);
        }

        long number() {
            String token = token();
            try {
                long value = Long.parseLong(token);
                at += token.length();
                return value;
            } catch (NumberFormatException e) {
                throw error("expected a whole number, but found " + rest());
            }
        }

        int intNumber() {
            long value = number();
            if (value != (int) value) {
                throw error("expected a number up to " + Integer.MAX_VALUE + ", but found " + value);
            }
            return (int) value;
        }

        Duration duration() {
            String amount = token();
            BigDecimal value;
            try {
                value = new BigDecimal(amount);
            } catch (NumberFormatException e) {
                throw error("expected a duration such as 250 ms or 1.5 s, but found " + rest());
            }
            // bounded work and messages whatever the file says: 1e200000000 would take minutes to expand
            if (amount.length() > MAX_DURATION_DIGITS || Math.abs(value.scale()) > MAX_DURATION_DIGITS) {
                throw error("expected a duration of at most " + MAX_DURATION_DIGITS + " digits, such as 250 ms, "
                        + "but found " + Messages.abbreviate(amount, MAX_DURATION_DIGITS));
            }
            at += amount.length();
            String unit = token();
            BigDecimal nanosPerUnit = switch (unit) {
                case "ns" -> BigDecimal.ONE;
                case "us", "\u00b5s" -> BigDecimal.valueOf(1_000L);
                case "ms" -> BigDecimal.valueOf(1_000_000L);
                case "s" -> NANOS_PER_SECOND;
                case "min" -> BigDecimal.valueOf(60_000_000_000L);
                case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
                default -> throw error("expected a unit of time (ns, us, ms, s, min, h) after "
                        + Messages.abbreviate(amount, MAX_DURATION_DIGITS) + ", but found " + rest());
            };
            at += unit.length();
            BigDecimal nanos = value.multiply(nanosPerUnit);
            try {
                BigInteger[] split = nanos.toBigIntegerExact().divideAndRemainder(NANOS_PER_SECOND.toBigInteger());
                return Duration.ofSeconds(split[0].longValueExact(), split[1].longValueExact());
            } catch (ArithmeticException e) {
                throw error("expected a duration in whole nanoseconds, up to about 292 billion years, but found "
                        + Messages.abbreviate(amount, MAX_DURATION_DIGITS) + " " + unit);
            }
        }

        Charset charset() {
            String name = token();
            try {
                Charset charset = Charset.forName(name);
                at += name.length();
                return charset;
            } catch (IllegalCharsetNameException
                    | UnsupportedCharsetException e) {
                throw error("expected the name of a charset this JDK knows (UTF-8, ISO-8859-1, ...), but found "
                        + rest());
            }
        }

        TlsFault tlsFault() {
            String name = token();
            for (TlsFault fault : TlsFault.values()) {
                if (fault.name().equals(name)) {
                    at += name.length();
                    return fault;
                }
            }
            throw error("expected a certificate fault (" + java.util.Arrays.toString(TlsFault.values())
                    .replace("[", "").replace("]", "") + "), but found " + rest());
        }

        String regex() {
            skipBlanks();
            if (at == text.length() || text.charAt(at) != '/') {
                throw error("expected a regular expression between slashes, /like this/, but found " + rest());
            }
            for (int close = text.length() - 1; close > at; close--) {
                if (text.charAt(close) == '/' && onlyCommentAfter(close + 1)) {
                    String regex = text.substring(at + 1, close);
                    at = close + 1;
                    return regex;
                }
            }
            throw error("expected a regular expression between slashes, /like this/, but found no closing slash in "
                    + rest());
        }

        private boolean onlyCommentAfter(int from) {
            int i = from;
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            return i == text.length() || (i > from && text.charAt(i) == '#');
        }

        byte[] bytes() {
            int open = openQuote("quoted bytes such as \"\\x00\\x01ok\"");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int i = open + 1;
            while (true) {
                if (i >= text.length()) {
                    throw unclosed(open);
                }
                char c = text.charAt(i);
                if (c == '"') {
                    at = i + 1;
                    return bytes.toByteArray();
                }
                if (c == '\\') {
                    int escaped = escape(i, false);
                    bytes.write(escaped);
                    i += text.charAt(i + 1) == 'x' ? 4 : 2;
                } else if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
                    bytes.write(c);
                    i++;
                } else {
                    at = i;
                    throw error("expected printable ASCII or escapes between the quotes of bytes, but found the "
                            + "character U+" + String.format("%04X", (int) c) + "; write bytes as \\xNN, or use "
                            + "text \"...\" for characters");
                }
            }
        }

        String text() {
            int open = openQuote("quoted text such as \"220 ready\"");
            StringBuilder value = new StringBuilder();
            int i = open + 1;
            while (true) {
                if (i >= text.length()) {
                    throw unclosed(open);
                }
                char c = text.charAt(i);
                if (c == '"') {
                    at = i + 1;
                    return value.toString();
                }
                if (c == '\\') {
                    value.append((char) escape(i, true));
                    char kind = text.charAt(i + 1);
                    i += kind == 'x' ? 4 : kind == 'u' ? 6 : 2;
                } else {
                    value.append(c);
                    i++;
                }
            }
        }

        private int openQuote(String what) {
            skipBlanks();
            if (at == text.length() || text.charAt(at) != '"') {
                throw error("expected " + what + ", but found " + rest());
            }
            return at;
        }

        private LineException unclosed(int open) {
            at = open;
            return error("expected a closing quote, but the line ends first: " + rest());
        }

        /** The value of the escape at {@code i}: a byte, or in text a character. */
        private int escape(int i, boolean inText) {
            char kind = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
            switch (kind) {
                case 'r':
                    return '\r';
                case 'n':
                    return '\n';
                case 't':
                    return '\t';
                case '"':
                    return '"';
                case '\\':
                    return '\\';
                case 'x': {
                    int value = hex(i, 2);
                    if (inText && value >= 0x80) {
                        at = i;
                        throw error("expected \\xNN below \\x80 in text (text is characters, not bytes), but found "
                                + text.substring(i, i + 4) + "; write the character itself or \\u00"
                                + text.substring(i + 2, i + 4));
                    }
                    return value;
                }
                case 'u':
                    if (inText) {
                        return hex(i, 4);
                    }
                    throw badEscape(i, inText); // bytes have no such escape
                default:
                    throw badEscape(i, inText);
            }
        }

        private LineException badEscape(int i, boolean inText) {
            at = i;
            return error("expected an escape (\\r \\n \\t \\\" \\\\ \\xNN" + (inText ? " \\uNNNN" : "")
                    + "), but found " + rest());
        }

        private int hex(int i, int digits) {
            int value = 0;
            for (int d = 0; d < digits; d++) {
                int digit = i + 2 + d < text.length() ? Character.digit(text.charAt(i + 2 + d), 16) : -1;
                if (digit < 0) {
                    at = i;
                    throw error("expected " + digits + " hexadecimal digits after \\" + text.charAt(i + 1)
                            + ", but found " + rest());
                }
                value = value * 16 + digit;
            }
            return value;
        }

        void end() {
            if (more()) {
                throw error("expected the end of the line (or a # comment after a blank), but found " + rest());
            }
        }

        /** The rest of the line from the cursor, quoted and bounded, for a message. */
        String rest() {
            skipBlanks();
            return at == text.length() ? "the end of the line" : "\"" + Messages.abbreviate(text.substring(at),
                    SHOWN_LINE) + "\"";
        }

        LineException error(String problem) {
            return new LineException(source + ", line " + number + ": " + problem + "\n  the line: "
                    + Messages.abbreviate(text, SHOWN_LINE));
        }
    }

    /** A line of a script's text that is not a step. */
    private static final class LineException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        LineException(String message) {
            super(message);
        }
    }
}
