package dev.tcpfixture.junit.internal;

import dev.tcpfixture.ScriptFailure;
import dev.tcpfixture.junit.internal.ManagedServer.DeferredFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns the unreported failures of servers into one {@link AssertionError} with every transcript.
 */
final class Verification {

    private static final String NEWLINE = System.lineSeparator();

    private final List<String> sections = new ArrayList<>();
    private final List<Throwable> causes = new ArrayList<>();

    private Verification() {
    }

    /**
     * Throws if any of the servers that are to be verified has failures not reported yet: after a test.
     *
     * @throws AssertionError listing every such failure with its transcript
     */
    static void verify(List<ManagedServer> servers) {
        Verification verification = new Verification();
        for (ManagedServer server : servers) {
            if (server.spec().verify()) {
                verification.add(server, server.takeUnreportedFailures(), null);
            }
        }
        verification.throwIfFailed();
    }

    /**
     * Throws if any of the per-class servers has deferred failures or failures not reported yet: after all
     * tests of their class, once they are closed.
     *
     * @throws AssertionError listing every such failure with its transcript, deferred ones first
     */
    static void verifyAfterAll(List<ManagedServer> servers) {
        Verification verification = new Verification();
        for (ManagedServer server : servers) {
            if (server.spec().verify()) {
                for (DeferredFailures deferred : server.takeDeferredFailures()) {
                    verification.add(server, deferred.failures(), deferred.circumstance());
                }
                verification.add(server, server.takeUnreportedFailures(), null);
            }
        }
        verification.throwIfFailed();
    }

    private void add(ManagedServer server, List<ScriptFailure> failures, String circumstance) {
        if (failures.isEmpty()) {
            return;
        }
        sections.add(describe(server, failures, circumstance));
        failures.stream().map(ScriptFailure::cause).filter(Objects::nonNull).forEach(causes::add);
    }

    private void throwIfFailed() {
        if (sections.isEmpty()) {
            return;
        }
        AssertionError error = new AssertionError(String.join(NEWLINE + NEWLINE, sections));
        causes.forEach(error::addSuppressed);
        throw error;
    }

    private static String describe(ManagedServer server, List<ScriptFailure> failures, String circumstance) {
        StringBuilder text = new StringBuilder();
        text.append("Fake TCP server ").append(server.describe()).append(" recorded ").append(failures.size())
                .append(failures.size() == 1 ? " failure" : " failures")
                .append(circumstance == null ? "" : " " + circumstance).append(':');
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
