package dev.tcpfixture.names;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lookups from several threads while registrations come and go, with two busy threads loading both cores: every
 * lookup of a faked name is answered by its fake and counted exactly once, shared fakes count every sharer's
 * lookups, the answers of a changing name go out one per lookup to its own registration, an identical changing fake
 * registered at the same time by several is granted to exactly one, and nothing is left after each round.
 */
class NamesStressTest {

    static final int ROUNDS = 300;
    static final int WORKERS = 4;
    static final int LOOKUPS = 20;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard; the test takes a few seconds
    void exactCountsWhileRegistrationsChange() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
        AtomicInteger churned = new AtomicInteger();
        try (BusyLoad load = BusyLoad.start(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                String shared = "shared-" + round + ".test";
                String contested = "contested-" + round + ".test";
                FakeName contestedFake = FakeName.resolving(contested, v4).thenResolving(v6).thenUnknown();
                CyclicBarrier registered = new CyclicBarrier(WORKERS);
                CyclicBarrier looked = new CyclicBarrier(WORKERS);
                AtomicBoolean working = new AtomicBoolean(true);
                AtomicInteger won = new AtomicInteger();
                AtomicInteger refused = new AtomicInteger();
                int currentRound = round;

                Future<?> churn = pool.submit(() -> {
                    // unrelated names registered and closed while the workers look up theirs; never looked up
                    for (int i = 0; working.get(); i++) {
                        try (FakeHosts.Registration ignored = FakeHosts.register(
                                FakeName.unknown("churn-" + currentRound + "-" + i + ".test"))) {
                            churned.incrementAndGet();
                        }
                    }
                    return null;
                });
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    String own = "worker-" + w + "-" + round + ".test";
                    String sequence = "sequence-" + w + "-" + round + ".test";
                    workers.add(pool.submit(() -> {
                        try (FakeHosts.Registration names = FakeHosts.register(FakeName.resolving(shared, v4),
                                FakeName.resolving(own, v6),
                                FakeName.resolving(sequence, v4).thenResolving(v6).thenUnknown())) {
                            // every worker tries the same changing fake at once: one gets it, and keeps it until
                            // all have looked up, so the others are refused rather than share its answers
                            FakeHosts.Registration contestedNames = null;
                            try {
                                contestedNames = FakeHosts.register(contestedFake);
                                won.incrementAndGet();
                            } catch (IllegalStateException e) {
                                assertThat(e).hasMessageContaining("fakes whose answer changes from lookup to lookup, "
                                        + "cannot be active at once");
                                refused.incrementAndGet();
                            }
                            try {
                                registered.await(10, TimeUnit.SECONDS);
                                for (int i = 0; i < LOOKUPS; i++) {
                                    assertThat(InetAddress.getByName(shared).getAddress()).isEqualTo(v4.getAddress());
                                    assertThat(InetAddress.getByName(own).getAddress()).isEqualTo(v6.getAddress());
                                }
                                // one lookup per answer, the last answer for the rest, each worker its own sequence
                                assertThat(List.of(answer(sequence), answer(sequence), answer(sequence),
                                        answer(sequence))).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1", "unknown",
                                        "unknown");
                                if (contestedNames != null) {
                                    assertThat(List.of(answer(contested), answer(contested), answer(contested)))
                                            .containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1", "unknown");
                                }
                                looked.await(10, TimeUnit.SECONDS);
                                assertThat(names.lookupCount(shared)).isEqualTo(WORKERS * LOOKUPS);
                                assertThat(names.lookupCount(own)).isEqualTo(LOOKUPS);
                                assertThat(names.lookupCount(sequence)).isEqualTo(4);
                                if (contestedNames != null) {
                                    assertThat(contestedNames.lookupCount(contested)).isEqualTo(3);
                                }
                            } finally {
                                if (contestedNames != null) {
                                    contestedNames.close();
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get(30, TimeUnit.SECONDS);
                }
                working.set(false);
                churn.get(30, TimeUnit.SECONDS);

                assertThat(won.get()).isEqualTo(1);
                assertThat(refused.get()).isEqualTo(WORKERS - 1);
                assertThat(FakeHosts.fakedNames()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        System.out.println("NamesStressTest: " + ROUNDS + " rounds of " + WORKERS + " workers x " + (2 * LOOKUPS + 4)
                + " lookups, " + churned.get() + " registrations churned meanwhile");
    }

    private static String answer(String name) {
        try {
            return InetAddress.getByName(name).getHostAddress();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
