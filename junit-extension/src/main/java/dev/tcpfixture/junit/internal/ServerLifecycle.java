package dev.tcpfixture.junit.internal;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.junit.TcpServer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.opentest4j.TestAbortedException;

/**
 * What {@code TcpServerExtension} does: starts servers on demand, injects them, verifies and closes them.
 *
 * <p>All state is in the {@link ExtensionContext.Store} of the context a server belongs to: a
 * {@link ServerRegistry} per context, under a key made of the context's unique id so that the store's lookup
 * in parent contexts never finds another context's registry. A per-test server lives in the registry of the
 * test's context; a per-class server in the registry of the nearest class context, and a class context also
 * sees the per-class servers of its enclosing classes.
 */
public final class ServerLifecycle {

    private static final Namespace NAMESPACE = Namespace.create(ServerLifecycle.class);

    private final ExtensionOptions options;

    /**
     * Creates the lifecycle of one extension.
     *
     * @param options the options of the extension
     */
    public ServerLifecycle(ExtensionOptions options) {
        this.options = options;
    }

    /**
     * Returns the options of the extension.
     *
     * @return the options
     */
    public ExtensionOptions options() {
        return options;
    }

    // ---- callbacks ----

    /**
     * Injects the static fields and, for {@code PER_CLASS} classes, the instance fields of the class.
     *
     * @param context the class context
     */
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        injectFields(context, testClass, null, ServerScope.CLASS);
        if (context.getTestInstanceLifecycle().orElse(Lifecycle.PER_METHOD) == Lifecycle.PER_CLASS) {
            context.getTestInstance().ifPresent(instance ->
                    injectFields(context, instance.getClass(), instance, ServerScope.CLASS));
        }
    }

    /**
     * Injects the instance fields of every {@code PER_METHOD} test instance of the test, enclosing ones
     * included, with per-test servers.
     *
     * @param context the test's context
     */
    public void beforeEach(ExtensionContext context) {
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        Set<Object> injected = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ExtensionContext classContext : classContexts(context)) {
            if (classContext.getTestInstanceLifecycle().orElse(Lifecycle.PER_METHOD) != Lifecycle.PER_METHOD) {
                continue;
            }
            Class<?> testClass = classContext.getRequiredTestClass();
            for (Object instance : instances) {
                if (instance.getClass() == testClass && injected.add(instance)) {
                    injectFields(context, testClass, instance, ServerScope.TEST);
                }
            }
        }
    }

    /**
     * Closes the test's own servers, then verifies them and the per-class servers it sees.
     *
     * @param context the test's context
     */
    public void afterEach(ExtensionContext context) {
        List<ManagedServer> ownServers = registry(context).map(ServerRegistry::servers).orElse(List.of());
        ownServers.forEach(server -> server.server().close());
        if (context.getExecutionException().filter(TestAbortedException.class::isInstance).isPresent()) {
            return;
        }
        List<ManagedServer> toVerify = new ArrayList<>(ownServers);
        for (ExtensionContext classContext : classContexts(context)) {
            registry(classContext).ifPresent(registry -> toVerify.addAll(registry.servers()));
        }
        Verification.verify(toVerify);
    }

    /**
     * Closes the per-class servers of the class, then verifies what was not reported yet.
     *
     * @param context the class context
     */
    public void afterAll(ExtensionContext context) {
        List<ManagedServer> servers = registry(context).map(ServerRegistry::servers).orElse(List.of());
        servers.forEach(server -> server.server().close());
        Verification.verify(servers);
    }

    // ---- parameters ----

    /**
     * Resolves a parameter annotated with {@code @TcpServer}.
     *
     * @param parameterContext the parameter
     * @param context the context it is resolved in
     * @return the server, its port or its address
     * @throws ParameterResolutionException if the type is not supported or the server conflicts
     */
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        TcpServer annotation = parameterContext.findAnnotation(TcpServer.class).orElseThrow();
        Class<?> type = parameterContext.getParameter().getType();
        String origin = "parameter [" + parameterContext.getParameter() + "] in "
                + parameterContext.getDeclaringExecutable().toGenericString();
        if (!InjectedType.isSupported(type)) {
            throw new ParameterResolutionException("@TcpServer cannot be injected into " + origin
                    + ": its type is " + type.getName() + ", but it must be " + InjectedType.SUPPORTED);
        }
        ServerScope scope = context.getTestMethod().isPresent() ? ServerScope.TEST : ServerScope.CLASS;
        ManagedServer server = server(context, scope, ServerSpec.of(annotation), origin,
                ParameterResolutionException::new);
        return InjectedType.valueOf(type, server.server());
    }

    // ---- fields ----

    private void injectFields(ExtensionContext context, Class<?> testClass, Object instance, ServerScope scope) {
        boolean statics = instance == null;
        List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, TcpServer.class,
                field -> Modifier.isStatic(field.getModifiers()) == statics, HierarchyTraversalMode.TOP_DOWN);
        for (Field field : fields) {
            String origin = (statics ? "static field [" : "field [") + field.getType().getSimpleName() + " "
                    + field.getDeclaringClass().getName() + "." + field.getName() + "]";
            if (!InjectedType.isSupported(field.getType())) {
                throw new ExtensionConfigurationException("@TcpServer cannot be injected into " + origin
                        + ": its type is " + field.getType().getName() + ", but it must be "
                        + InjectedType.SUPPORTED);
            }
            if (Modifier.isFinal(field.getModifiers())) {
                throw new ExtensionConfigurationException("@TcpServer cannot be injected into " + origin
                        + ": it must not be final");
            }
            TcpServer annotation = AnnotationSupport.findAnnotation(field, TcpServer.class).orElseThrow();
            ManagedServer server = server(context, scope, ServerSpec.of(annotation), origin,
                    ExtensionConfigurationException::new);
            try {
                field.setAccessible(true);
                field.set(instance, InjectedType.valueOf(field.getType(), server.server()));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ExtensionConfigurationException("@TcpServer could not be injected into " + origin
                        + ": " + e, e);
            }
        }
    }

    // ---- finding and starting servers ----

    private ManagedServer server(ExtensionContext context, ServerScope scope, ServerSpec spec, String origin,
            Function<String, RuntimeException> error) {
        ExtensionContext home = context;
        if (scope == ServerScope.CLASS) {
            List<ExtensionContext> classContexts = classContexts(context);
            for (ExtensionContext classContext : classContexts) {
                Optional<ManagedServer> existing = registry(classContext).map(registry -> registry.find(spec.name()));
                if (existing.isPresent()) {
                    return checked(existing.get(), spec, origin, error);
                }
            }
            home = classContexts.isEmpty() ? context : classContexts.get(0);
        }
        ManagedServer server = createRegistry(home).findOrStart(spec.name(), () -> new ManagedServer(spec, scope,
                origin, start(spec, ServerDefaults.resolve(options, context))));
        return checked(server, spec, origin, error);
    }

    private static ManagedServer checked(ManagedServer server, ServerSpec spec, String origin,
            Function<String, RuntimeException> error) {
        List<String> conflicts = spec.conflictsWith(server.spec());
        if (!conflicts.isEmpty()) {
            throw error.apply(spec.label() + " on " + origin + " asks for " + String.join(" and for ", conflicts)
                    + " by " + server.origin() + ". Set the attributes on the element that asks first, or give "
                    + "the servers different names.");
        }
        return server;
    }

    private static FakeTcpServer start(ServerSpec spec, ServerDefaults defaults) {
        return FakeTcpServer.builder()
                .bindAddress(spec.ipv6() ? ExtensionOptions.IPV6_LOOPBACK : defaults.bindAddress())
                .stepTimeout(defaults.stepTimeout())
                .recordingLimit(defaults.recordingLimit())
                .mode(spec.mode())
                .start();
    }

    // ---- contexts and stores ----

    /** The class-level contexts from {@code context} outwards: its own class first, then enclosing classes. */
    private static List<ExtensionContext> classContexts(ExtensionContext context) {
        List<ExtensionContext> result = new ArrayList<>();
        for (Optional<ExtensionContext> current = Optional.of(context); current.isPresent();
                current = current.get().getParent()) {
            ExtensionContext candidate = current.get();
            if (candidate.getTestClass().isPresent() && candidate.getTestMethod().isEmpty()) {
                result.add(candidate);
            }
        }
        return result;
    }

    private static Optional<ServerRegistry> registry(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(new RegistryKey(context.getUniqueId()),
                ServerRegistry.class));
    }

    private static ServerRegistry createRegistry(ExtensionContext context) {
        return context.getStore(NAMESPACE).computeIfAbsent(new RegistryKey(context.getUniqueId()),
                key -> new ServerRegistry(), ServerRegistry.class);
    }

    /** The store key of the registry of the context with this unique id. */
    private record RegistryKey(String uniqueId) {
    }
}
