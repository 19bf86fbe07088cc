package dev.tcpfixture.junit.internal;

import static dev.tcpfixture.junit.internal.Wording.NEWLINE;

import dev.tcpfixture.ScriptFailure;
import dev.tcpfixture.internal.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns the failures of servers into one {@link AssertionError}, bounded: at most 20 failures listed per server,
 * each with its transcript as core bounds it.
 */
final class Verification {

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
        text.append("Expected ").append(server.describe()).append(" to record no failures, but it recorded ")
                .append(Messages.count(failures.size(), "failure", "failures")).append(circumstance).append(':')
                .append(NEWLINE).append(Wording.failures(failures));
        if (failures.stream().anyMatch(failure -> failure.transcript().isEmpty())) {
            text.append(Wording.transcript(server.server()));
        }
        return text.toString();
    }
}
