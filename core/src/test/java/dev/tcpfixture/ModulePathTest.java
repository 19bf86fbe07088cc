package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core as a named module on the module path, as an application would use it: javac compiles small modules
 * against the core's classes, and a module layer runs one. Only {@code dev.tcpfixture} is reachable; the
 * internals are reachable from the extension's module alone.
 */
class ModulePathTest {

    private static final String USER_MODULE = """
            module example.user {
                requires dev.tcpfixture;
                exports example.user;
            }
            """;

    /** Uses the API for real, and tries the internals by reflection. */
    private static final String USER_CLASS = """
            package example.user;

            import dev.tcpfixture.FakeTcpServer;
            import dev.tcpfixture.Script;
            import java.io.BufferedReader;
            import java.io.InputStreamReader;
            import java.lang.reflect.Method;
            import java.net.Socket;
            import java.nio.charset.StandardCharsets;

            public final class Probe {
                public static String useTheApi() throws Exception {
                    try (FakeTcpServer server = FakeTcpServer.start()) {
                        server.enqueue(Script.create().sendLine("hello from a module").close());
                        try (Socket socket = new Socket(server.host(), server.port())) {
                            socket.setSoTimeout(5_000);
                            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                    StandardCharsets.UTF_8)).readLine();
                            server.verify();
                            return line;
                        }
                    }
                }

                public static String reachTheInternals() {
                    try {
                        Class<?> messages = Class.forName("dev.tcpfixture.internal.Messages");
                        Method count = messages.getMethod("count", long.class, String.class, String.class);
                        try {
                            return "invoked: " + count.invoke(null, 2L, "probe", "probes");
                        } catch (IllegalAccessException e) {
                            try {
                                count.setAccessible(true);
                                return "made accessible";
                            } catch (RuntimeException inaccessible) {
                                return e.getClass().getName() + " | " + inaccessible.getClass().getName();
                            }
                        }
                    } catch (Exception e) {
                        return "unexpected: " + e;
                    }
                }
            }
            """;

    private static final ToolProvider JAVAC = ToolProvider.findFirst("javac").orElse(null);

    private static Path core;

    @TempDir
    Path work;

