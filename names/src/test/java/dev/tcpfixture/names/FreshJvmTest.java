package dev.tcpfixture.names;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.spi.HostNameProvider;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver in a JVM of its own, as users get it: found by the JDK on the class path (META-INF/services) and on
 * the module path (the module's {@code provides}), and a JVM where it cannot work saying why.
 */
class FreshJvmTest {

    @TempDir
    Path temp;

    @Test
    void onTheClassPath() throws Exception {
        String output = run(List.of("-cp", String.join(File.pathSeparator, location(FakeHosts.class),
                location(HostNameProvider.class), location(dev.tcpfixture.namescheck.FreshJvmMain.class))));

        assertThat(output).isEqualTo("resolved 127.0.0.1, unknown true, lookups 1, named module false");
    }

    @Test
    void onTheModulePath() throws Exception {
        Path module = explodedModule();

        String output = run(List.of(
                "--module-path", String.join(File.pathSeparator, module.toString(), location(HostNameProvider.class)),
                "--add-modules", "dev.tcpfixture.names",
                "-cp", location(dev.tcpfixture.namescheck.FreshJvmMain.class)));

        assertThat(output).isEqualTo("resolved 127.0.0.1, unknown true, lookups 1, named module true");
    }

    @Test
    void aHostsFileDefeatsTheResolverAndRegisteringSaysSo() throws Exception {
        Path hosts = Files.writeString(temp.resolve("hosts"), "127.0.0.1 localhost\n");

        String output = run(List.of("-Djdk.net.hosts.file=" + hosts, "-cp", String.join(File.pathSeparator,
                location(FakeHosts.class), location(HostNameProvider.class),
                location(dev.tcpfixture.namescheck.FreshJvmMain.class))));

        assertThat(output).isEqualTo("failed: Expected the JVM to resolve host names through tcpfixture-names, "
                + "but it uses another resolver: the system property jdk.net.hosts.file is set (" + hosts
                + "); remove it");
    }

    /** This module's classes with its module descriptor, compiled here (the build adds it only to the jar). */
    private Path explodedModule() throws IOException, URISyntaxException {
        Path classes = Path.of(location(FakeHosts.class));
        Path module = temp.resolve("dev.tcpfixture.names");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.toList()) {
                Path target = module.resolve(classes.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "21", "-d", module.toString(),
                "--module-path", location(HostNameProvider.class),
                "--patch-module", "dev.tcpfixture.names=" + module,
                Path.of("src/main/module/module-info.java").toString());
        assertThat(status).as("javac of module-info.java").isZero();
        return module;
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Runs FreshJvmMain on this JVM's java and returns what it printed; bounded. */
    private String run(List<String> options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(options);
        command.add("dev.tcpfixture.namescheck.FreshJvmMain");
        Path log = temp.resolve("output.txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM ended within 60 s").isTrue();
        } finally {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
        return output;
    }
}
