package dev.tcpfixture.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The state machine of one connection, with the states that deciding "the server is quiet" needs, and the lock
 * that guards it and the connection's unread input.
 *
 * <pre>
 *   STARTING ──▶ RUNNING ◀──▶ AWAITING_INPUT
 *                  │     ◀──▶ AWAITING_CLIENT_READ
 *                  ▼     ◀──▶ PAUSED
 *                ENDED   ◀──▶ AWAITING_SERVER
 * </pre>
 *
 * <p>Only the connection's worker moves it, except that a quiescence check that finds new input for a worker
 * in {@code AWAITING_INPUT} moves it to {@code RUNNING} on the worker's behalf (and wakes it): the input is
 * then unprocessed until the worker waits again. Every move to a waiting state or to {@code ENDED} is signalled,
 * so that a quiescence check waiting for the server wakes up.
 */
final class ConnectionState {

    /** Where the worker of a connection is. */
    enum Phase {
        /** Accepted; its worker has not started yet. Busy. */
        STARTING("starting"),
        /** A step works. Busy. */
        RUNNING("running a step"),
        /** A step waits for the client's input; what arrived cannot finish it. */
        AWAITING_INPUT("waiting for the client's input"),
        /** A send waits for the client to read. */
        AWAITING_CLIENT_READ("waiting for the client to read"),
        /** A pause of the script. */
        PAUSED("pausing"),
        /** A step that waits for the server itself to be quiet (a call of {@code verify()} from a handler). */
        AWAITING_SERVER("waiting for the server to be quiet"),
        /** The worker is done. */
        ENDED("ended");

        private final String description;

        Phase(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ChangeSignal changes;
    private Phase phase = Phase.STARTING; // guarded by lock

    ConnectionState(ChangeSignal changes) {
        this.changes = changes;
    }

    ReentrantLock lock() {
        return lock;
    }

    /** Returns the phase; the caller holds the lock. */
    Phase phase() {
        return phase;
    }

    /** Moves to {@code next}; the caller holds the lock. Waiting states and the end are signalled. */
    void moveTo(Phase next) {
        Phase previous = phase;
        phase = next;
        if (next != Phase.RUNNING && next != previous) {
            changes.signal();
        }
    }

    /** Moves to {@code next}, taking the lock. */
    void moveToLocked(Phase next) {
        lock.lock();
        try {
            moveTo(next);
        } finally {
            lock.unlock();
        }
    }
}
