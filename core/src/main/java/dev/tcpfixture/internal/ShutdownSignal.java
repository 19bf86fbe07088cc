package dev.tcpfixture.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

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
     * Waits for {@code duration} or until the server shuts down. An interrupt does not cut the wait short; it is
     * kept for the caller.
     *
     * @return {@code true} if the server shut down
     */
    boolean await(Duration duration) {
        Uninterruptibly.await(latch, Deadlines.after(duration));
        return isTriggered();
    }
}
