package dev.tcpfixture.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Wakes those waiting for a condition on a server's record whenever the record changes: a connection
 * accepted, bytes received or sent, a close, a failure. Conditions are evaluated outside the monitor, so
 * they may take any lock of the record.
 */
final class ChangeSignal {

    private final AtomicLong version = new AtomicLong();
    private final Object monitor = new Object();

    void signal() {
        version.incrementAndGet();
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long limit = Durations.nanos(timeout);
        while (true) {
            long seen = version.get();
            if (condition.getAsBoolean()) {
                return true;
            }
            synchronized (monitor) {
                while (version.get() == seen) {
                    long remaining = limit - (System.nanoTime() - start);
                    if (remaining <= 0) {
                        return condition.getAsBoolean();
                    }
                    TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                }
            }
        }
    }
}
