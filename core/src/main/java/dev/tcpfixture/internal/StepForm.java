package dev.tcpfixture.internal;

/**
 * What a step of a script is, as data: its kind and its arguments, kept beside the runnable {@link Step} so
 * that a script can be written as text ({@link ScriptText}) and changed step by step. A step that runs code has
 * the form {@link Kind#CODE}, which cannot be written.
 *
 * @param kind the kind of step
 * @param first the first argument, or {@code null}
 * @param second the second argument, or {@code null}
 */
public record StepForm(Kind kind, Object first, Object second) {

    /** A step that runs code (a handler, a responder, a predicate): it has no text. */
    public static final StepForm CODE = new StepForm(Kind.CODE, null, null);

    /**
     * The form of a step without arguments.
     *
     * @param kind the kind
     * @return the form
     */
    public static StepForm of(Kind kind) {
        return new StepForm(kind, null, null);
    }

    /**
     * The form of a step with one argument.
     *
     * @param kind the kind
     * @param argument its argument
     * @return the form
     */
    public static StepForm of(Kind kind, Object argument) {
        return new StepForm(kind, argument, null);
    }

    /**
     * The form of a step with two arguments.
     *
     * @param kind the kind
     * @param first its first argument
     * @param second its second argument
     * @return the form
     */
    public static StepForm of(Kind kind, Object first, Object second) {
        return new StepForm(kind, first, second);
    }

    /** The kinds of steps, with the types of their arguments. */
    public enum Kind {
        /** {@code send(byte[])}: {@code byte[]}. */
        SEND_BYTES,
        /** {@code send(String)}: {@code String}. */
        SEND_TEXT,
        /** {@code sendLine(String)}: {@code String}. */
        SEND_LINE,
        /** {@code sendRandomBytes(int, long)}: {@code Integer}, {@code Long}. */
        SEND_RANDOM,
        /** {@code expect(byte[])}: {@code byte[]}. */
        EXPECT_BYTES,
        /** {@code expect(String)}: {@code String}. */
        EXPECT_TEXT,
        /** {@code expectLine(String)}: {@code String}. */
        EXPECT_LINE,
        /** {@code expectLineMatching(String)}: {@code String}, the regular expression. */
        EXPECT_LINE_MATCHING,
        /** {@code skipLine()}. */
        SKIP_LINE,
        /** {@code skipLinesThrough(String)}: {@code String}. */
        SKIP_LINES_THROUGH,
        /** {@code skipBytes(long)}: {@code Long}. */
        SKIP_BYTES,
        /** {@code pause(Duration)}: {@code Duration}. */
        PAUSE,
        /** {@code drip(int, Duration)}: {@code Integer}, {@code Duration}. */
        DRIP,
        /** {@code fragment(int...)}: {@code int[]}. */
        FRAGMENT,
        /** {@code deliverWhole()}. */
        DELIVER_WHOLE,
        /** {@code closeAfterSending(long)}: {@code Long}. */
        CLOSE_AFTER_SENDING,
        /** {@code withLineEnding(String)}: {@code String}. */
        LINE_ENDING,
        /** {@code withCharset(Charset)}: {@code Charset}. */
        CHARSET,
        /** {@code withStepTimeout(Duration)}: {@code Duration}. */
        STEP_TIMEOUT,
        /** {@code shutdownOutput()}. */
        SHUTDOWN_OUTPUT,
        /** {@code startTls()}. */
        START_TLS,
        /** {@code echo()}. */
        ECHO,
        /** {@code close()}. */
        CLOSE,
        /** {@code reset()}. */
        RESET,
        /** {@code stall()}. */
        STALL,
        /** {@code tlsStall()}. */
        TLS_STALL,
        /** {@code plaintextReply(String)}: {@code String}. */
        PLAINTEXT_REPLY,
        /** {@code resetDuringHandshake()}. */
        RESET_DURING_HANDSHAKE,
        /** {@code tlsFault(TlsFault)}: {@code TlsFault}. */
        TLS_FAULT,
        /** A step that runs code: {@code handle}, {@code answerLines}, {@code expectLine} with a predicate. */
        CODE
    }
}
