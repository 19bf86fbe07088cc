package dev.tcpfixture.names;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Threads that keep the CPU busy while a stress test runs, so that the server's threads have to compete for
 * it. They spin (never sleep) until {@link #close()}; as a safety net each also stops on its own after a few
 * minutes, so that a test that never reaches its {@code finally} cannot leave the JVM loaded.
 */
final class BusyLoad implements AutoCloseable {

    private static final long SAFETY_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(3);

    /** Where the spinners leave their result, so that the JIT cannot drop their work. */
    static volatile long sink;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private BusyLoad() {
    }

    /**
     * Starts {@code count} daemon threads that spin until closed.
     *
     * @param count how many threads
     * @return the running load; close it in a {@code finally} (try-with-resources)
     */
    static BusyLoad start(int count) {
        BusyLoad load = new BusyLoad();
        for (int i = 1; i <= count; i++) {
            Thread thread = new Thread(load::spin, "busy-load-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void spin() {
        long deadline = System.nanoTime() + SAFETY_LIMIT_NANOS;
        long x = Thread.currentThread().getId();
        while (running && System.nanoTime() - deadline < 0) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    @Override
    public void close() {
        running = false;
        boolean interrupted = false;
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
