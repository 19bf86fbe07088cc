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

    /** Waits until {@code thread} ends or the deadline ({@link System#nanoTime()} terms) passes. */
    static void join(Thread thread, long deadline) {
        boolean interrupted = false;
        try {
            while (thread.isAlive()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
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

    /** Waits until {@code latch} is open or the deadline ({@link System#nanoTime()} terms) passes. */
    static void await(CountDownLatch latch, long deadline) {
        boolean interrupted = false;
        try {
            while (latch.getCount() > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                try {
                    latch.await(remaining, TimeUnit.NANOSECONDS);
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
