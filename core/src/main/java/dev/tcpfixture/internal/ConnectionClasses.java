package dev.tcpfixture.internal;

import dev.tcpfixture.TranscriptEvent;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads and initializes, once per JVM, the classes that serving a connection needs. The acceptor does it on
 * its own thread while it waits for its first connection, so that a test JVM's first exchange does not wait
 * for them: about 5 ms of a cold start (docs/PERFORMANCE.md, "Cold start").
 */
final class ConnectionClasses {

    private static final AtomicBoolean LOADED = new AtomicBoolean();

    private ConnectionClasses() {
    }

    /** Loads the classes if no server of this JVM did yet. */
    static void loadOnce() {
        if (!LOADED.compareAndSet(false, true)) {
            return;
        }
        Class<?>[] classes = {ConnectionRecorder.class, TranscriptEvent.class, Session.class, ConnectionState.class,
            ConnectionState.Phase.class, ChannelWaiter.class, RecordedInput.class, PacedOutput.class,
            StepSettings.class, Delivery.Whole.class, ConnectionWorker.class, ConnectionEndedException.class,
            SendTimeoutException.class, Deadlines.class, Messages.class, java.time.Instant.class};
        for (Class<?> type : classes) {
            try {
                Class.forName(type.getName(), true, type.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return; // only a head start: whatever fails here fails again where the class is used
            }
        }
    }
}
