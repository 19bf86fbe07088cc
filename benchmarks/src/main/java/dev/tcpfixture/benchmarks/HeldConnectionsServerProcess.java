package dev.tcpfixture.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The server side of the held-connections measurement, in a JVM of its own so that nothing else (JMH, the
 * clients) is in its heap, its RSS or its thread count. Started by {@link HeldConnections}; talks to it over
 * stdin and stdout:
 *
 * <pre>
 *   -> PORT port
 *   <- MEASURE            -> MEASURED heap rss osThreads javaThreads     (after GC)
 *   <- CLOSE              -> CLOSED n    (n: the server's threads still alive right after close() returned)
 * </pre>
 *
 * End of input closes the server and ends the process too.
 */
public final class HeldConnectionsServerProcess {

    private HeldConnectionsServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        ServerKind kind = ServerKind.byId(args[0]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        BenchServer server = kind.startServing();
        boolean closed = false;
        try {
            out.println("PORT " + server.address().getPort());
            String command;
            while ((command = in.readLine()) != null) {
                if (command.equals("MEASURE")) {
                    out.println("MEASURED " + ProcessMemory.afterGc().encode());
                } else if (command.equals("CLOSE")) {
                    closed = true;
                    server.close();
                    out.println("CLOSED " + kind.liveServerThreads());
                    return;
                } else {
                    out.println("ERROR unknown command " + command);
                }
            }
        } finally {
            if (!closed) {
                server.close();
            }
        }
        // MockWebServer's task runner threads are not daemons; they are counted above, then not waited for
        System.exit(0);
    }
}
