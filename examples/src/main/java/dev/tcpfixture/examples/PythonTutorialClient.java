package dev.tcpfixture.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
     * Runs the tutorial's client ({@code socket1.py}) against {@code host:port}.
     *
     * @param host the host to connect to, an address literal
     * @param port the port
     * @param timeout how long the program may run
     * @return its exit code and output
     * @throws IOException if it cannot be started or does not finish in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static Result run(String host, int port, Duration timeout) throws IOException, InterruptedException {
        return runScript("socket1.py", timeout, host, Integer.toString(port));
    }

    /**
     * Runs the tutorial's client wrapped in TLS ({@code socket1_tls.py}) against {@code host:port}, trusting only
     * the CA certificates in {@code caFile} (a PEM file) and checking the host name against the server's
     * certificate. It prints the TLS version to standard error at the end.
     *
     * @param host the host to connect to, an address literal
     * @param port the port
     * @param caFile the PEM file of the certificate authority to trust
     * @param timeout how long the program may run
     * @return its exit code and output
     * @throws IOException if it cannot be started or does not finish in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static Result runTls(String host, int port, Path caFile, Duration timeout)
            throws IOException, InterruptedException {
        return runScript("socket1_tls.py", timeout, host, Integer.toString(port), caFile.toString());
    }

    private static Result runScript(String name, Duration timeout, String... args)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile(name.replace(".py", ""), ".py");
        try {
            try (InputStream source = PythonTutorialClient.class.getResourceAsStream(name)) {
                if (source == null) {
                    throw new IOException(name + " is missing from the classpath");
                }
                Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Path stdout = Files.createTempFile("socket1", ".out");
            Path stderr = Files.createTempFile("socket1", ".err");
            try {
                List<String> command = new ArrayList<>(List.of("python3", script.toString()));
                command.addAll(List.of(args));
                Process process = new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    throw new IOException("python3 " + name + " did not finish within " + timeout.toMillis() + " ms");
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
