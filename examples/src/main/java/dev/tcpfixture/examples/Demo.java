package dev.tcpfixture.examples;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The runnable demo: starts fake servers on loopback, runs the example clients against them in every
 * mode, and prints what each client saw and the server's transcript.
 */
public final class Demo {

    /** The text the tutorial's server returns for {@code romeo.txt}. */
    public static final String ROMEO = """
            But soft what light through yonder window breaks
            It is the east and Juliet is the sun
            Arise fair sun and kill the envious moon
            Who is already sick and pale with grief
            """;

    /** The request line of the tutorial; the URL is text only and is never resolved. */
    public static final String ROMEO_REQUEST = "GET http://data.pr4e.org/romeo.txt HTTP/1.0";

    /** A script that answers the tutorial's request like its web server does. */
    public static final Script ROMEO_SERVER = Script.create()
            .expectLine(ROMEO_REQUEST)
            .skipLinesThrough("")
            .sendLine("HTTP/1.1 200 OK")
            .sendLine("Content-Type: text/plain")
            .sendLine("Content-Length: " + ROMEO.getBytes(StandardCharsets.UTF_8).length)
            .sendLine("")
            .send(ROMEO)
            .close();

    private static final Duration SHORT = Duration.ofMillis(300);

    private final PrintStream out;
    private int number;

    private Demo(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs every scenario and prints the results.
     *
     * @param args ignored
     * @throws Exception if the demo itself breaks
     */
    public static void main(String[] args) throws Exception {
        new Demo(System.out).run();
    }

    private void run() throws Exception {
        out.println("tcpfixture demo: real clients against a fake TCP server on loopback");
        httpFetch();
        pythonTutorial();
        smtpConversation();
        retries("server refuses every connection", server -> server.mode(ConnectionMode.REFUSE));
        retries("connects time out (full accept backlog)", server -> server.mode(ConnectionMode.CONNECT_TIMEOUT));
        retries("server accepts, then stalls", server -> server.defaultScript(Script.create().stall()));
        retries("server resets each connection", server -> server.mode(ConnectionMode.ACCEPT_THEN_RESET));
        retries("server drips the answer too slowly", server -> server.defaultScript(Script.create()
                .expectLine("PING").drip(1, Duration.ofMillis(150)).sendLine("OK PONG")));
        retries("server sends garbage", server -> server.defaultScript(Script.create()
                .expectLine("PING").sendRandomBytes(64, 7).sendLine("")));
        retries("first attempt reset, second answered", server -> server
                .enqueue(Script.create().reset())
                .enqueue(Script.create().expectLine("PING").sendLine("OK PONG").close()));
        failingScript();
        out.println();
        out.println("done: " + number + " scenarios");
    }

    private void heading(String title) {
        out.println();
        out.println("== " + ++number + ". " + title + " ==");
    }

    private void outcome(Callable<Object> client) {
        try {
            Object result = client.call();
            out.println("client got: " + String.valueOf(result).strip().replace("\n", "\n            "));
        } catch (Exception e) {
            out.println("client failed: " + e);
        }
    }

    private void transcript(FakeTcpServer server) {
        out.println("server transcript (" + server.connectionCount() + " connection(s)):");
        out.print(server.transcript());
    }

    private void httpFetch() {
        heading("HTTP/1.0 fetch of romeo.txt, as in the socket tutorial");
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(ROMEO_SERVER);
            outcome(() -> HttpFetcher.body(new HttpFetcher(server.host(), server.port(), 2_000)
                    .fetch("http://data.pr4e.org/romeo.txt")));
            awaitEnd(server);
            transcript(server);
        }
    }

    private void pythonTutorial() throws InterruptedException {
        heading("the tutorial's own Python client (python3 socket1.py)");
        if (!PythonTutorialClient.isPythonAvailable()) {
            out.println("skipped: python3 is not installed here");
            return;
        }
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(ROMEO_SERVER);
            try {
                PythonTutorialClient.Result result = PythonTutorialClient.run(server.host(), server.port(),
                        Duration.ofSeconds(20));
                out.println("python3 exited with " + result.exitCode() + " and printed:");
                out.print(result.stdout().indent(4));
            } catch (IOException e) {
                out.println("python3 failed: " + e);
            }
            awaitEnd(server);
            transcript(server);
        }
    }

    private void smtpConversation() {
        heading("SMTP-like line protocol: greeting, HELO, QUIT");
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create()
                    .sendLine("220 mail.test ESMTP fake")
                    .expectLineMatching("HELO [a-z.]+")
                    .sendLine("250 mail.test")
                    .expectLine("QUIT")
                    .sendLine("221 Bye")
                    .close());
            outcome(() -> new SmtpLikeClient(server.host(), server.port(), 2_000).hello("client.test"));
            awaitEnd(server);
            transcript(server);
        }
    }

    /** Configures a server for one retry scenario. */
    @FunctionalInterface
    private interface Setup {
        void apply(FakeTcpServer server);
    }

    private void retries(String title, Setup setup) {
        heading("retrying client: " + title);
        try (FakeTcpServer server = FakeTcpServer.builder().stepTimeout(Duration.ofSeconds(2)).start()) {
            setup.apply(server);
            RetryingLineClient.Settings settings = RetryingLineClient.Settings.defaults()
                    .withTimeouts(SHORT, SHORT, Duration.ofMillis(500));
            RetryingLineClient client = new RetryingLineClient(server.address(), settings);
            outcome(() -> client.request("PING"));
            awaitEnd(server);
            transcript(server);
        }
    }

    private void failingScript() {
        heading("a client that breaks the script: the failure a test would see");
        FakeTcpServer server = FakeTcpServer.start();
        server.enqueue(Script.create().sendLine("220 ready").expectLine("HELO client.test").sendLine("250 ok"));
        outcome(() -> new SmtpLikeClient(server.host(), server.port(), 2_000).hello("WRONG"));
        server.close();
        try {
            server.verify();
            out.println("no failure?");
        } catch (AssertionError failure) {
            out.println("server.verify() throws AssertionError:");
            out.print(failure.getMessage().indent(4));
        }
    }

    /** Waits until every connection has ended, so that transcripts are complete. */
    private static void awaitEnd(FakeTcpServer server) {
        for (RecordedConnection connection : server.connections()) {
            try {
                connection.awaitClosed(Duration.ofSeconds(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
