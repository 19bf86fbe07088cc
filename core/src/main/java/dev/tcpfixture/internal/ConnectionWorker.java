package dev.tcpfixture.internal;

import dev.tcpfixture.internal.ConnectionEndedException.Reason;
import java.io.IOException;
import java.util.List;

/**
 * Runs a script's steps on one connection, then keeps recording until the connection ends. Decides what is
 * a failure: an unmet expectation, an expectation cut short by the end of the connection, or an unexpected
 * exception. A client that goes away while the server only sends is not a failure; it is noted.
 */
final class ConnectionWorker implements Runnable {

    private final Session session;
    private final List<Step> steps;

    ConnectionWorker(Session session, List<Step> steps) {
        this.session = session;
        this.steps = steps;
    }

    Session session() {
        return session;
    }

    @Override
    public void run() {
        try {
            runSteps();
        } finally {
            session.done();
        }
    }

    private void runSteps() {
        ConnectionRecorder recorder = session.recorder();
        for (Step step : steps) {
            try {
                step.run(session);
            } catch (ExpectationFailure failure) {
                recorder.fail(step.description(), failure.getMessage(), null);
                closeQuietly("server closed the connection after the failure");
                return;
            } catch (ConnectionEndedException ended) {
                if (step.expectsInput() && ended.reason() != Reason.SCRIPT_CLOSED) {
                    recorder.fail(step.description(), "expected " + step.expectation() + ", but "
                            + ended.reason().description() + " first", null);
                } else if (ended.reason() != Reason.SCRIPT_CLOSED) {
                    recorder.note("script stopped at \"" + step.description() + "\": "
                            + ended.reason().description());
                }
                closeQuietly("server closed the connection");
                return;
            } catch (IOException | RuntimeException | Error e) {
                Throwable cause = e instanceof Steps.HandlerException ? e.getCause() : e;
                recorder.fail(step.description(), "step \"" + step.description() + "\" failed with " + cause, cause);
                closeQuietly("server closed the connection after the failure");
                return;
            }
            if (session.isClosed()) {
                return;
            }
        }
        try {
            session.drain();
        } catch (ConnectionEndedException ended) {
            closeQuietly("server closed the connection");
        } catch (IOException e) {
            recorder.fail("", "reading from the client failed with " + e, e);
            closeQuietly("server closed the connection after the failure");
        }
    }

    private void closeQuietly(String detail) {
        try {
            session.close(detail);
        } catch (IOException ignored) {
            // the socket is closed either way
        }
    }
}
