package dev.tcpfixture.junit.internal;

import dev.tcpfixture.ScriptFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns the failures of servers into one {@link AssertionError} with every transcript.
 */
final class Verification {

    private static final String NEWLINE = System.lineSeparator();

    private Verification() {
    }

    /**
     * After a test: throws if any of the servers recorded failures since they were last verified.
     *
     * @throws AssertionError listing every such failure with its transcript
     */
    static void afterEach(List<ManagedServer> servers) {
        verify(servers, ManagedServer::takeNewFailures, "");
    }

    /**
     * After all tests of a class, its per-class servers closed: throws if any of them has failures set aside or
     * recorded since they were last verified.
     *
     * @param circumstance why these failures fail the class, or empty
     * @throws AssertionError listing every such failure with its transcript
     */
    static void afterAll(List<ManagedServer> servers, String circumstance) {
        verify(servers, ManagedServer::takeRemainingFailures, circumstance);
    }

    private static void verify(List<ManagedServer> servers, Function<ManagedServer, List<ScriptFailure>> take,
            String circumstance) {
        List<String> sections = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        for (ManagedServer server : servers) {
            if (!server.spec().verify()) {
                continue;
            }
            List<ScriptFailure> failures = take.apply(server);
            if (!failures.isEmpty()) {
                sections.add(describe(server, failures, circumstance));
                failures.stream().map(ScriptFailure::cause).filter(Objects::nonNull).forEach(causes::add);
            }
        }
        if (!sections.isEmpty()) {
            AssertionError error = new AssertionError(String.join(NEWLINE + NEWLINE, sections));
            causes.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static String describe(ManagedServer server, List<ScriptFailure> failures, String circumstance) {
        StringBuilder text = new StringBuilder();
        text.append("Fake TCP server ").append(server.describe()).append(" recorded ").append(failures.size())
                .append(failures.size() == 1 ? " failure" : " failures").append(circumstance).append(':');
        int number = 1;
        boolean withoutTranscript = false;
        for (ScriptFailure failure : failures) {
            text.append(NEWLINE).append(number++).append(") ").append(failure.describe().stripTrailing());
            withoutTranscript |= failure.transcript().isEmpty();
        }
        if (withoutTranscript) {
            text.append(NEWLINE).append("Transcript of all connections:").append(NEWLINE)
                    .append(server.server().transcript().stripTrailing());
        }
        return text.toString();
    }
}
