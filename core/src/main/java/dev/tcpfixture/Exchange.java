package dev.tcpfixture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The server's side of one connection, as given to a {@link ConnectionHandler}. Reads and writes through its
 * streams are recorded; reads time out after the script's step timeout.
 *
 * @since 0.1
 */
public interface Exchange {

    /**
     * Returns the recorded input from the client, starting with any bytes earlier steps read but did not use.
     *
     * @return the input stream; reading it blocks at most the step timeout
     */
    InputStream input();

    /**
     * Returns the recorded output to the client. Writes are sent at once.
     *
     * @return the output stream
     */
    OutputStream output();

    /**
     * Reads one line from the client, without its line ending.
     *
     * @return the line, or {@code null} if the client closed the connection first
     * @throws IOException if reading fails or times out
     */
    String readLine() throws IOException;

    /**
     * Sends {@code line} followed by the script's line ending.
     *
     * @param line the text to send
     * @throws IOException if writing fails
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
