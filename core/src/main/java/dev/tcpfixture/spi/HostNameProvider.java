package dev.tcpfixture.spi;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Fake host names for the JVM, found through {@link java.util.ServiceLoader} by the JUnit extension's
 * {@code @FakeHost} and {@code @UnknownHost}. The module {@code dev.tcpfixture:tcpfixture-names} provides it (Java 21
 * or newer: it answers the JDK's own lookups through {@code java.net.spi.InetAddressResolverProvider}, JEP 418);
 * the core and the extension, which run on Java 17, only call it. Only JDK types cross this interface.
 *
 * <p>An implementation is created once per JVM and may be called from any thread.
 *
 * @since 0.1
 */
public interface HostNameProvider {

    /**
     * Checks that this JVM's lookups reach the provider and are not cached, so that a fake takes effect at once
     * and ends at once.
     *
     * @throws IllegalStateException if they do not, saying why and what to change
     */
    void checkActive();

    /**
     * Fakes one host name until the returned registration is closed: every lookup of {@code name} waits
     * {@code delay}, then gets {@code addresses} in this order, or an {@link java.net.UnknownHostException} if
     * {@code addresses} is empty. An identical fake registered already is shared.
     *
     * @param name the host name
     * @param delay how long each lookup takes, zero for at once
     * @param addresses the loopback addresses it resolves to; empty for a name that does not exist
     * @return the registration; closing it ends the fake (once every sharer closed it)
     * @throws IllegalStateException if the name is faked differently already
     * @throws IllegalArgumentException if the name or an address is not valid
     */
    Registration fake(String name, Duration delay, List<InetAddress> addresses);

    /**
     * Returns how many times the JVM looked up {@code name} since it was faked, or 0 if it is not faked.
     *
     * @param name the host name
     * @return the number of lookups
     */
    int lookupCount(String name);

    /** A fake that lasts until it is closed. */
    interface Registration extends AutoCloseable {

        /** Ends the fake; closing twice does nothing. */
        @Override
        void close();
    }
}
