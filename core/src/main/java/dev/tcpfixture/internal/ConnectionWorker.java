package dev.tcpfixture.internal;

import dev.tcpfixture.internal.ConnectionEndedException.Reason;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Runs a script's steps on one connection, then keeps recording until the connection ends. Decides what is
 * a failure: an unmet expectation, an expectation cut short by the end of the connection, or an unexpected
 * exception. A client that goes away while the server only sends is not a failure; it is noted.
 */
final class ConnectionWorker implements Runnable {

    /** The session whose script the current thread runs, so that a call from a step does not wait for itself. */
    private static final ThreadLocal<Session> CURRENT = new ThreadLocal<>();

    private final Session session;
    private final List<Step> steps;
    private final Set<Session> running;

    /**
     * @param running the running sessions of the server, which this one leaves when it is done: it holds buffers
     *     and the socket, and only its record stays
     */
    ConnectionWorker(Session session, List<Step> steps, Set<Session> running) {
        this.session = session;
        this.steps = steps;
        this.running = running;
    }

    /** Returns the session whose step the calling thread runs, or {@code null} if it runs none. */
    static Session current() {
        return CURRENT.get();
    }

    @Override
    public void run() {
        CURRENT.set(session);
        try {
            session.started();
            runSteps();
        } finally {
            CURRENT.remove();
            session.done();
            running.remove(session);
        }
    }

    private void runSteps() {
        for (int index = 0; index < steps.size(); index++) {
            Step step = steps.get(index);
            try {
                step.run(session);
                session.stepEnded();
            } catch (ExpectationFailure | SendTimeoutException | LineTooLongException unmet) {
                failed(step.description(), unmet.getMessage(), null);
                return;
            } catch (ConnectionEndedException ended) {
                connectionEnded(index, ended.reason());
                return;
            } catch (IOException | RuntimeException | Error e) {
                Throwable cause = e instanceof Steps.HandlerException ? e.getCause() : e;
                failed(step.description(), "step \"" + step.description() + "\" failed with " + cause, cause);
                return;
            }
            if (session.isClosed()) {
                return;
            }
        }
        try {
            session.drain();
        } catch (ConnectionEndedException ended) {
            session.close("server closed the connection");
        } catch (IOException | RuntimeException | Error e) {
            failed("", "reading from the client failed with " + e, e);
        }
    }

    private void failed(String step, String message, Throwable cause) {
        session.recorder().fail(step, message, cause);
        session.close("server closed the connection after the failure");
    }

    /**
     * The connection ended while step {@code index} ran. That is a failure if the step, or any later one,
     * waits for input from the client: the client did not do all the script expects. Otherwise it is noted.
     */
    private void connectionEnded(int index, Reason reason) {
        ConnectionRecorder recorder = session.recorder();
        Step current = steps.get(index);
        if (reason != Reason.SCRIPT_CLOSED) {
            Step waiting = steps.subList(index, steps.size()).stream().filter(Step::expectsInput).findFirst()
                    .orElse(null);
            if (waiting == current) {
                recorder.fail(current.description(), "expected " + current.expectation() + ", but "
                        + reason.description() + " first", null);
            } else if (waiting != null) {
                recorder.fail(current.description(), "expected " + waiting.expectation() + " later, but "
                        + reason.description() + " first, during \"" + current.description() + '"', null);
            } else {
                recorder.note("script stopped at \"" + current.description() + "\": " + reason.description());
            }
        }
        session.close("server closed the connection");
    }
}
