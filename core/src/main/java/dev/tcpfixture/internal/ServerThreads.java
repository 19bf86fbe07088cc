package dev.tcpfixture.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one server: a cached {@link ThreadPoolExecutor} (a thread per running task, idle threads kept
 * for a second, so that many short connections reuse them) whose threads are named after the server and
 * tracked until they are dead, so that {@link #shutdownAndJoin} can promise that none outlives the server.
 */
final class ServerThreads {

    private static final long KEEP_ALIVE_SECONDS = 1;
    private static final long STACK_SIZE = 256 * 1024;

    private final String serverName;
    private volatile String prefix;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor pool;

    ServerThreads(String serverName) {
        this.serverName = serverName;
        this.prefix = serverName;
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new Factory());
    }

    /** Names the threads started from now on after the server's port too, for thread dumps and tests. */
    void portBound(int port) {
        prefix = serverName + "-port-" + port;
    }

    /**
     * Runs {@code task} on a pooled thread of the server, named {@code prefix-name} while it runs; once the
     * pool is shut down (the server closes), on a thread of its own, so that a connection accepted while the
     * server closes still runs its script.
     */
    void execute(String name, Runnable task) {
        try {
            pool.execute(new Named(prefix + "-" + name, task));
        } catch (RejectedExecutionException shutDown) {
            start(name, task);
        }
    }

    /**
     * Starts a thread of the server of its own, outside the pool, named {@code prefix-name}: for a task that
     * lasts, such as accepting, and whose end its owner waits for by joining it.
     */
    Thread start(String name, Runnable task) {
        Thread thread = new Thread(null, task, prefix + "-" + name, STACK_SIZE);
        thread.setDaemon(true);
        forgetDead();
        threads.add(thread);
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            threads.remove(thread);
            throw e;
        }
        return thread;
    }

    /** Returns how many threads of the server are alive, idle ones included. */
    int liveCount() {
        forgetDead();
        return threads.size();
    }

    private void forgetDead() {
        for (Iterator<Thread> known = threads.iterator(); known.hasNext();) {
            if (known.next().getState() == Thread.State.TERMINATED) {
                known.remove();
            }
        }
    }

    /** Takes no more tasks; idle threads are interrupted and end, running ones end after their task. */
    void shutdown() {
        pool.shutdown();
    }

    /**
     * Takes no more tasks, waits until the running ones end, and joins every thread but the caller's own.
     *
     * @param deadline in {@link Deadlines} terms
     * @return the names of threads still alive at the deadline
     */
    List<String> shutdownAndJoin(long deadline) {
        pool.shutdown();
        Thread self = Thread.currentThread();
        List<String> alive = new ArrayList<>();
        for (Thread thread : List.copyOf(threads)) {
            if (thread != self) {
                Uninterruptibly.join(thread, deadline);
                if (thread.isAlive()) {
                    alive.add(thread.getName());
                }
            }
        }
        return alive;
    }

    /** Creates the pool's threads: daemons with a small stack, tracked until dead. */
    private final class Factory implements ThreadFactory {
        private final AtomicInteger numbers = new AtomicInteger();

        @Override
        public Thread newThread(Runnable body) {
            Thread thread = new Thread(null, body, idleName(numbers.incrementAndGet()), STACK_SIZE);
            thread.setDaemon(true);
            forgetDead();
            threads.add(thread);
            return thread;
        }
    }

    private String idleName(int number) {
        return prefix + "-thread-" + number;
    }

    /** A task that names its thread while it runs. */
    private static final class Named implements Runnable {
        private final String name;
        private final Runnable task;

        Named(String name, Runnable task) {
            this.name = name;
            this.task = task;
        }

        @Override
        public void run() {
            Thread thread = Thread.currentThread();
            String idle = thread.getName();
            thread.setName(name);
            try {
                task.run();
            } finally {
                Thread.interrupted(); // nothing of this task carries over to the next
                thread.setName(idle);
            }
        }
    }
}
