package dev.tcpfixture.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal SMTP-style line client: reads the {@code 220} greeting, says {@code HELO}, expects {@code 250},
 * says {@code QUIT}, expects {@code 221}, and closes.
 */
public final class SmtpLikeClient {

    /**
     * What the server said during a session.
     *
     * @param greeting the {@code 220} greeting line
     * @param heloReply the reply to {@code HELO}
     * @param quitReply the reply to {@code QUIT}
     */
    public record Session(String greeting, String heloReply, String quitReply) {
    }

    private final String host;
    private final int port;
    private final int timeoutMillis;

    /**
     * Creates a client for the server at {@code host:port}.
     *
     * @param host the server's host
     * @param port the server's port (25 for real SMTP)
     * @param timeoutMillis the connect and read timeout
     */
    public SmtpLikeClient(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Greets the server as {@code clientName} and leaves.
     *
     * @param clientName the name sent with {@code HELO}
     * @return the server's replies
     * @throws ProtocolException if a reply has an unexpected code or the server hangs up early
     * @throws IOException if the connection fails
     */
    public Session hello(String clientName) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            String greeting = expectReply(in, "220");
            send(out, "HELO " + clientName);
            String heloReply = expectReply(in, "250");
            send(out, "QUIT");
            String quitReply = expectReply(in, "221");
            return new Session(greeting, heloReply, quitReply);
        }
    }

    /**
     * Greets the server, upgrades the connection with {@code STARTTLS} and then, over TLS on the same connection,
     * says {@code HELO} and {@code QUIT}: what a mail client does before it sends anything that matters. The
     * server's certificate must be trusted by {@code tls} and match the host name.
     *
     * @param clientName the name to introduce the client with
     * @param tls the socket factory of the client's TLS context
     * @return the server's replies; the greeting is the plaintext one
     * @throws IOException if the conversation fails; a {@link javax.net.ssl.SSLHandshakeException} if the
     *     server's certificate is not trusted
     */
    public Session helloWithStartTls(String clientName, SSLSocketFactory tls) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            BufferedReader plainIn = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            String greeting = expectReply(plainIn, "220");
            send(socket.getOutputStream(), "STARTTLS");
            expectReply(plainIn, "220");
            // nothing more is read in plaintext, so the reader holds no bytes of the handshake
            try (SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true)) {
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                BufferedReader in = new BufferedReader(new InputStreamReader(secure.getInputStream(),
                        StandardCharsets.US_ASCII));
                OutputStream out = secure.getOutputStream();
                send(out, "HELO " + clientName);
                String heloReply = expectReply(in, "250");
                send(out, "QUIT");
                String quitReply = expectReply(in, "221");
                return new Session(greeting, heloReply, quitReply);
            }
        }
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String expectReply(BufferedReader in, String code) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new ProtocolException("server closed the connection while a " + code + " reply was expected");
        }
        if (!line.startsWith(code)) {
            throw new ProtocolException("expected a " + code + " reply, got: " + line);
        }
        return line;
    }
}
