package dev.tcpfixture.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The TLS state of one connection: a server-mode {@link SSLEngine} and its bounded buffers (sized from the
 * session). It only transforms: ciphertext read from the kernel into {@link #netIn} (under the connection's
 * lock, by whoever pumps), unwrapped into plaintext by the worker (under the lock), and plaintext wrapped into
 * ciphertext by the worker. Reading, waiting and writing stay with {@link RecordedInput} and {@link PacedOutput}.
 */
final class TlsLayer {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final List<String> offered = new ArrayList<>(); // ALPN protocols the client offered
    private ByteBuffer netIn; // ciphertext from the kernel, in write mode; guarded by the connection's lock
    private boolean kernelEnd; // the kernel reported end of stream; guarded by the connection's lock
    private ByteBuffer appIn; // plaintext just unwrapped, in write mode; worker only, under the lock
    private ByteBuffer netOut; // ciphertext to send; worker only
    private volatile boolean handshakeDone;

    TlsLayer(TlsSettings settings) {
        List<String> choices = settings.applicationProtocols();
        this.engine = settings.newEngine((engine, protocols) -> {
            synchronized (offered) {
                offered.clear();
                offered.addAll(protocols);
            }
            for (String choice : choices) {
                if (protocols.contains(choice)) {
                    return choice;
                }
            }
            return choices.isEmpty() || protocols.isEmpty() ? "" : null; // null: no_application_protocol
        });
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize());
    }

    SSLEngine engine() {
        return engine;
    }

    /** Whether the first handshake finished; later handshake messages are answered at once. */
    boolean handshakeDone() {
        return handshakeDone;
    }

    void handshakeDone(boolean done) {
        handshakeDone = done;
    }

    // ---- ciphertext in: under the connection's lock ----

    /** Drops the ciphertext not unwrapped yet, before a close; returns how many bytes. */
    int discardCiphertext() {
        int count = netIn.position();
        netIn.clear();
        return count;
    }

    /** Whether the kernel's end of stream was read. */
    boolean kernelEnd() {
        return kernelEnd;
    }

    /** Whether ciphertext or the kernel's end wait for the worker to look at them. */
    boolean holdsUnprocessed() {
        return netIn.position() > 0 || kernelEnd;
    }

    /**
     * Reads ciphertext the kernel holds, without blocking.
     *
     * @return the count read, 0 if none or no room, -1 at the end of stream
     */
    int readFrom(SocketChannel channel) throws IOException {
        if (kernelEnd) {
            return 0;
        }
        if (!netIn.hasRemaining()) {
            if (netIn.capacity() >= 2 * engine.getSession().getPacketBufferSize()) {
                return 0; // full: the worker unwraps first
            }
            netIn = grow(netIn, 2 * engine.getSession().getPacketBufferSize());
        }
        int count = channel.read(netIn);
        if (count < 0) {
            kernelEnd = true;
        }
        return count;
    }

    /** Adds bytes that arrived as plaintext before the upgrade: the start of the client's handshake. */
    void prepend(byte[] bytes, int offset, int length) {
        if (netIn.remaining() < length) {
            netIn = grow(netIn, netIn.position() + length);
        }
        netIn.put(bytes, offset, length);
    }

    /**
     * Unwraps one record, if a whole one arrived; the plaintext it holds is then in {@link #plaintext()}.
     *
     * @return the engine's result
     * @throws SSLException if the client's bytes are not valid TLS, or it sent a fatal alert
     */
    SSLEngineResult unwrap() throws SSLException {
        appIn.clear();
        while (true) {
            netIn.flip();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            switch (result.getStatus()) {
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    int needed = engine.getSession().getPacketBufferSize();
                    if (netIn.capacity() < needed) {
                        netIn = grow(netIn, needed);
                    }
                    return result;
                }
                default -> {
                    return result;
                }
            }
        }
    }

    /** The plaintext of the last unwrap, ready to read. */
    ByteBuffer plaintext() {
        appIn.flip();
        return appIn;
    }

    // ---- ciphertext out: worker only ----

    /**
     * Wraps plaintext (or, with an empty {@code source}, the handshake's or the close's own messages) into
     * {@link #ciphertext()}.
     */
    SSLEngineResult wrap(ByteBuffer source) throws SSLException {
        netOut.clear();
        while (true) {
            SSLEngineResult result = engine.wrap(source, netOut);
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut.flip();
                return result;
            }
            netOut = grow(netOut, engine.getSession().getPacketBufferSize());
        }
    }

    /** How a handshake ended, when not with a TLS failure. */
    enum HandshakeEnd {
        /** Both sides finished the handshake. */
        DONE,
        /** The client closed the connection during the handshake. */
        CLIENT_CLOSED,
        /** The client reset the connection during the handshake; {@link RecordedInput#failure()} says how. */
        CLIENT_RESET
    }

    /**
     * Drives the server's handshake to its end: runs the engine's tasks, writes its flights through
     * {@code output}, and waits for the client's through {@code input}, in {@code AWAITING_INPUT}, all bounded by
     * {@code deadline}.
     *
     * @param input the connection's input, already {@linkplain RecordedInput#upgrade(TlsLayer) upgraded}
     * @param output the connection's output
     * @param timeout the step timeout, for messages
     * @param deadline when to give up
     * @return how the handshake ended
     * @throws SSLException if the handshake failed; the engine may hold the alert that says why
     *     ({@link #sendOwnNow(SocketChannel)})
     * @throws IOException if writing failed or the deadline passed
     */
    HandshakeEnd handshake(RecordedInput input, PacedOutput output, Duration timeout, long deadline)
            throws IOException {
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    SSLEngineResult result = wrapOwn();
                    output.writeCiphertext(ciphertext(), 0, timeout, deadline);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the server's TLS engine closed during the handshake");
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!input.awaitHandshakeInput(deadline)) {
                        IOException failure = input.failure();
                        if (failure instanceof SSLException tlsFailure) {
                            throw tlsFailure;
                        }
                        return failure != null ? HandshakeEnd.CLIENT_RESET : HandshakeEnd.CLIENT_CLOSED;
                    }
                }
                default -> {
                    handshakeDone(true);
                    return HandshakeEnd.DONE;
                }
            }
        }
    }

    /** Wraps the engine's own messages (handshake, alerts, close_notify). */
    SSLEngineResult wrapOwn() throws SSLException {
        return wrap(EMPTY);
    }

    /** The ciphertext of the last wrap, ready to write. */
    ByteBuffer ciphertext() {
        return netOut;
    }

    /**
     * Wraps the engine's own messages and writes them without waiting: an alert, a close_notify, an answer to a
     * key update. Tiny, so the socket's buffer takes them unless the client stopped reading for long; what it
     * does not take is dropped.
     */
    void sendOwnNow(SocketChannel channel) throws IOException {
        int rounds = 0;
        do {
            wrapOwn();
            while (netOut.hasRemaining() && channel.write(netOut) > 0) {
                // written
            }
        } while (++rounds < 4 && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP);
    }

    /** Runs the engine's delegated tasks on the calling thread. */
    void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Describes the finished handshake for the transcript. */
    String describeHandshake() {
        SSLSession session = engine.getSession();
        StringBuilder text = new StringBuilder("TLS handshake: ").append(session.getProtocol()).append(", ")
                .append(session.getCipherSuite());
        String sni = null;
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    sni = host.getAsciiName();
                }
            }
        }
        text.append(", SNI ").append(sni == null ? "none" : sni);
        synchronized (offered) {
            text.append(", ALPN offered ").append(offered.isEmpty() ? "none" : String.join(",", offered));
        }
        String selected = engine.getApplicationProtocol();
        text.append(", ALPN selected ").append(selected == null || selected.isEmpty() ? "none" : selected);
        text.append(", client certificate ");
        try {
            Certificate[] chain = session.getPeerCertificates();
            text.append(chain.length > 0 && chain[0] instanceof X509Certificate x509
                    ? x509.getSubjectX500Principal().getName() : "of an unknown type");
        } catch (SSLPeerUnverifiedException e) {
            text.append("none");
        }
        return text.toString();
    }

    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity()) + buffer.capacity() / 2);
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }
}
