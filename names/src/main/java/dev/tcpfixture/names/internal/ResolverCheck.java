package dev.tcpfixture.names.internal;

import dev.tcpfixture.names.FakeHosts;
import dev.tcpfixture.names.FakeName;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Checks, once per JVM, that lookups reach the {@link FakeResolver} and are not cached: first a lookup of
 * {@code localhost} (which makes the JDK install its resolver, and is answered locally whatever resolver that is),
 * then three lookups of a name faked for the check alone, which never leaves the JVM once the resolver is known to
 * be ours.
 */
public final class ResolverCheck {

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile boolean verified;

    private ResolverCheck() {
    }

    /**
     * Checks that fakes work in this JVM.
     *
     * @throws IllegalStateException if they do not, saying why
     */
    public static void checkActive() {
        if (verified) {
            return;
        }
        LOCK.lock();
        try {
            if (!verified) {
                check();
                verified = true;
            }
        } finally {
            LOCK.unlock();
        }
    }

    private static void check() {
        try {
            InetAddress.getAllByName("localhost");
        } catch (UnknownHostException e) {
            // the resolver was installed all the same; what it is is checked next
        }
        if (!FakeResolverProvider.installed()) {
            throw new IllegalStateException("Expected the JVM to resolve host names through tcpfixture-names, but "
                    + "it uses another resolver: " + (System.getProperty("jdk.net.hosts.file") != null
                            ? "the system property jdk.net.hosts.file is set (" + System.getProperty("jdk.net.hosts.file")
                                    + "); remove it"
                            : "another java.net.spi.InetAddressResolverProvider was found first, or this jar was not on "
                                    + "the class path or module path when the JVM made its first lookup (the JDK "
                                    + "looks for a resolver once, from the system class loader)"));
        }
        String name = "check-" + UUID.randomUUID() + ".tcpfixture-names.invalid";
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (FakeHosts.Registration probe = NameTable.SHARED.register(java.util.List.of(
                FakeName.resolving(name, loopback).thenUnknown()))) {
            boolean first = resolves(name);
            boolean second = resolves(name);
            boolean third = resolves(name);
            int lookups = probe.lookupCount(name);
            if (!first || second || third || lookups != 3) {
                throw new IllegalStateException("Expected the JVM not to cache host name lookups, so that a fake takes "
                        + "effect and ends at once, but " + lookups + " of 3 lookups reached the resolver (answers: "
                        + first + ", " + second + ", " + third + "). The JDK's cache policy was read before "
                        + "tcpfixture-names could turn it off: set -Dsun.net.inetaddr.ttl=0 "
                        + "-Dsun.net.inetaddr.negative.ttl=0, or the security properties networkaddress.cache.ttl=0 "
                        + "and networkaddress.cache.negative.ttl=0");
            }
        }
    }

    private static boolean resolves(String name) {
        try {
            InetAddress.getAllByName(name);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
