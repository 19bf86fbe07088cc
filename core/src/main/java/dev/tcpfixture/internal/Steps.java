package dev.tcpfixture.internal;

import dev.tcpfixture.ConnectionHandler;
import dev.tcpfixture.TlsFault;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Factories for every kind of {@link Step}.
 */
public final class Steps {

    private Steps() {
    }

    /**
     * Sends bytes.
     *
     * @param data the bytes
     * @return the step
     */
    public static Step send(byte[] data) {
        byte[] copy = data.clone();
        return new Simple("send " + Messages.count(copy.length, "byte", "bytes") + " " + Messages.quote(copy),
                new Send(copy, null, false));
    }

    /**
     * Sends text in the server's charset.
     *
     * @param text the text
     * @return the step
     */
    public static Step sendText(String text) {
        return new Simple("send " + quote(text),
                new Send(null, text, false));
    }

    /**
     * Sends text and the current line ending.
     *
     * @param line the line
     * @return the step
     */
    public static Step sendLine(String line) {
        return new Simple("send line " + quote(line),
                new Send(null, line, true));
    }

    /**
     * Sends pseudo-random bytes from a seeded generator, so that runs repeat.
     *
     * @param count how many bytes
     * @param seed the seed
     * @return the step
     */
    public static Step sendRandomBytes(int count, long seed) {
        String shown = "send " + Messages.count(count, "random byte", "random bytes") + " (seed " + seed + ")";
        return new Simple(shown, session -> {
            byte[] data = new byte[count];
            new Random(seed).nextBytes(data);
            session.send(data);
        });
    }

    /**
     * Expects exactly these bytes next.
     *
     * @param expected the bytes
     * @return the step
     */
    public static Step expectBytes(byte[] expected) {
        byte[] copy = expected.clone();
        return expectExactly("bytes " + Messages.quote(copy), copy, null);
    }

    /**
     * Expects exactly this text next, encoded with the server's charset.
     *
     * @param expected the text
     * @return the step
     */
    public static Step expectText(String expected) {
        return expectExactly("text " + quote(expected), null, expected);
    }

    private static Step expectExactly(String shown, byte[] bytes, String text) {
        return new Expectation("expect " + shown, shown, new ExpectExactly(shown, bytes, text), null);
    }

    /**
     * Expects a line equal to {@code expected}.
     *
     * @param expected the line, without line ending
     * @return the step
     * @throws IllegalArgumentException if {@code expected} holds a line ending, so that no line could equal it
     */
    public static Step expectLine(String expected) {
        requireOneLine(expected, "expectLine");
        String shown = "line " + quote(expected);
        return new Expectation("expect " + shown, shown, new ExpectLine(shown, expected, null, null), expected);
    }

    /**
     * Expects a line that the predicate accepts.
     *
     * @param condition the predicate
     * @param description what the predicate checks, for messages
     * @return the step
     */
    public static Step expectLine(Predicate<String> condition, String description) {
        return expectLineWhere("a line that " + Messages.abbreviate(description), condition);
    }

    private static Step expectLineWhere(String shown, Predicate<String> condition) {
        return new Expectation("expect " + shown, shown, new ExpectLine(shown, null, condition, null), null);
    }

    /**
     * Expects a line that the pattern matches as a whole. The match may take as long as the step timeout, and
     * ends when the server shuts down: a pattern that backtracks without end fails the step instead of holding the
     * connection's thread beyond {@code close()}.
     *
     * @param pattern the pattern
     * @return the step
     */
    public static Step expectLineMatching(Pattern pattern) {
        String shown = "a line that " + Messages.abbreviate("matches /" + pattern.pattern() + "/");
        return new Expectation("expect " + shown, shown, new ExpectLine(shown, null, null, pattern), null);
    }

    /**
     * Reads one line and ignores it.
     *
     * @return the step
     */
    public static Step skipLine() {
        return new Expectation("skip a line", "a line", session -> readLine(session, "a line"), null);
    }

    /**
     * Reads lines up to and including the first one equal to {@code line}.
     *
     * @param line the last line to read
     * @return the step
     * @throws IllegalArgumentException if {@code line} holds a line ending, so that no line could equal it
     */
    public static Step skipLinesThrough(String line) {
        requireOneLine(line, "skipLinesThrough");
        return skipLinesThrough(new LineEquals(line), "equals " + quote(line), line);
    }

