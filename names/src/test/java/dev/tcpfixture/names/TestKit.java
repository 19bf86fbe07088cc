package dev.tcpfixture.names;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
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

/** Runs the "user" test classes of these tests through the Jupiter engine, and small helpers for them. */
final class TestKit {

    static final String GUARD_KEY = "tcpfixture.test.runByTestKit";

    private TestKit() {
    }

    /**
     * Marks a test class that only {@link TestKit} runs: package scans skip it, since some of its tests fail on
     * purpose.
     */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @EnabledIf("dev.tcpfixture.names.TestKit#runByTestKit")
    @interface UserTests {
    }

    static boolean runByTestKit(ExtensionContext context) {
        return context.getConfigurationParameter(GUARD_KEY).isPresent();
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

    /** Parallel execution of methods and classes, with this many threads. */
    static Map<String, String> parallel(int threads) {
        return Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(threads));
    }

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
}
