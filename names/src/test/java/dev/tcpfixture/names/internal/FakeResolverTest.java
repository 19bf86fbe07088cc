package dev.tcpfixture.names.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tcpfixture.names.FakeHosts;
import dev.tcpfixture.names.FakeName;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The resolver against a stub of the JDK's built-in resolver, which records what reaches it: a faked name, in
 * whatever form the JDK passes it, never does.
 */
class FakeResolverTest {

    static final LookupPolicy BOTH = LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6);
    static final InetAddress V4 = literal(new byte[] {127, 0, 0, 1});

    static InetAddress literal(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stub: every name unknown, every address "builtin.localhost"; records each call. */
    static final class Builtin implements InetAddressResolver {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            asked.add(host);
            throw new UnknownHostException("stub: " + host);
        }

        @Override
        public String lookupByAddress(byte[] addr) {
            asked.add("reverse " + literal(addr).getHostAddress());
            return "builtin.localhost";
        }
    }

    final Builtin builtin = new Builtin();
    final NameTable table = new NameTable();
    final FakeResolver resolver = new FakeResolver(builtin, table);

    @Test
    void aFakedNameWithATrailingDotOrInAnyCaseNeverReachesTheBuiltinResolver() throws Exception {
        try (FakeHosts.Registration names = table.register(List.of(FakeName.resolving("data.pr4e.org", V4),
                FakeName.unknown("db.internal")))) {
            for (String host : List.of("data.pr4e.org", "DATA.PR4E.ORG", "data.pr4e.org.", "DATA.PR4E.ORG.")) {
                assertThat(resolver.lookupByName(host, BOTH).map(InetAddress::getHostAddress))
                        .as(host).containsExactly("127.0.0.1");
            }
            for (String host : List.of("db.internal", "db.internal.", "DB.Internal.")) {
                assertThatThrownBy(() -> resolver.lookupByName(host, BOTH)).as(host)
                        .isInstanceOf(UnknownHostException.class)
                        .hasMessage(host + ": Name or service not known (faked by tcpfixture-names)");
            }
            assertThat(builtin.asked).isEmpty();
            assertThat(names.lookupCount("data.pr4e.org.")).isEqualTo(4);
            assertThat(names.lookupCount("DB.INTERNAL")).isEqualTo(3);
        }
        // ended: the same names go to the built-in resolver again, as the JDK passed them
        assertThatThrownBy(() -> resolver.lookupByName("data.pr4e.org.", BOTH))
                .isInstanceOf(UnknownHostException.class).hasMessage("stub: data.pr4e.org.");
        assertThat(builtin.asked).containsExactly("data.pr4e.org.");
    }

    @Test
    void aNameFakedWithATrailingDotIsTheNameWithout() throws Exception {
        try (FakeHosts.Registration names = table.register(List.of(FakeName.resolving("API.test.", V4)))) {
            assertThat(names.fakes().get(0).name()).isEqualTo("api.test");
            assertThat(table.names()).containsExactly("api.test");
            assertThat(resolver.lookupByName("api.test", BOTH).count()).isEqualTo(1);
            assertThat(builtin.asked).isEmpty();

            // conflicting fakes of api.test and api.test. are one name faked differently
            assertThatThrownBy(() -> table.register(List.of(FakeName.unknown("api.test"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Expected to fake host name api.test as no such host, but it is faked "
                            + "already as [127.0.0.1] by another registration");
            assertThat(table.names()).containsExactly("api.test");
        }
        try (FakeHosts.Registration names = table.register(List.of(FakeName.unknown("api.test")))) {
            assertThatThrownBy(() -> table.register(List.of(FakeName.resolving("api.test.", V4))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Expected to fake host name api.test as [127.0.0.1], but it is faked "
                            + "already as no such host by another registration");
        }
        assertThatThrownBy(() -> table.register(List.of(FakeName.unknown("a.test"), FakeName.unknown("a.test."))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a.test is faked twice");
        assertThat(table.names()).isEmpty();
    }

    @Test
    void reverseLookupsGoToTheBuiltinResolverWhileAnAddressIsFaked() throws Exception {
        try (FakeHosts.Registration names = table.register(List.of(FakeName.resolving("data.pr4e.org", V4)))) {
            assertThat(resolver.lookupByAddress(V4.getAddress())).isEqualTo("builtin.localhost");
            assertThat(builtin.asked).containsExactly("reverse 127.0.0.1");
            assertThat(names.lookupCount("data.pr4e.org")).isZero();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard
    void aDelayedLookupWhoseFakeEndsGetsNoSuchHostAtOnceNeverTheBuiltinResolver() throws Exception {
        FakeName slow = FakeName.slow("slow.test", Duration.ofMinutes(10), V4);
        FakeHosts.Registration first = table.register(List.of(slow));
        FakeHosts.Registration second = table.register(List.of(slow)); // shared: the fake ends with the last
        ExecutorService lookups = Executors.newSingleThreadExecutor();
        try {
            Future<List<InetAddress>> result = lookups.submit(() -> resolver.lookupByName("slow.test", BOTH).toList());
            await().atMost(Duration.ofSeconds(30)).until(() -> first.lookupCount("slow.test") == 1); // delayed now
            first.close();
            assertThat(table.names()).containsExactly("slow.test");
            second.close();

            // 30 s is a hang guard: the delay is 10 minutes
            assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UnknownHostException.class)
                    .hasMessage("slow.test: the fake ended while the lookup was delayed (faked by tcpfixture-names: "
                            + "after 600000 ms: [127.0.0.1])");
            assertThat(builtin.asked).isEmpty();
        } finally {
            first.close();
            second.close();
            lookups.shutdownNow();
            assertThat(lookups.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void namesThatAreNotHostNamesAreRejected() {
        for (String bad : List.of(".", "a.test..", ".a.test", "localhost.", "LocalHost.", "127.0.0.1.")) {
            assertThatThrownBy(() -> FakeName.unknown(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
