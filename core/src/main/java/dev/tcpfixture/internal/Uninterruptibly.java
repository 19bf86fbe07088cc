package dev.tcpfixture.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Bounded waits that an interrupt does not cut short: closing must finish its work, so the interrupt is
 * kept and set again for the caller once the wait is over.
 */
final class Uninterruptibly {

    private Uninterruptibly() {
    }

    /** Waits until {@code thread} ends or the deadline ({@link Deadlines} terms) passes. */
    static void join(Thread thread, long deadline) {
        boolean interrupted = false;
        try {
            while (thread.isAlive()) {
                if (Deadlines.passed(deadline)) {
                    return;
                }
                try {
                    thread.join(Deadlines.remainingMillis(deadline));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until {@code latch} is open or the deadline ({@link Deadlines} terms) passes. */
    static void await(CountDownLatch latch, long deadline) {
        boolean interrupted = false;
        try {
            while (latch.getCount() > 0) {
                if (Deadlines.passed(deadline)) {
                    return;
                }
                try {
                    latch.await(Deadlines.remaining(deadline), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
