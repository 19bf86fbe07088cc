package dev.tcpfixture.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tells a server's connections that it shuts down, and cuts their pauses short. */
final class ShutdownSignal {

    private final CountDownLatch latch = new CountDownLatch(1);

    void trigger() {
        latch.countDown();
    }

    boolean isTriggered() {
        return latch.getCount() == 0;
    }

    /**
     * Waits for {@code duration} or until the server shuts down.
     *
     * @return {@code true} if the server shut down (or the thread was interrupted)
     */
    boolean await(Duration duration) {
        try {
            return latch.await(Durations.nanos(duration), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
