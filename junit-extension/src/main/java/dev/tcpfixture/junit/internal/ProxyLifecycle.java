package dev.tcpfixture.junit.internal;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.ScriptFailure;
import dev.tcpfixture.TcpProxy;
import dev.tcpfixture.internal.Messages;
import dev.tcpfixture.junit.Proxy;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.TestAbortedException;

/**
 * What {@code TcpProxyExtension} does: starts a proxy per test and name, injects it, and closes and verifies it
 * after the test. The proxies of a test are in its own store; the upstream a {@code @Proxy(upstream = ...)} names is
 * looked up, at each connection, among the servers {@link ServerLifecycle} keeps for that test and its classes.
 */
public final class ProxyLifecycle {

    private ProxyLifecycle() {
    }

    /** The proxies of one test, by name; the store closes them when the test's context ends. */
    private static final class TestProxies implements AutoCloseable {
        private final Map<String, Entry> proxies = new LinkedHashMap<>();

        synchronized Entry find(String name) {
            return proxies.get(name);
        }

        synchronized Entry put(String name, Entry entry) {
            return proxies.putIfAbsent(name, entry);
        }

        synchronized List<Entry> all() {
            return List.copyOf(proxies.values());
        }

        @Override
        public void close() {
            all().forEach(entry -> entry.proxy().close());
        }
    }

    /** A proxy with the element that asked for it first. */
    private record Entry(TcpProxy proxy, Proxy annotation, String origin) {
    }

