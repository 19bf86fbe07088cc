package dev.tcpfixture.junit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs the "user" test classes of these tests through the Jupiter engine, and small helpers for them.
 */
final class TestKit {

    static final String GUARD_KEY = "tcpfixture.test.runByTestKit";

    private TestKit() {
    }

    /**
     * Marks a test class that only {@link TestKit} runs: IDEs and package scans skip it, since its tests fail on
     * purpose.
     */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @EnabledIf("dev.tcpfixture.junit.TestKit#runByTestKit")
    @interface UserTests {
    }

    static boolean runByTestKit(ExtensionContext context) {
        return context.getConfigurationParameter(GUARD_KEY).isPresent();
    }

    static EngineExecutionResults run(Class<?> testClass) {
        return run(Map.of(), testClass);
    }

    static EngineExecutionResults run(Map<String, String> parameters, Class<?>... testClasses) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(GUARD_KEY, "true");
        all.put("junit.jupiter.execution.timeout.default", "30 s");
        all.putAll(parameters);
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(all)
                .selectors(Arrays.stream(testClasses).map(DiscoverySelectors::selectClass)
                        .toArray(DiscoverySelector[]::new))
                .execute();
    }

    /**
     * Configuration parameters that turn parallel execution on, with this default execution mode for test
     * methods and for top-level classes.
     */
    static Map<String, String> parallel(String methods, String classes) {
        return Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", methods,
                "junit.jupiter.execution.parallel.mode.classes.default", classes,
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
    }

    /** Whether this machine has the IPv6 loopback address {@code ::1}, as core's tests check it. */
    static boolean hasIpv6Loopback() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .anyMatch(address -> address instanceof Inet6Address && address.isLoopbackAddress());
    }

    /** Returns the throwables of the failed events, tests and containers. */
    static List<Throwable> failures(Events events) {
        List<Throwable> throwables = new ArrayList<>();
        for (Event event : events.failed().list()) {
            event.getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable)
                    .ifPresent(throwables::add);
        }
        return throwables;
    }

    /** Returns the throwable of the one failed test with this method name. */
    static Throwable failureOf(EngineExecutionResults results, String methodName) {
        List<Event> failed = results.testEvents().failed().list().stream()
                .filter(event -> event.getTestDescriptor().getDisplayName().startsWith(methodName + "("))
                .toList();
        if (failed.size() != 1) {
            throw new AssertionError("expected one failed test " + methodName + ", but found " + failed.size()
                    + " among " + results.testEvents().failed().list());
        }
        return failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    /** Returns the names of live threads of any fake server. */
    static List<String> liveServerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("tcpfixture-"))
                .sorted()
                .toList();
    }

    /** A minimal line client: connects, sends the lines, and returns every line read until the server closes. */
    static List<String> converse(InetSocketAddress address, String... lines) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            for (String line : lines) {
                out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            socket.shutdownOutput();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            List<String> received = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                received.add(line);
            }
            return received;
        }
    }
}