    /**
     * Reads lines up to and including the first that the predicate accepts.
     *
     * @param condition the predicate
     * @param description what the predicate checks, for messages
     * @return the step
     */
    public static Step skipLinesThrough(Predicate<String> condition, String description) {
        return skipLinesThrough(condition, Messages.abbreviate(description), null);
    }

    private static Step skipLinesThrough(Predicate<String> condition, String description, String line) {
        String shown = "a line that " + description;
        return new Expectation("skip lines through " + shown, shown, session -> {
            long deadline = session.deadlineAfter(session.stepTimeout());
            while (!condition.test(new String(readLine(session, shown, deadline), session.charset()))) {
                // keep skipping
            }
        }, line);
    }

    /**
     * Reads {@code count} bytes and ignores them.
     *
     * @param count how many bytes
     * @return the step
     */
    public static Step skipBytes(long count) {
        String what = Messages.count(count, "byte", "bytes");
        return new Expectation("skip " + what, what, session -> {
            try {
                long skipped = session.skipBytes(count, session.deadlineAfter(session.stepTimeout()));
                if (skipped < count) {
                    throw new ExpectationFailure("expected " + what + ", but the client closed the connection after "
                            + "sending " + Messages.count(skipped, "byte", "bytes"));
                }
            } catch (SocketTimeoutException e) {
                throw timedOut(session, what);
            }
        }, null);
    }

    /**
     * Waits before the next step.
     *
     * @param duration how long
     * @return the step
     */
    public static Step pause(Duration duration) {
        return new Simple("pause " + Messages.duration(duration), session -> session.delay(duration));
    }

    /**
     * Answers every line the client sends with the function's result, until the client closes.
     *
     * @param responder gives the answer to a line, or {@code null} for none
     * @return the step
     */
    public static Step answerLines(Function<String, String> responder) {
        return new Final("answer each line", session -> {
            String line;
            while ((line = session.readLine(Session.NO_DEADLINE)) != null) {
                String answer = responder.apply(line);
                if (answer != null) {
                    session.send((answer + session.lineEnding()).getBytes(session.charset()));
                }
            }
            session.close("server closed the connection after the client did");
        });
    }

    /**
     * Sends back every byte the client sends, until the client closes.
     *
     * @return the step
     */
    public static Step echo() {
        return new Final("echo", session -> {
            byte[] chunk;
            while ((chunk = session.readSome(Session.NO_DEADLINE)) != null) {
                session.send(chunk);
            }
            session.close("server closed the connection after the client did");
        });
    }

    /**
     * Runs custom code on the connection. The client ending the connection while it runs is a failure, as
     * for an expectation: the handler did not get to finish.
     *
     * @param description what the handler does, for transcripts and failures
     * @param handler the code
     * @return the step
     */
    public static Step handle(String description, ConnectionHandler handler) {
        String shown = Messages.abbreviate(description);
        return new Handler("handle: " + shown, "the handler \"" + shown + "\" to finish", session -> {
            try {
                handler.handle(session.exchange());
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new HandlerException(e);
            }
        });
    }

    /**
     * Shuts down the server's output (half-close).
     *
     * @return the step
     */
    public static Step shutdownOutput() {
        return new Simple("shut down output (half-close)", new HalfClose());
    }

    /**
     * Upgrades the connection to TLS with the server's TLS settings: runs the handshake, then later steps speak
     * TLS.
     *
     * @return the step
     */
    public static Step startTls() {
        return new TlsStart("start TLS");
    }

    /**
     * The handshake a connection of a server that speaks TLS from the first byte runs before its script.
     *
     * @return the step
     */
    static Step tlsHandshake() {
        return new Simple("TLS handshake", new StartTls());
    }

    /**
     * Closes the connection with FIN.
     *
     * @return the step
     */
    public static Step close() {
        return new Final("close", new Close());
    }

    /**
     * Resets the connection with RST; if nothing came from the client yet, once its first bytes or its close
     * arrive (at most the step timeout), so that the reset never races the client's connect.
     *
     * @return the step
     */
    public static Step reset() {
        return new Final("reset", new Reset("server reset the connection (RST)"));
    }

