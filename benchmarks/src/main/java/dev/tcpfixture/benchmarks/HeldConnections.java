package dev.tcpfixture.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Memory per held connection: a server in a JVM of its own ({@link HeldConnectionsServerProcess}) is measured
 * after GC, then again with {@code connections} client connections open, each after one exchange (so every
 * server has accepted, answered and is waiting for the next bytes). Heap and RSS deltas are divided by the
 * number of connections. The clients live in this JVM, not in the measured one.
 */
final class HeldConnections {

    /** Roundtrips before the first measurement, so that class loading and JIT do not count as connections. */
    static final int WARM_UP_ROUNDTRIPS = 200;
    private static final long PROCESS_DEADLINE_SECONDS = 180;

    /** Fixed heap, touched up front: RSS then grows only by what is outside the heap (stacks, native). */
    static final List<String> SERVER_JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch",
            "-XX:+UseG1GC");

    private HeldConnections() {
    }

    /** One measurement of one server. */
    record Result(ServerKind kind, int connections, ProcessMemory before, ProcessMemory held, long threadsAfterClose) {

        double heapPerConnection() {
            return (double) (held.heapUsedBytes() - before.heapUsedBytes()) / connections;
        }

        double rssPerConnection() {
            return (double) (held.rssBytes() - before.rssBytes()) / connections;
        }

        int threadsAdded() {
            return held.osThreads() - before.osThreads();
        }

    }

    static Result measure(ServerKind kind, int connections) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SERVER_JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HeldConnectionsServerProcess.class.getName());
        command.add(kind.id());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "held-connections-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        // a hung server process is killed, which ends its output and so every wait below
        watchdog.schedule(process::destroyForcibly, PROCESS_DEADLINE_SECONDS, TimeUnit.SECONDS);
        List<Socket> clients = new ArrayList<>(connections);
        try (BufferedReader fromServer = new BufferedReader(
                     new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
             Writer toServer = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII)) {
            int port = Integer.parseInt(expect(fromServer, "PORT"));
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            for (int i = 0; i < WARM_UP_ROUNDTRIPS; i++) {
                Client.roundtrip(kind.protocol(), address);
            }
            ProcessMemory before = ProcessMemory.decode(ask(toServer, fromServer, "MEASURE", "MEASURED"));
            for (int i = 0; i < connections; i++) {
                clients.add(Client.openWithOneExchange(kind.protocol(), address));
            }
            ProcessMemory held = ProcessMemory.decode(ask(toServer, fromServer, "MEASURE", "MEASURED"));
            closeAll(clients);
            long threadsAfterClose = Long.parseLong(ask(toServer, fromServer, "CLOSE", "CLOSED").trim());
            return new Result(kind, connections, before, held, threadsAfterClose);
        } finally {
            closeAll(clients);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            watchdog.shutdownNow();
        }
    }

    private static String ask(Writer toServer, BufferedReader fromServer, String command, String answer)
            throws IOException {
        toServer.write(command + "\n");
        toServer.flush();
        return expect(fromServer, answer);
    }

    private static String expect(BufferedReader fromServer, String keyword) throws IOException {
        String line = fromServer.readLine();
        if (line == null || !line.startsWith(keyword + " ")) {
            throw new IOException("server process answered " + line + " instead of " + keyword);
        }
        return line.substring(keyword.length() + 1);
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all there is to do
            }
        }
        sockets.clear();
    }

    /**
     * The soft limit on open files, from /proc/self/limits (the JVM raises it to the hard limit at start on
     * Linux); -1 if unknown.
     */
    static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }
}
