package dev.tcpfixture.names.internal;

import dev.tcpfixture.names.FakeHosts;
import dev.tcpfixture.names.FakeName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The names faked at this moment, for the whole JVM. Lookups read it without locking; registering and closing
 * take one lock, so that a registration of several names is applied whole or not at all.
 */
public final class NameTable {

    /** The JVM's table, which the resolver answers from. */
    public static final NameTable SHARED = new NameTable();

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    private static final String SHARING = "Identical fakes of a name with a single answer are shared; different "
            + "ones, and fakes whose answer changes from lookup to lookup, cannot be active at once";

    /** One faked name: its fake, how many registrations hold it, how many lookups it answered. */
    static final class Entry {
        final FakeName fake;
        final AtomicInteger lookups = new AtomicInteger();
        /** Released when the fake ends (its last registration is closed): wakes its delayed lookups. */
        final CountDownLatch ended = new CountDownLatch(1);
        int holders; // guarded by the table's lock

        Entry(FakeName fake) {
            this.fake = fake;
        }

        /** Counts a lookup and returns its answer. */
        FakeName.Answer nextAnswer() {
            return fake.answer(lookups.getAndIncrement());
        }

        /**
         * Waits the answer's delay, or until the fake ends, whichever comes first.
         *
         * @return whether the fake ended first (or had ended already)
         */
        boolean delayEndedEarly(FakeName.Answer answer) throws InterruptedException {
            return ended.await(answer.delay().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Registers the fakes, all or none.
     *
     * @param fakes the fakes, each of another name
     * @return the registration
     * @throws IllegalStateException if a name is faked already, differently, or identically with more than one
     *         answer
     */
    public FakeHosts.Registration register(List<FakeName> fakes) {
        List<FakeName> copy = List.copyOf(fakes);
        Set<String> seen = new HashSet<>();
        for (FakeName fake : copy) {
            if (!seen.add(fake.name())) {
                throw new IllegalArgumentException("Expected each name once in a registration, but " + fake.name()
                        + " is faked twice: " + copy);
            }
        }
        List<Entry> held = new ArrayList<>();
        lock.lock();
        try {
            for (FakeName fake : copy) {
                Entry existing = entries.get(fake.name());
                if (existing != null && !(existing.fake.equals(fake) && shareable(fake))) {
                    throw new IllegalStateException("Expected to fake host name " + fake.name() + " as "
                            + answers(fake) + ", but it is faked already as " + answers(existing.fake)
                            + " by another registration (a test running at the same time?). " + SHARING
                            + ": give the tests different names, or keep them apart, for example with "
                            + "@ResourceLock(\"" + fake.name() + "\").");
                }
            }
            for (FakeName fake : copy) {
                Entry entry = entries.computeIfAbsent(fake.name(), name -> new Entry(fake));
                entry.holders++;
                held.add(entry);
            }
        } finally {
            lock.unlock();
        }
        return new Registration(this, copy, held);
    }

    /**
     * Whether registrations at the same time may share the fake: only with a single answer, which every lookup gets
     * whoever else looks the name up. A changing fake's answers go out one per lookup, so a sharer would take
     * another test's answers (and add to its lookup count).
     */
    private static boolean shareable(FakeName fake) {
        return fake.answers().size() == 1;
    }

    private void release(List<Entry> held) {
        lock.lock();
        try {
            for (Entry entry : held) {
                if (--entry.holders == 0) {
                    entries.remove(entry.fake.name(), entry);
                    entry.ended.countDown();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the entry of a faked name, or {@code null}; the name as the JDK passes it, in any case.
     *
     * @param host the name looked up
     * @return the entry, or {@code null} if the name is not faked
     */
    Entry find(String host) {
        Entry entry = entries.get(host);
        return entry != null ? entry : entries.get(key(host));
    }

    /**
     * Returns a host name as the table keys it: in lower case, without one trailing dot ({@code Data.PR4E.org.}, the
     * fully qualified form, which the JDK passes to its resolver as written, is {@code data.pr4e.org}).
     *
     * @param host the name
     * @return the key
     */
    public static String key(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * Returns the lookups of a faked name, or 0.
     *
     * @param name the name, in any case
     * @return the count
     */
    public int lookupCount(String name) {
        Entry entry = find(name);
        return entry == null ? 0 : entry.lookups.get();
    }

    /**
     * Returns the names faked at this moment.
     *
     * @return the names
     */
    public Set<String> names() {
        return Set.copyOf(entries.keySet());
    }

    private static String answers(FakeName fake) {
        String text = fake.toString();
        return text.substring(text.indexOf(" -> ") + 4);
    }

    /** A registration: releases its entries once. */
    private static final class Registration implements FakeHosts.Registration {
        private final NameTable table;
        private final List<FakeName> fakes;
        private final List<Entry> held;
        private final AtomicBoolean closed = new AtomicBoolean();

        Registration(NameTable table, List<FakeName> fakes, List<Entry> held) {
            this.table = table;
            this.fakes = fakes;
            this.held = held;
        }

        @Override
        public List<FakeName> fakes() {
            return fakes;
        }

        @Override
        public int lookupCount(String name) {
            String key = key(name);
            for (Entry entry : held) {
                if (entry.fake.name().equals(key)) {
                    return entry.lookups.get();
                }
            }
            throw new IllegalArgumentException("Expected one of the names of this registration, "
                    + fakes.stream().map(FakeName::name).toList() + ", but got " + name);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                table.release(held);
            }
        }

        @Override
        public String toString() {
            return "FakeHosts.Registration" + fakes + (closed.get() ? " (closed)" : "");
        }
    }
}