    /**
     * Injects proxies into the {@code @Proxy} instance fields of the test's instances.
     *
     * @param context the test's context
     */
    public static void injectFields(ExtensionContext context) {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            List<Field> fields = AnnotationSupport.findAnnotatedFields(instance.getClass(), Proxy.class,
                    field -> true, HierarchyTraversalMode.TOP_DOWN);
            for (Field field : fields) {
                String origin = "field [" + field.getType().getSimpleName() + " " + field.getDeclaringClass().getName()
                        + "." + field.getName() + "]";
                if (Modifier.isStatic(field.getModifiers())) {
                    throw new ExtensionConfigurationException("@Proxy cannot be injected into static " + origin
                            + ": proxies are per test; use an instance field or a parameter");
                }
                if (field.getType() != TcpProxy.class || Modifier.isFinal(field.getModifiers())) {
                    throw new ExtensionConfigurationException("@Proxy cannot be injected into " + origin
                            + ": it must be a non-final field of type TcpProxy");
                }
                Proxy annotation = AnnotationSupport.findAnnotation(field, Proxy.class).orElseThrow();
                TcpProxy proxy = proxy(context, annotation, origin, ExtensionConfigurationException::new);
                try {
                    ReflectionSupport.makeAccessible(field).set(instance, proxy);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new ExtensionConfigurationException("@Proxy could not be injected into " + origin + ": "
                            + e, e);
                }
            }
        }
    }

    /**
     * Resolves a {@code @Proxy} parameter of a test, {@code @BeforeEach} or {@code @AfterEach} method.
     *
     * @param parameterContext the parameter
     * @param context the context it is resolved in
     * @return the proxy
     */
    public static Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        Proxy annotation = parameterContext.findAnnotation(Proxy.class).orElseThrow();
        String origin = ServerLifecycle.parameterOrigin(parameterContext.getParameter(),
                parameterContext.getDeclaringExecutable());
        if (parameterContext.getParameter().getType() != TcpProxy.class) {
            throw new ParameterResolutionException("@Proxy cannot be injected into " + origin + ": its type is "
                    + parameterContext.getParameter().getType().getName() + ", but it must be TcpProxy");
        }
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("@Proxy cannot be injected into " + origin + ": proxies are per "
                    + "test; use a parameter of a test, @BeforeEach or @AfterEach method");
        }
        return proxy(context, annotation, origin, ParameterResolutionException::new);
    }

    private static TcpProxy proxy(ExtensionContext context, Proxy annotation, String origin,
            java.util.function.Function<String, RuntimeException> error) {
        TestProxies proxies = proxies(context);
        Entry existing = proxies.find(annotation.value());
        if (existing == null) {
            TcpProxy proxy = TcpProxy.builder().start();
            if (!annotation.upstream().isEmpty()) {
                proxy.upstream(() -> upstream(context, annotation.upstream(), origin));
            }
            Entry entry = new Entry(proxy, annotation, origin);
            existing = proxies.put(annotation.value(), entry);
            if (existing == null) {
                return proxy;
            }
            proxy.close();
        }
        if (!existing.annotation().upstream().equals(annotation.upstream())
                || existing.annotation().verify() != annotation.verify()) {
            throw error.apply(label(annotation) + " on " + origin + " differs from " + label(existing.annotation())
                    + " on " + existing.origin() + ", which asked for the same proxy first. Give the proxies "
                    + "different names, or the same attributes.");
        }
        return existing.proxy();
    }

    private static InetSocketAddress upstream(ExtensionContext context, String name, String origin) {
        return server(context, name).map(FakeTcpServer::address).orElseThrow(() -> new IllegalStateException(
                "@Proxy(upstream = \"" + name + "\") on " + origin + " names no @TcpServer(\"" + name + "\") of this "
                        + "test or its classes"));
    }

    /** Finds the server {@link ServerLifecycle} keeps under this name for the test or its classes. */
    private static Optional<FakeTcpServer> server(ExtensionContext context, String name) {
        return ServerLifecycle.startedServer(context, name);
    }

    /**
     * Closes the test's proxies, then verifies them (unless the test was aborted): their failures, and an upstream
     * name that names no server, fail the test.
     *
     * @param context the test's context
     */
    public static void closeAndVerify(ExtensionContext context) {
        List<Entry> entries = proxies(context).all();
        List<String> problems = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        entries.forEach(entry -> entry.proxy().close());
        boolean aborted = context.getExecutionException().filter(TestAbortedException.class::isInstance).isPresent();
        if (aborted) {
            return;
        }
        for (Entry entry : entries) {
            String upstream = entry.annotation().upstream();
            if (!upstream.isEmpty() && server(context, upstream).isEmpty()) {
                problems.add("Expected a @TcpServer(\"" + upstream + "\") in this test or its classes for "
                        + label(entry.annotation()) + " on " + entry.origin() + ", but there is none");
                continue;
            }
            if (!entry.annotation().verify()) {
                continue;
            }
            List<ScriptFailure> failures = entry.proxy().failures();
            if (!failures.isEmpty()) {
                problems.add("Expected " + label(entry.annotation()) + " on " + entry.origin() + " (TCP proxy "
                        + entry.proxy().authority() + ") to record no failures, but it recorded "
                        + Messages.count(failures.size(), "failure", "failures") + ":"
                        + Messages.failures(failures, "proxy"));
                failures.stream().limit(Messages.MAX_LISTED).map(ScriptFailure::cause).filter(Objects::nonNull)
                        .forEach(causes::add);
            }
        }
        if (!problems.isEmpty()) {
            AssertionError error = new AssertionError(String.join(Wording.NEWLINE + Wording.NEWLINE, problems));
            causes.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static String label(Proxy annotation) {
        List<String> attributes = new ArrayList<>();
        if (!annotation.value().isEmpty()) {
            attributes.add("\"" + annotation.value() + "\"");
        }
        if (!annotation.upstream().isEmpty()) {
            attributes.add("upstream = \"" + annotation.upstream() + "\"");
        }
        if (!annotation.verify()) {
            attributes.add("verify = false");
        }
        return "@Proxy" + (attributes.isEmpty() ? "" : "(" + String.join(", ", attributes) + ")");
    }

    private static TestProxies proxies(ExtensionContext context) {
        return context.getStore(Namespace.create(ProxyLifecycle.class, context.getUniqueId()))
                .computeIfAbsent(TestProxies.class, key -> new TestProxies(), TestProxies.class);
    }
}