    /**
     * What a connection runs in mode {@code ACCEPT_THEN_RESET}: a reset once the client's first bytes or its
     * close arrive.
     *
     * @return the step
     */
    public static Step resetForMode() {
        return new Final("reset (mode ACCEPT_THEN_RESET)",
                new Reset("server reset the connection (mode ACCEPT_THEN_RESET)"));
    }

    /**
     * Never answers again: reads and records until the client gives up or the server shuts down.
     *
     * @return the step
     */
    public static Step stall() {
        return new Final("stall", session -> {
            session.note("stalling: the server reads but never answers");
            session.drain();
        });
    }

    /**
     * A TLS handshake fault: reads the client's ClientHello in plaintext and never answers, reading and recording
     * until the client gives up or the server shuts down.
     *
     * @return the step
     */
    public static Step tlsStall() {
        return new HandshakeFault("TLS handshake stall", session -> {
            session.readClientHello(Session.NO_DEADLINE);
            session.note("stalling the TLS handshake: the server reads but never answers");
            session.drain();
        });
    }

    /**
     * A TLS handshake fault: reads the client's ClientHello in plaintext, answers it with plaintext bytes, then
     * closes the connection with FIN.
     *
     * @param reply the plaintext, sent in the server's charset
     * @return the step
     */
    public static Step plaintextReply(String reply) {
        return new HandshakeFault("plaintext reply " + quote(reply) + " to the ClientHello", session -> {
            session.readClientHello(session.deadlineAfter(session.stepTimeout()));
            session.send(reply.getBytes(session.charset()));
            session.close("server closed the connection after its plaintext reply to the ClientHello");
        });
    }

    /**
     * A TLS handshake fault: reads the client's ClientHello in plaintext, then resets the connection (RST).
     *
     * @return the step
     */
    public static Step resetDuringHandshake() {
        return new HandshakeFault("reset during the TLS handshake", session -> {
            session.readClientHello(session.deadlineAfter(session.stepTimeout()));
            session.reset("server reset the connection (RST) after the ClientHello");
        });
    }

    /**
     * A TLS handshake fault: runs the handshake presenting a certificate with {@code fault}, made by the TLS
     * material provider, with the server's TLS parameters. If the client accepts it anyway, later steps speak TLS.
     *
     * @param fault what is to be wrong with the certificate
     * @return the step
     * @throws IllegalStateException if no TLS material provider is found
     */
    public static Step tlsFault(TlsFault fault) {
        SSLContext context = DefaultTlsMaterial.faultyContext(fault);
        return new CertificateFaultHandshake("TLS handshake with a certificate " + fault.name(), context);
    }

    /**
     * Sends the following sends in timed chunks.
     *
     * @param chunkSize bytes per chunk
     * @param interval pause between chunks
     * @return the step
     */
    public static Step drip(int chunkSize, Duration interval) {
        Delivery delivery = new Delivery.Drip(chunkSize, interval);
        return new Simple("deliver " + delivery.describe(), session -> session.delivery(delivery));
    }

    /**
     * Splits the following sends into writes of these sizes.
     *
     * @param sizes the sizes
     * @return the step
     */
    public static Step fragment(int[] sizes) {
        Delivery delivery = new Delivery.Fragments(sizes);
        return new Simple("deliver " + delivery.describe(), session -> session.delivery(delivery));
    }

    /**
     * Sends the following sends whole again.
     *
     * @return the step
     */
    public static Step deliverWhole() {
        return new Simple("deliver whole writes", session -> session.delivery(Delivery.WHOLE));
    }

    /**
     * Closes the connection once this many more bytes are sent, dropping the rest.
     *
     * @param bytes how many bytes may still be sent
     * @return the step
     */
    public static Step closeAfterSending(long bytes) {
        return new Simple("close after sending " + Messages.count(bytes, "more byte", "more bytes"),
                session -> session.sendLimit(bytes));
    }

    /**
     * Uses another line ending for the following lines sent.
     *
     * @param lineEnding the line ending
     * @return the step
     */
    public static Step lineEnding(String lineEnding) {
        return new Simple("use line ending " + quote(lineEnding), session -> session.lineEnding(lineEnding));
    }