    @BeforeAll
    static void findTheCore() throws Exception {
        core = Path.of(FakeTcpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(core.resolve("module-info.class")).as("the core's compiled classes, a module").isRegularFile();
        assertThat(JAVAC).as("javac of the running JDK (module jdk.compiler)").isNotNull();
    }

    @Test
    void theCoreIsANamedModuleThatExportsOnlyItsApi() {
        ModuleDescriptor descriptor = ModuleFinder.of(core).find("dev.tcpfixture").orElseThrow().descriptor();
        assertThat(descriptor.isAutomatic()).isFalse();
        assertThat(descriptor.isOpen()).isFalse();
        assertThat(descriptor.opens()).isEmpty();
        assertThat(descriptor.exports().stream().map(export -> export.source() + " to "
                + (export.isQualified() ? export.targets().toString() : "all")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("dev.tcpfixture to all", "dev.tcpfixture.spi to all",
                        "dev.tcpfixture.internal to [dev.tcpfixture.junit]");
        assertThat(descriptor.uses()).containsExactly("dev.tcpfixture.spi.TlsMaterialProvider");
        assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name).containsExactly("java.base");
    }

    @Test
    void anOrdinaryModuleCompilesAgainstTheApiAndRunsOnTheModulePath() throws Exception {
        Path classes = compile("example.user", USER_MODULE, "example/user/Probe.java", USER_CLASS);

        ModuleLayer layer = layerOf(classes, "example.user");
        Module coreModule = layer.findModule("dev.tcpfixture").orElseThrow();
        Module user = layer.findModule("example.user").orElseThrow();
        assertThat(coreModule.isNamed()).isTrue();
        assertThat(coreModule.getLayer()).isSameAs(layer);
        assertThat(coreModule.isExported("dev.tcpfixture", user)).isTrue();
        assertThat(coreModule.isExported("dev.tcpfixture.internal")).isFalse();
        assertThat(coreModule.isExported("dev.tcpfixture.internal", user)).isFalse();
        assertThat(coreModule.isOpen("dev.tcpfixture.internal", user)).isFalse();

        Class<?> probe = layer.findLoader("example.user").loadClass("example.user.Probe");
        assertThat(probe.getModule()).isSameAs(user);
        assertThat(call(probe, "useTheApi")).isEqualTo("hello from a module");
        assertThat(call(probe, "reachTheInternals")).isEqualTo(
                "java.lang.IllegalAccessException | java.lang.reflect.InaccessibleObjectException");
    }

    @Test
    void anOrdinaryModuleCannotCompileAgainstTheInternals() throws Exception {
        String source = """
                package example.bad;

                public final class Bad {
                    public static String count() {
                        return dev.tcpfixture.internal.Messages.count(2, "try", "tries");
                    }
                }
                """;
        Compilation compilation = tryCompile("example.bad", "module example.bad { requires dev.tcpfixture; }",
                "example/bad/Bad.java", source);

        assertThat(compilation.exitCode()).as("javac exit code; output:%n%s", compilation.output()).isNotZero();
        assertThat(compilation.output()).contains("package dev.tcpfixture.internal is declared in module "
                + "dev.tcpfixture, which does not export it to module example.bad");
    }

    @Test
    void theExtensionsModuleAloneReachesTheInternals() throws Exception {
        String source = """
                package dev.tcpfixture.junit;

                public final class Uses {
                    public static String count() {
                        return dev.tcpfixture.internal.Messages.count(2, "connection", "connections");
                    }
                }
                """;
        Path classes = compile("dev.tcpfixture.junit",
                "module dev.tcpfixture.junit { requires dev.tcpfixture; exports dev.tcpfixture.junit; }",
                "dev/tcpfixture/junit/Uses.java", source);

        ModuleLayer layer = layerOf(classes, "dev.tcpfixture.junit");
        Class<?> uses = layer.findLoader("dev.tcpfixture.junit").loadClass("dev.tcpfixture.junit.Uses");
        assertThat(call(uses, "count")).isEqualTo("2 connections");
    }

    private record Compilation(int exitCode, String output) {
    }

    private Path compile(String module, String moduleInfo, String file, String source) throws Exception {
        Compilation compilation = tryCompile(module, moduleInfo, file, source);
        assertThat(compilation.exitCode()).as("javac exit code; output:%n%s", compilation.output()).isZero();
        return work.resolve("out-" + module);
    }

    private Compilation tryCompile(String module, String moduleInfo, String file, String source) throws Exception {
        Path sources = work.resolve("src-" + module);
        Files.createDirectories(sources.resolve(file).getParent());
        Files.writeString(sources.resolve("module-info.java"), moduleInfo);
        Files.writeString(sources.resolve(file), source);
        List<String> arguments = new ArrayList<>(List.of("--module-path", core.toString(), "-d",
                work.resolve("out-" + module).toString(), "-Xlint:none"));
        arguments.add(sources.resolve("module-info.java").toString());
        arguments.add(sources.resolve(file).toString());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            int exitCode = JAVAC.run(print, print, arguments.toArray(String[]::new));
            return new Compilation(exitCode, output.toString(StandardCharsets.UTF_8));
        }
    }

    /** A layer over the platform modules with the core and the compiled module, each in its own layer's loader. */
    private static ModuleLayer layerOf(Path classes, String root) {
        ModuleLayer parent = ModuleLayer.boot();
        Configuration configuration = parent.configuration()
                .resolve(ModuleFinder.of(core, classes), ModuleFinder.of(), Set.of(root));
        return parent.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    }

    private static Object call(Class<?> type, String method) throws Exception {
        Method target = type.getMethod(method);
        try {
            return target.invoke(null);
        } catch (InvocationTargetException e) {
            throw new AssertionError(method + " failed in the module layer", e.getCause());
        }
    }
}
