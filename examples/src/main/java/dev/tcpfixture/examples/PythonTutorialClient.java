package dev.tcpfixture.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs the socket tutorial's own Python client ({@code socket1.py}, shipped as a resource) with
 * {@code python3}, pointed at a given host and port: the fake server tests clients in any language.
 */
public final class PythonTutorialClient {

    /**
     * What the Python process did.
     *
     * @param exitCode the exit code
     * @param stdout what it printed
     * @param stderr what it printed as errors
     */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private PythonTutorialClient() {
    }

    /**
     * Returns whether {@code python3} can be started here.
     *
     * @return {@code true} if {@code python3 --version} succeeds
     */
    public static boolean isPythonAvailable() {
        try {
            Process process = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs the tutorial script against {@code host:port} and waits for it.
     *
     * @param host the host to connect to
     * @param port the port to connect to
     * @param timeout how long the script may run
     * @return what the script did
     * @throws IOException if the script cannot be started, or does not finish in time (it is then killed)
     * @throws InterruptedException if interrupted while waiting
     */
    public static Result run(String host, int port, Duration timeout) throws IOException, InterruptedException {
        Path script = Files.createTempFile("socket1", ".py");
        try {
            try (InputStream source = PythonTutorialClient.class.getResourceAsStream("socket1.py")) {
                if (source == null) {
                    throw new IOException("socket1.py is missing from the classpath");
                }
                Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Path stdout = Files.createTempFile("socket1", ".out");
            Path stderr = Files.createTempFile("socket1", ".err");
            try {
                Process process = new ProcessBuilder("python3", script.toString(), host, Integer.toString(port))
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    throw new IOException("python3 socket1.py did not finish within " + timeout.toMillis() + " ms");
                }
                return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                        Files.readString(stderr, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
