package dev.tcpfixture.junit.internal;

import dev.tcpfixture.junit.FakeHost;
import dev.tcpfixture.junit.UnknownHost;
import dev.tcpfixture.spi.HostNameProvider;
import java.lang.reflect.AnnotatedElement;
import java.net.InetAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * {@code @FakeHost} and {@code @UnknownHost}: the names a test fakes, registered with the
 * {@link HostNameProvider} of the module {@code tcpfixture-names} before the test and ended with the test's
 * context. The provider needs Java 21; the extension itself runs on 17 and checks the version first.
 */
final class HostNameFakes implements AutoCloseable {

    /** The Java version tcpfixture-names is built for. */
    static final int REQUIRED_JAVA = 21;

    private static final Namespace NAMESPACE = Namespace.create(HostNameFakes.class);

    private final List<HostNameProvider.Registration> registrations;

    private HostNameFakes(List<HostNameProvider.Registration> registrations) {
        this.registrations = registrations;
    }

    /** One name to fake, and the annotation that asked for it, for messages. */
    private record Wanted(String name, Duration delay, String server, String origin) {
    }

    /**
     * Registers the names the test and its classes fake, if any, until the test's context ends.
     *
     * @param context the test's context
     * @param servers finds (or starts) the test's server of a name; {@code null} if the test has none of that name
     */
    static void beforeEach(ExtensionContext context, Function<String, ManagedServer> servers) {
        Map<String, Wanted> wanted = wanted(context);
        if (wanted.isEmpty()) {
            return;
        }
        HostNameProvider provider = provider(context);
        List<HostNameProvider.Registration> registered = new ArrayList<>();
        // closed with the test's context: after the test, whatever happened
        context.getStore(Namespace.create(HostNameFakes.class, context.getUniqueId()))
                .put(HostNameFakes.class, new HostNameFakes(registered));
        for (Wanted one : wanted.values()) {
            List<InetAddress> addresses = one.server() == null ? List.of() : List.of(address(one, servers));
            try {
                registered.add(provider.fake(one.name(), one.delay(), addresses));
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new ExtensionConfigurationException(one.origin() + " could not fake the name for test "
                        + context.getDisplayName() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Ends the registrations, each once. */
    @Override
    public void close() {
        registrations.forEach(HostNameProvider.Registration::close);
    }

    /** The names from the outermost class in, then the method: a later annotation of a name replaces an earlier. */
    private static Map<String, Wanted> wanted(ExtensionContext context) {
        List<AnnotatedElement> elements = new ArrayList<>();
        for (ExtensionContext classContext : ServerLifecycle.classContexts(context)) {
            elements.add(classContext.getRequiredTestClass());
        }
        Collections.reverse(elements);
        context.getTestMethod().ifPresent(elements::add);
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        for (AnnotatedElement element : elements) {
            for (FakeHost fake : AnnotationSupport.findRepeatableAnnotations(element, FakeHost.class)) {
                String origin = "@FakeHost(name = \"" + fake.name() + "\", server = \"" + fake.server() + "\""
                        + (fake.delay().isEmpty() ? "" : ", delay = \"" + fake.delay() + "\"") + ") on "
                        + describe(element);
                wanted.put(fake.name().toLowerCase(Locale.ROOT),
                        new Wanted(fake.name(), delay(fake.delay(), origin), fake.server(), origin));
            }
            Optional<UnknownHost> unknown = AnnotationSupport.findAnnotation(element, UnknownHost.class);
            if (unknown.isPresent()) {
                for (String name : unknown.get().value()) {
                    String origin = "@UnknownHost(\"" + name + "\") on " + describe(element);
                    wanted.put(name.toLowerCase(Locale.ROOT),
                            new Wanted(name, delay(unknown.get().delay(), origin), null, origin));
                }
            }
        }
        return wanted;
    }

    private static String describe(AnnotatedElement element) {
        return element instanceof Class<?> type ? "class " + type.getName() : "method [" + element + "]";
    }

    private static Duration delay(String text, String origin) {
        if (text.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new ExtensionConfigurationException("Invalid " + origin + ": delay must be an ISO-8601 duration "
                    + "such as PT2S, was '" + text + "'", e);
        }
    }

    /** The server's address: always a loopback address, since the server turns a wildcard bind into one. */
    private static InetAddress address(Wanted one, Function<String, ManagedServer> servers) {
        ManagedServer server = servers.apply(one.server());
        if (server == null) {
            String label = one.server().isEmpty() ? "@TcpServer" : "@TcpServer(\"" + one.server() + "\")";
            throw new ExtensionConfigurationException(one.origin() + " names a server the test does not use: no "
                    + label + " on a field of the test class or a parameter of the test method");
        }
        return server.server().address().getAddress();
    }

    /**
     * The provider, found once per run and kept in the root store; first checks the Java version, since the
     * module's classes do not load on an older one.
     */
    private static HostNameProvider provider(ExtensionContext context) {
        int feature = Runtime.version().feature();
        if (feature < REQUIRED_JAVA) {
            throw new ExtensionConfigurationException("@FakeHost and @UnknownHost need Java " + REQUIRED_JAVA
                    + " or newer (the JDK's host name resolver SPI, JEP 418, came with Java 18; "
                    + "dev.tcpfixture:tcpfixture-names is built for Java " + REQUIRED_JAVA + "), but this JVM runs "
                    + "Java " + Runtime.version() + ". Run the tests that fake host names on Java " + REQUIRED_JAVA
                    + " or newer.");
        }
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        HostNameProvider provider = root.get(HostNameProvider.class, HostNameProvider.class);
        if (provider == null) {
            provider = load();
            try {
                provider.checkActive();
            } catch (IllegalStateException e) {
                throw new ExtensionConfigurationException("@FakeHost and @UnknownHost cannot fake host names in this "
                        + "JVM: " + e.getMessage(), e);
            }
            root.put(HostNameProvider.class, provider);
        }
        return provider;
    }

    private static HostNameProvider load() {
        ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
        Optional<HostNameProvider> found = contextLoader == null ? Optional.empty()
                : ServiceLoader.load(HostNameProvider.class, contextLoader).findFirst();
        if (found.isEmpty()) {
            found = ServiceLoader.load(HostNameProvider.class, HostNameFakes.class.getClassLoader()).findFirst();
        }
        return found.orElseThrow(() -> new ExtensionConfigurationException("@FakeHost and @UnknownHost need "
                + "dev.tcpfixture:tcpfixture-names (test scope; version from tcpfixture-bom) on the test class path "
                + "or module path from the start of the JVM: the JDK looks for a host name resolver once, at its "
                + "first lookup"));
    }
}