    /**
     * Uses another charset for the text of the following steps.
     *
     * @param charset the charset
     * @return the step
     */
    public static Step charset(java.nio.charset.Charset charset) {
        return new CharsetStep(charset);
    }

    /**
     * Uses another timeout for the following steps that wait for the client.
     *
     * @param timeout the timeout
     * @return the step
     */
    public static Step stepTimeout(Duration timeout) {
        return new Simple("use step timeout " + Messages.duration(timeout), session -> session.stepTimeout(timeout));
    }

    // ---- helpers ----

    /** How many steps a description of a script shows at its start and at its end. */
    private static final int DESCRIBED_STEPS = 10;

    /**
     * Describes a script for messages: {@code [send line "220 ready", expect line "QUIT", close]}, with at most
     * the first and the last ten steps.
     *
     * @param steps the steps
     * @return the description, bounded
     */
    public static String describe(java.util.List<Step> steps) {
        StringBuilder text = new StringBuilder("[");
        int count = steps.size();
        for (int i = 0; i < count; i++) {
            if (count > 2 * DESCRIBED_STEPS && i == DESCRIBED_STEPS) {
                text.append("... ").append(count - 2 * DESCRIBED_STEPS).append(" steps omitted ..., ");
                i = count - DESCRIBED_STEPS - 1;
                continue;
            }
            text.append(steps.get(i).description()).append(i < count - 1 ? ", " : "");
        }
        return text.append(']').toString();
    }

    /**
     * Quotes text of a script for a description: its UTF-8 bytes, shortened if long. The server's charset is not
     * known when a script is built; failure messages show text in the server's charset.
     */
    static String quote(String text) {
        return Messages.quote(text, StandardCharsets.UTF_8);
    }

    private static void requireOneLine(String line, String method) {
        if (line.indexOf('\n') >= 0 || line.endsWith("\r")) {
            throw new IllegalArgumentException(method + " takes one line without its line ending, but "
                    + quote(line) + (line.indexOf('\n') >= 0 ? " holds a \\n" : " ends with \\r")
                    + ", so no line the client sends could equal it; use expect(...) for text across lines");
        }
    }

    private static byte[] readLine(Session session, String what) throws ExpectationFailure, IOException {
        return readLine(session, what, session.deadlineAfter(session.stepTimeout()));
    }

    private static byte[] readLine(Session session, String what, long deadline)
            throws ExpectationFailure, IOException {
        try {
            byte[] line = session.readLineBytes(deadline);
            if (line == null) {
                throw new ExpectationFailure("expected " + what + ", but the client closed the connection"
                        + (session.hasUnread() ? " after sending the partial line " + session.unread() : ""));
            }
            return line;
        } catch (SocketTimeoutException e) {
            throw timedOut(session, what);
        } catch (LineTooLongException e) {
            throw new ExpectationFailure("expected " + what + ", but " + e.getMessage());
        }
    }

    private static byte[] readBytes(Session session, int count, String what) throws ExpectationFailure, IOException {
        try {
            byte[] actual = session.readBytes(count, session.deadlineAfter(session.stepTimeout()));
            if (actual.length < count) {
                throw new ExpectationFailure("expected " + what + ", but the client closed the connection after "
                        + "sending " + Messages.quote(actual));
            }
            return actual;
        } catch (SocketTimeoutException e) {
            throw timedOut(session, what);
        }
    }

    private static ExpectationFailure timedOut(Session session, String what) {
        return new ExpectationFailure("expected " + what + " within " + Messages.duration(session.stepTimeout())
                + ", but " + (session.hasUnread() ? "only " + session.unread() + " came" : "nothing came"));
    }

    /** The body of a step. */
    @FunctionalInterface
    interface Action {
        void run(Session session) throws ExpectationFailure, IOException;
    }

    // The actions of the most used steps are named classes rather than lambdas: a lambda's first use costs
    // a class spun at run time, which a test JVM pays at its cold start (docs/PERFORMANCE.md, "Cold start").

    /** Sends fixed bytes, or text (and the line ending) in the connection's charset. */
    private static final class Send implements Action {
        private final byte[] bytes;
        private final String text;
        private final boolean line;

