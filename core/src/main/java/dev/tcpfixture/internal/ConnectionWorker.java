package dev.tcpfixture.internal;

import dev.tcpfixture.ConnectionClosedException;
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
                Reason ending = step.isHandler() && session.lastEnding() != null && endedBy(cause)
                        ? session.lastEnding() : null;
                if (ending != null) {
                    connectionEnded(index, ending); // the handler gave up because the connection ended
                } else {
                    failed(step.description(), "expected step \"" + step.description() + "\" to succeed, but it "
                            + "failed with " + Messages.abbreviate(String.valueOf(cause)), cause);
                }
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
            failed("", "expected to read until the client closes the connection, but reading failed with "
                    + Messages.abbreviate(String.valueOf(e)), e);
        }
    }

    /** Whether {@code thrown} is, or was caused by, the exchange telling the handler the connection is closed. */
    private static boolean endedBy(Throwable thrown) {
        Throwable current = thrown;
        for (int depth = 0; current != null && depth < 32; depth++) { // bounded: a cause chain may be a cycle
            if (current instanceof ConnectionClosedException) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    private void failed(String step, String message, Throwable cause) {
        session.recorder().fail(step, message, cause);
        session.close("server closed the connection after the failure");
    }

    /**
     * The connection ended while step {@code index} ran. That is a failure if the step, or any later one,
     * waits for input from the client: the client did not do all the script expects. A handler is not such a
     * step (its reads end with the client's close or reset: whether that is wrong is the handler's to say), but
     * a handler still running when the server shuts down did not finish, as an expectation would not. Anything
     * else is noted.
     */
    private void connectionEnded(int index, Reason reason) {
        ConnectionRecorder recorder = session.recorder();
        Step current = steps.get(index);
        if (reason != Reason.SCRIPT_CLOSED) {
            Step waiting = current.isHandler() && reason == Reason.SERVER_SHUTDOWN ? current : null;
            for (int i = index; waiting == null && i < steps.size(); i++) {
                if (steps.get(i).expectsInput()) {
                    waiting = steps.get(i);
                }
            }
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
