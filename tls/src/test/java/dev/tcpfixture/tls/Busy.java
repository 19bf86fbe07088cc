package dev.tcpfixture.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Threads that keep every core busy while a stress test runs; they stop on close, or after a safety limit. */
final class Busy implements AutoCloseable {
    private static final long SAFETY_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(3);
    static volatile long sink;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private Busy(int count) {
        long end = System.nanoTime() + SAFETY_LIMIT_NANOS;
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> {
                long x = 0;
                while (!stop.get() && System.nanoTime() - end < 0) {
                    x += x * 31 + 7;
                }
                sink = x;
            }, "busy-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** Starts one busy thread per available processor. */
    static Busy everyCore() {
        return new Busy(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
