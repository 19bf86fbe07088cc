package dev.tcpfixture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The server's side of one connection, as given to a {@link ConnectionHandler}. Reads and writes through its
 * streams are recorded; reads time out after the script's step timeout.
 *
 * <p>When the client is gone: reads end ({@link #readLine()} returns {@code null}, {@code input().read}
 * returns {@code -1}) whether the client closed the connection or reset it, so that a loop such as
 * {@code while ((line = exchange.readLine()) != null)} ends cleanly; a write throws
 * {@link ConnectionClosedException}. Every call throws {@link ConnectionClosedException} once the server ended
 * the connection (a step, or {@link FakeTcpServer#close()}). Only JDK exceptions and
 * {@link ConnectionClosedException} come out of an exchange.
 *
 * @since 0.1
 */
public interface Exchange {

    /**
     * Returns the recorded input from the client, starting with any bytes earlier steps read but did not use.
     * Its reads return {@code -1} once the client closed or reset the connection, and throw
     * {@link java.net.SocketTimeoutException} when nothing came within the step timeout.
     *
     * @return the input stream; reading it blocks at most the step timeout
     */
    InputStream input();

    /**
     * Returns the recorded output to the client. Writes are sent at once, with the script's delivery; one the
     * client does not read within the step timeout throws {@link java.net.SocketTimeoutException}, one to a
     * client that is gone throws {@link ConnectionClosedException}.
     *
     * @return the output stream
     */
    OutputStream output();

    /**
     * Reads one line from the client, without its line ending.
     *
     * @return the line decoded with the server's charset, or {@code null} if the client closed or reset the
     *     connection first
     * @throws java.net.SocketTimeoutException if no line came within the step timeout
     * @throws ConnectionClosedException if the server ended the connection
     * @throws IOException if the line is longer than the server's line limit, or reading fails otherwise
     */
    String readLine() throws IOException;

    /**
     * Sends {@code line} followed by the script's line ending.
     *
     * @param line the text to send
     * @throws ConnectionClosedException if the client or the server ended the connection
     * @throws java.net.SocketTimeoutException if the client did not read it within the step timeout
     * @throws IOException if writing fails otherwise
     */
    void sendLine(String line) throws IOException;

    /**
     * Returns the underlying socket, for socket options; use {@link #input()} and {@link #output()} for I/O so
     * that it is recorded.
     *
     * @return the accepted socket
     */
    Socket socket();

    /**
     * Returns the record of this connection.
     *
     * @return the recorded connection
     */
    RecordedConnection connection();
}
