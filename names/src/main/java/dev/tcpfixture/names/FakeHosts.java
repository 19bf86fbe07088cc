package dev.tcpfixture.names;

import dev.tcpfixture.names.internal.NameTable;
import dev.tcpfixture.names.internal.ResolverCheck;
import java.util.List;
import java.util.Set;

/**
 * Fakes host names for the whole JVM until the registration is closed, and counts their lookups:
 *
 * <pre>{@code
 * try (FakeHosts.Registration names = FakeHosts.register(
 *         FakeName.resolving("data.pr4e.org", InetAddress.getLoopbackAddress()),
 *         FakeName.unknown("db.internal"))) {
 *     new HttpFetcher("data.pr4e.org", server.port(), 2_000).fetch("http://data.pr4e.org/romeo.txt");
 *     assertThat(names.lookupCount("data.pr4e.org")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Every lookup through {@link java.net.InetAddress} (and so through every client built on it) of a faked name
 * gets the fake's answer and never reaches a real resolver. Names that no one faked, and reverse lookups of every
 * address ({@code getCanonicalHostName()}, {@code getHostName()} of an address without a name), resolve as before,
 * through the JDK's built-in resolver: {@code 127.0.0.1} stays {@code localhost} (from the hosts file) while a name
 * resolves to it. An address from a lookup of a faked name carries that name: its {@code getHostName()} needs no
 * reverse lookup. The JVM must not cache lookups for this: the module's resolver turns the JDK's cache
 * off ({@code networkaddress.cache.ttl} and {@code networkaddress.cache.negative.ttl} 0) when the JDK installs it,
 * and {@link #register} checks that it did (see {@link #checkActive()}).
 *
 * <p>Registrations are safe to make from concurrent tests: an identical fake of a name with a single answer is
 * shared (with its lookup count) until its last registration is closed; a different fake of a name that is faked
 * already, or an identical one with several answers (whose answers go out one per lookup, so they cannot be
 * shared), fails at once with an {@link IllegalStateException}, and nothing of that registration is applied.
 *
 * @since 0.1
 */
public final class FakeHosts {

    private FakeHosts() {
    }

    /**
     * Fakes the given names until the returned registration is closed. All or nothing: if one name conflicts, none
     * is registered.
     *
     * @param fakes the fakes, each of another name
     * @return the registration
     * @throws IllegalStateException if a name is faked differently already, or the JVM's lookups do not reach this
     *         module's resolver uncached ({@link #checkActive()})
     * @throws IllegalArgumentException if two fakes name the same host
     */
    public static Registration register(FakeName... fakes) {
        return register(List.of(fakes));
    }

    /**
     * Fakes the given names until the returned registration is closed; as {@link #register(FakeName...)}.
     *
     * @param fakes the fakes, each of another name
     * @return the registration
     */
    public static Registration register(List<FakeName> fakes) {
        ResolverCheck.checkActive();
        return NameTable.SHARED.register(fakes);
    }

    /**
     * Returns how many times the JVM looked up a name since it was faked, while it is faked; 0 if it is not faked.
     *
     * @param name the host name, in any case
     * @return the number of lookups
     */
    public static int lookupCount(String name) {
        return NameTable.SHARED.lookupCount(name);
    }

    /**
     * Returns the names faked at this moment, in lower case.
     *
     * @return the names
     */
    public static Set<String> fakedNames() {
        return NameTable.SHARED.names();
    }

    /**
     * Checks that this JVM's lookups reach this module's resolver and are not cached. The JDK installs the resolver
     * at its first lookup, from the class path or module path it started with; another resolver found first, the
     * system property {@code jdk.net.hosts.file}, or a lookup cache policy read before the resolver was installed
     * (for example {@code -Dsun.net.inetaddr.ttl=30}) defeats it. The check looks up only {@code localhost} and a
     * faked name of its own, once per JVM when it succeeds.
     *
     * @throws IllegalStateException if lookups do not reach the resolver, or are cached, saying what to change
     */
    public static void checkActive() {
        ResolverCheck.checkActive();
    }

    /**
     * Faked names that last until closed.
     *
     * @since 0.1
     */
    public interface Registration extends AutoCloseable {

        /**
         * Returns the fakes of this registration.
         *
         * @return the fakes, in the order given
         */
        List<FakeName> fakes();

        /**
         * Returns how many times the JVM looked up one of this registration's names since it was faked: still
         * after {@link #close()}, then frozen. A fake with a single answer shared with an identical registration
         * shares its count.
         *
         * @param name one of the registration's names, in any case
         * @return the number of lookups
         * @throws IllegalArgumentException if the registration does not fake the name
         */
        int lookupCount(String name);

        /** Ends the fakes (a shared one once its last registration is closed); closing twice does nothing. */
        @Override
        void close();
    }
}
