package dev.tcpfixture.tls;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Runs a program to its end within a time limit, its output (standard error too) collected in a file. */
final class ExternalProcess {
    static final long TIMEOUT_SECONDS = 60;

    /** The exit code and the output of a finished program. */
    record Result(int exitCode, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    private ExternalProcess() {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("tcpfixture-tls-process-", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().keySet().removeIf(name -> name.toLowerCase().endsWith("_proxy"));
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not end within " + TIMEOUT_SECONDS + " s; output: "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * The command to start a fresh JVM on this module's classes, the test classes, the core and BouncyCastle, on the class
     * path (the module path of this test run holds the same jars).
     */
    static List<String> java(List<String> jvmOptions, String mainClass, String... args) {
        Set<String> classPath = new LinkedHashSet<>();
        String basedir = System.getProperty("basedir", ".");
        classPath.add(Path.of(basedir, "target", "test-classes").toString());
        classPath.add(Path.of(basedir, "target", "classes").toString());
        try { // the core, wherever this run took it from (its jar, or its classes in a reactor build)
            classPath.add(Path.of(dev.tcpfixture.FakeTcpServer.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI()).toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property, "");
            for (String entry : value.split(File.pathSeparator)) {
                if (entry.contains("bouncycastle")) {
                    classPath.add(entry);
                }
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }
}
