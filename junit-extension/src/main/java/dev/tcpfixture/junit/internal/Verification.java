package dev.tcpfixture.junit.internal;

import dev.tcpfixture.ScriptFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the unreported failures of servers into one {@link AssertionError} with every transcript.
 */
final class Verification {

    private static final String NEWLINE = System.lineSeparator();

    private Verification() {
    }

    /**
     * Throws if any of the servers that are to be verified has failures not reported yet.
     *
     * @throws AssertionError listing every such failure with its transcript
     */
    static void verify(List<ManagedServer> servers) {
        List<String> sections = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        for (ManagedServer server : servers) {
            if (!server.spec().verify()) {
                continue;
            }
            List<ScriptFailure> failures = server.takeUnreportedFailures();
            if (!failures.isEmpty()) {
                sections.add(describe(server, failures));
                failures.stream().map(ScriptFailure::cause).filter(cause -> cause != null).forEach(causes::add);
            }
        }
        if (sections.isEmpty()) {
            return;
        }
        AssertionError error = new AssertionError(String.join(NEWLINE + NEWLINE, sections));
        causes.forEach(error::addSuppressed);
        throw error;
    }

    private static String describe(ManagedServer server, List<ScriptFailure> failures) {
        StringBuilder text = new StringBuilder();
        text.append("Fake TCP server ").append(server.describe()).append(" recorded ").append(failures.size())
                .append(failures.size() == 1 ? " failure:" : " failures:");
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
