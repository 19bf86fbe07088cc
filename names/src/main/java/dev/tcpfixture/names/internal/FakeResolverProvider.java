package dev.tcpfixture.names.internal;

import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.security.Security;

/**
 * The JDK's entry point: {@link java.net.InetAddress} loads this provider through {@link java.util.ServiceLoader}
 * at its first lookup and asks it once for the JVM's resolver. It also turns off the JDK's lookup cache (the
 * security properties {@code networkaddress.cache.ttl} and {@code networkaddress.cache.negative.ttl}, which the
 * JDK reads after this, on its first lookup's return), so that a fake takes effect, and ends, at once, and every
 * lookup is counted. {@link ResolverCheck} verifies both.
 */
public final class FakeResolverProvider extends InetAddressResolverProvider {

    private static volatile boolean installed;

    /** Creates the provider; the JDK calls this. */
    public FakeResolverProvider() {
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        Security.setProperty("networkaddress.cache.ttl", "0");
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
        installed = true;
        return new FakeResolver(configuration.builtinResolver(), NameTable.SHARED);
    }

    @Override
    public String name() {
        return "tcpfixture-names";
    }

    /** Whether the JDK asked this provider for its resolver. */
    static boolean installed() {
        return installed;
    }
}