        Send(byte[] bytes, String text, boolean line) {
            this.bytes = bytes;
            this.text = text;
            this.line = line;
        }

        @Override
        public void run(Session session) throws IOException {
            session.send(bytes != null ? bytes : (line ? text + session.lineEnding() : text).getBytes(session.charset()));
        }
    }

    /** Accepts a line equal to a text: a named class, not a method reference, for the cold start. */
    private static final class LineEquals implements Predicate<String> {
        private final String line;

        LineEquals(String line) {
            this.line = line;
        }

        @Override
        public boolean test(String candidate) {
            return line.equals(candidate);
        }
    }

    /** Expects exactly these bytes, or this text in the connection's charset. */
    private static final class ExpectExactly implements Action {
        private final String shown;
        private final byte[] bytes;
        private final String text;

        ExpectExactly(String shown, byte[] bytes, String text) {
            this.shown = shown;
            this.bytes = bytes;
            this.text = text;
        }

        @Override
        public void run(Session session) throws ExpectationFailure, IOException {
            byte[] expected = bytes != null ? bytes : text.getBytes(session.charset());
            String what = bytes != null ? shown : "text " + Messages.quote(expected); // in the server's charset
            byte[] actual = readBytes(session, expected.length, what);
            if (!Arrays.equals(expected, actual)) {
                throw new ExpectationFailure("expected " + what + ", but received " + Messages.quote(actual));
            }
        }
    }

    /** Expects a line equal to a text, one that a predicate accepts, or one that a pattern matches. */
    private static final class ExpectLine implements Action {
        private final String shown;
        private final String expected;
        private final Predicate<String> condition;
        private final Pattern pattern;

        ExpectLine(String shown, String expected, Predicate<String> condition, Pattern pattern) {
            this.shown = shown;
            this.expected = expected;
            this.condition = condition;
            this.pattern = pattern;
        }

        @Override
        public void run(Session session) throws ExpectationFailure, IOException {
            // in the server's charset, as the client must send it
            String what = expected != null ? "line " + Messages.quote(expected, session.charset()) : shown;
            byte[] received = readLine(session, what);
            String actual = new String(received, session.charset());
            boolean accepted = expected != null ? expected.equals(actual)
                    : pattern != null ? matchesInTime(session, what, received, actual) : condition.test(actual);
            if (!accepted) {
                // the bytes as they came: decoding and encoding again would hide what the client really sent
                throw new ExpectationFailure("expected " + what + ", but received line " + Messages.quote(received));
            }
        }

        /**
         * Matches for at most the step timeout, and only while the server runs: a pattern that backtracks without
         * end would otherwise hold the connection's thread beyond {@code close()}.
         */
        private boolean matchesInTime(Session session, String what, byte[] received, String line)
                throws ExpectationFailure {
            try {
                return pattern.matcher(new TimedText(line, session.deadlineAfter(session.stepTimeout()), session))
                        .matches();
            } catch (TimedText.OutOfTime e) {
                throw new ExpectationFailure("expected " + what + ", but matching the line " + Messages.quote(received)
                        + " took longer than the step timeout of " + Messages.duration(session.stepTimeout())
                        + (session.shuttingDown() ? " (the server shut down meanwhile)" : "")
                        + ": the pattern backtracks too much for it");
            }
        }
    }

    /** A text that a pattern reads, which stops the match once the deadline passed or the server shuts down. */
    private static final class TimedText implements CharSequence {
        private final String text;
        private final long deadline;
        private final Session session;
        private int reads;

        TimedText(String text, long deadline, Session session) {
            this.text = text;
            this.deadline = deadline;
            this.session = session;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0xfff) == 0 && (Deadlines.passed(deadline) || session.shuttingDown())) {
                throw new OutOfTime();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new TimedText(text.substring(start, end), deadline, session);
        }

        @Override
        public String toString() {
            return text;
        }

        /** The match took too long. */
        static final class OutOfTime extends RuntimeException {
            private static final long serialVersionUID = 1L;

