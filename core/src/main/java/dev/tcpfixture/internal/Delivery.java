package dev.tcpfixture.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

/**
 * How a send reaches the client: whole, dripped in timed chunks, or split into fragments.
 */
sealed interface Delivery {

    /** Every send in one write. */
    Delivery WHOLE = new Whole();

    void deliver(Session session, byte[] data, int length) throws IOException;

    String describe();

    /** One write per send. */
    record Whole() implements Delivery {
        @Override
        public void deliver(Session session, byte[] data, int length) throws IOException {
            session.write(data, 0, length);
        }

        @Override
        public String describe() {
            return "whole writes";
        }
    }

    /** {@code chunkSize} bytes, then a pause of {@code interval}, until all is sent. */
    record Drip(int chunkSize, Duration interval) implements Delivery {
        @Override
        public void deliver(Session session, byte[] data, int length) throws IOException {
            for (int offset = 0; offset < length; offset += chunkSize) {
                if (offset > 0) {
                    session.delay(interval);
                }
                session.write(data, offset, Math.min(chunkSize, length - offset));
            }
        }

        @Override
        public String describe() {
            return Messages.count(chunkSize, "byte", "bytes") + " every " + Messages.duration(interval);
        }
    }

    /** Writes of the given sizes in order; what is left after them goes in one last write. */
    record Fragments(int[] sizes) implements Delivery {
        public Fragments {
            sizes = sizes.clone();
        }

        @Override
        public void deliver(Session session, byte[] data, int length) throws IOException {
            int offset = 0;
            for (int i = 0; offset < length; i++) {
                int size = i < sizes.length ? sizes[i] : length - offset;
                int chunk = Math.min(size, length - offset);
                session.write(data, offset, chunk);
                offset += chunk;
            }
        }

        @Override
        public String describe() {
            return "fragments of " + Arrays.toString(sizes) + " bytes";
        }
    }
}
