package dev.tcpfixture.internal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Wakes those waiting for a condition on a server's state whenever it changes: a connection accepted or
 * quiet again, bytes received or sent, a close, a failure. A version number counts the changes, so that a
 * change between reading the state and waiting is never missed. Conditions are evaluated outside the lock,
 * so they may take any lock of the record.
 */
final class ChangeSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long version; // guarded by lock

    /** Records a change and wakes every waiter. */
    void signal() {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns the current version, to wait for a change after it with {@link #awaitChange}. */
    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the version moves past {@code seen} or the deadline passes.
     *
     * @param seen a version returned by {@link #version()}
     * @param deadline in {@link System#nanoTime()} terms
     * @return {@code false} if the deadline passed without a change
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitChange(long seen, long deadline) throws InterruptedException {
        lock.lock();
        try {
            while (version == seen) {
                if (Deadlines.passed(deadline)) {
                    return false;
                }
                changed.awaitNanos(Deadlines.remaining(deadline));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code condition} holds, checking it again after every change.
     *
     * @return whether it held before the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = Deadlines.after(timeout);
        while (true) {
            long seen = version();
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!awaitChange(seen, deadline)) {
                return condition.getAsBoolean();
            }
        }
    }

}