            OutOfTime() {
                super(null, null, false, false);
            }
        }
    }

    /** Closes the connection with FIN. */
    private static final class Close implements Action {
        @Override
        public void run(Session session) {
            session.close("server closed the connection");
        }
    }

    /** Runs the TLS handshake. */
    private static final class StartTls implements Action {
        @Override
        public void run(Session session) throws IOException {
            session.startTls();
        }
    }

    /** The {@code startTls()} step of a script. */
    private record TlsStart(String description) implements Step {
        @Override
        public void run(Session session) throws IOException {
            session.startTls();
        }

        @Override
        public boolean startsTls() {
            return true;
        }
    }

    /** Shuts down the server's output. */
    private static final class HalfClose implements Action {
        @Override
        public void run(Session session) throws IOException {
            session.shutdownOutput();
        }
    }

    /** Resets the connection. */
    private static final class Reset implements Action {
        private final String detail;

        Reset(String detail) {
            this.detail = detail;
        }

        @Override
        public void run(Session session) throws IOException {
            session.reset(detail);
        }
    }

    /** A step that does not wait for the client. */
    private record Simple(String description, Action action) implements Step {
        @Override
        public void run(Session session) throws ExpectationFailure, IOException {
            action.run(session);
        }
    }

    /** Sets the charset of the text of the following steps. */
    private record CharsetStep(java.nio.charset.Charset charset) implements Step {
        @Override
        public String description() {
            return "use charset " + charset.name();
        }

        @Override
        public void run(Session session) {
            session.charset(charset);
        }

        @Override
        public java.nio.charset.Charset setsCharset() {
            return charset;
        }
    }

    /** A step that waits for input the client must send; {@code line} is the line it expects, if one. */
    private record Expectation(String description, String expectation, Action action, String line) implements Step {
        @Override
        public long expectedLineLength(java.nio.charset.Charset charset) {
            return line == null ? -1 : line.getBytes(charset).length;
        }

        @Override
        public void run(Session session) throws ExpectationFailure, IOException {
            action.run(session);
        }

        @Override
        public boolean expectsInput() {
            return true;
        }
    }

    /** A step that runs a handler: user code with the connection's exchange. */
    private record Handler(String description, String expectation, Action action) implements Step {
        @Override
        public void run(Session session) throws ExpectationFailure, IOException {
            action.run(session);
        }

        @Override
        public boolean isHandler() {
            return true;
        }
    }

    /** A step after which no other may come. */
    private record Final(String description, Action action) implements Step {
        @Override
        public void run(Session session) throws ExpectationFailure, IOException {
            action.run(session);
        }

        @Override
        public boolean isFinal() {
            return true;
        }
    }

    /** A TLS handshake fault: runs in plaintext in place of the handshake, and ends the conversation. */
    private record HandshakeFault(String description, Action action) implements Step {
        @Override
        public void run(Session session) throws ExpectationFailure, IOException {
            action.run(session);
        }

        @Override
        public boolean isFinal() {
            return true;
        }

        @Override
        public boolean replacesHandshake() {
            return true;
        }
    }

    /** A TLS handshake with a faulty certificate: in place of the handshake, and the conversation goes on. */
    private record CertificateFaultHandshake(String description, SSLContext context) implements Step {
        @Override
        public void run(Session session) throws IOException {
            session.startTls(context);
        }

        @Override
        public boolean replacesHandshake() {
            return true;
        }
    }

    /** Carries a checked exception thrown by a {@link ConnectionHandler}. */
    static final class HandlerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerException(Exception cause) {
            super(cause);
        }
    }

    // ---- steps on arrays the caller copied already: a script keeps the same copy in its text form ----

    /**
     * Sends bytes, without copying them: the caller made {@code copy} and never changes it.
     *
     * @param copy the bytes
     * @return the step
     */
    public static Step sendCopied(byte[] copy) {
        return new Simple("send " + Messages.count(copy.length, "byte", "bytes") + " " + Messages.quote(copy),
                new Send(copy, null, false));
    }

    /**
     * Expects exactly these bytes next, without copying them: the caller made {@code copy} and never changes it.
     *
     * @param copy the bytes
     * @return the step
     */
    public static Step expectBytesCopied(byte[] copy) {
        return expectExactly("bytes " + Messages.quote(copy), copy, null);
    }
}
