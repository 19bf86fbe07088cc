package dev.tcpfixture.internal;

import java.nio.charset.Charset;
import java.time.Duration;

/**
 * What the steps of one connection's script have set for the steps after them: the step timeout, the line
 * ending of lines sent, the charset of text, how sends are delivered, and how many more bytes may be sent before
 * the server closes.
 * Used by the connection's worker only.
 */
final class StepSettings {

    private Duration stepTimeout;
    private String lineEnding = "\r\n";
    private Delivery delivery = Delivery.WHOLE;
    private long sendLimit = -1;
    private Charset charset; // null: the server's

    StepSettings(Duration stepTimeout) {
        this.stepTimeout = stepTimeout;
    }

    Duration stepTimeout() {
        return stepTimeout;
    }

    void stepTimeout(Duration timeout) {
        this.stepTimeout = timeout;
    }

    String lineEnding() {
        return lineEnding;
    }

    void lineEnding(String ending) {
        this.lineEnding = ending;
    }

    /** Returns the charset a step set for the text of the steps after it, or {@code null} for the server's. */
    Charset charset() {
        return charset;
    }

    void charset(Charset charset) {
        this.charset = charset;
    }

    Delivery delivery() {
        return delivery;
    }

    void delivery(Delivery delivery) {
        this.delivery = delivery;
    }

    /** Returns how many more bytes may be sent, or {@code -1} for no limit. */
    long sendLimit() {
        return sendLimit;
    }

    void sendLimit(long bytes) {
        this.sendLimit = bytes;
    }
}
