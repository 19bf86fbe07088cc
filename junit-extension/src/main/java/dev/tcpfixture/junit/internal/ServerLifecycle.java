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
import org.junit.jupiter.api.Constants;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.parallel.ExecutionMode;
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

    private static final String CONCURRENT_CIRCUMSTANCE = "while tests that share it ran at the same time, so "
            + "that no single test can be blamed";

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
     * Notes that the class runs, then injects the static fields of the class and, if its instance lives for the
     * class ({@code PER_CLASS}), the instance fields of that instance and of the enclosing instances created with
     * it.
     *
     * @param context the class context
     */
    public void beforeAll(ExtensionContext context) {
        List<ExtensionContext> classContexts = classContexts(context);
        // a nested class's @BeforeAll and @AfterAll may use its enclosing classes' servers: it runs "below" them
        for (ExtensionContext enclosing : classContexts.subList(1, classContexts.size())) {
            createRegistry(enclosing).started(context.getUniqueId());
        }
        Class<?> testClass = context.getRequiredTestClass();
        injectFields(context, testClass, null, ServerScope.CLASS);
        if (lifecycle(context) == Lifecycle.PER_CLASS) {
            // the instances of enclosing PER_METHOD classes were created for this class's instance: per class too
            List<ExtensionContext> owners = new ArrayList<>();
            owners.add(context);
            owners.addAll(perMethodClassContexts(classContexts.subList(1, classContexts.size())));
            context.getTestInstances().ifPresent(instances ->
                    injectInstances(context, owners, instances.getAllInstances(), ServerScope.CLASS));
        }
    }

    /**
     * Notes that the test runs, then injects per-test servers into the instance fields of the instances created
     * for this test: its own instance and those of its enclosing classes, as far as they are {@code PER_METHOD}.
     * An instance shared with other tests (of a {@code PER_CLASS} class, or enclosing one) got its fields in
     * {@link #beforeAll(ExtensionContext)}.
     *
     * @param context the test's context
     */
    public void beforeEach(ExtensionContext context) {
        List<ExtensionContext> classContexts = classContexts(context);
        for (ExtensionContext classContext : classContexts) {
            createRegistry(classContext).started(context.getUniqueId());
        }
        injectInstances(context, perMethodClassContexts(classContexts),
                context.getRequiredTestInstances().getAllInstances(), ServerScope.TEST);
    }

    /**
     * Closes the test's own servers, then verifies them and the per-class servers it sees, unless the test was
     * aborted. A per-class server's failures that cannot be blamed on this test alone, because another test
     * that sees the server may have run at the same time, or that this test cannot take, because it was
     * aborted, are set aside for {@link #afterAll(ExtensionContext)} of the server's class.
     *
     * @param context the test's context
     */
    public void afterEach(ExtensionContext context) {
        List<ManagedServer> ownServers = registry(context).map(ServerRegistry::servers).orElse(List.of());
        ownServers.forEach(server -> server.server().close());
        boolean aborted = context.getExecutionException().filter(TestAbortedException.class::isInstance).isPresent();
        List<ManagedServer> toVerify = new ArrayList<>();
        if (!aborted) {
            toVerify.addAll(ownServers);
        }
        for (ExtensionContext classContext : classContexts(context)) {
            Optional<ServerRegistry> registry = registry(classContext);
            if (registry.isEmpty()) {
                continue;
            }
            boolean overlapped = registry.get().ended(context.getUniqueId());
            boolean concurrent = overlapped || runsConcurrentlyWithin(context, classContext);
            for (ManagedServer server : registry.get().servers()) {
                if (concurrent) {
                    server.deferUnreportedFailures(CONCURRENT_CIRCUMSTANCE);
                } else if (aborted) {
                    server.deferUnreportedFailures("during the aborted test [" + testName(context) + "]");
                } else {
                    toVerify.add(server);
                }
            }
        }
        Verification.verify(toVerify);
    }

    /**
     * Releases the static fields the class holds and notes that it ended, then closes the per-class servers of
     * the class and verifies the failures set aside for the class and those not reported yet.
     *
     * @param context the class context
     */
    public void afterAll(ExtensionContext context) {
        staticFieldClaims(context).releaseAll(context.getUniqueId());
        List<ExtensionContext> classContexts = classContexts(context);
        for (ExtensionContext enclosing : classContexts.subList(1, classContexts.size())) {
            registry(enclosing).ifPresent(registry -> registry.ended(context.getUniqueId()));
        }
        List<ManagedServer> servers = registry(context).map(ServerRegistry::servers).orElse(List.of());
        servers.forEach(server -> server.server().close());
        Verification.verifyAfterAll(servers);
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

    /** Injects the instance fields of the instances of the classes of {@code owners}. */
    private void injectInstances(ExtensionContext context, List<ExtensionContext> owners, List<Object> instances,
            ServerScope scope) {
        Set<Object> injected = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ExtensionContext owner : owners) {
            Class<?> testClass = owner.getRequiredTestClass();
            for (Object instance : instances) {
                if (instance.getClass() == testClass && injected.add(instance)) {
                    injectFields(context, testClass, instance, scope);
                }
            }
        }
    }

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
            if (statics) {
                claimStaticField(context, testClass, field, origin);
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

    /**
     * A static field is one variable for every class that inherits it, so it can hold the server of one class
     * at a time. A class that runs concurrently must not inherit one; and no class may take one that another
     * class, which is running, holds.
     */
    private static void claimStaticField(ExtensionContext context, Class<?> testClass, Field field,
            String origin) {
        if (field.getDeclaringClass() != testClass && runsConcurrently(context)) {
            throw new ExtensionConfigurationException("@TcpServer cannot be injected into " + origin + " for "
                    + testClass.getName() + ": the field is inherited from " + field.getDeclaringClass().getName()
                    + ", and " + testClass.getSimpleName() + " runs concurrently (ExecutionMode.CONCURRENT) with "
                    + "other classes, which may inherit the same field. Declare the static field in the test class "
                    + "itself, or run the class with @Execution(SAME_THREAD).");
        }
        StaticFieldClaims.Claim holder = staticFieldClaims(context).claim(field, context.getUniqueId(),
                testClass.getName());
        boolean heldByEnclosingClass = classContexts(context).stream()
                .anyMatch(classContext -> classContext.getUniqueId().equals(holder.uniqueId()));
        if (!heldByEnclosingClass) {
            throw new ExtensionConfigurationException("@TcpServer cannot be injected into " + origin + " for "
                    + testClass.getName() + ": " + holder.testClassName() + ", which runs at the same time, holds "
                    + "it. A static field can hold the server of one class at a time: declare it in each test "
                    + "class, or run these classes with @Execution(SAME_THREAD).");
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

    private static Lifecycle lifecycle(ExtensionContext classContext) {
        return classContext.getTestInstanceLifecycle().orElse(Lifecycle.PER_METHOD);
    }

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

    /** The leading class contexts whose instances are created anew for each test of theirs: {@code PER_METHOD}. */
    private static List<ExtensionContext> perMethodClassContexts(List<ExtensionContext> classContexts) {
        List<ExtensionContext> result = new ArrayList<>();
        for (ExtensionContext classContext : classContexts) {
            if (lifecycle(classContext) != Lifecycle.PER_METHOD) {
                break;
            }
            result.add(classContext);
        }
        return result;
    }

    /** Whether parallel execution is on and the test or container of this context is {@code CONCURRENT}. */
    private static boolean runsConcurrently(ExtensionContext context) {
        return context.getConfigurationParameter(Constants.PARALLEL_EXECUTION_ENABLED_PROPERTY_NAME,
                Boolean::parseBoolean).orElse(false) && context.getExecutionMode() == ExecutionMode.CONCURRENT;
    }

    /**
     * Whether the test may run at the same time as other tests of the class of {@code classContext}: whether it,
     * or a container between it and that class, runs {@code CONCURRENT}.
     */
    private static boolean runsConcurrentlyWithin(ExtensionContext testContext, ExtensionContext classContext) {
        for (Optional<ExtensionContext> current = Optional.of(testContext); current.isPresent()
                && !current.get().getUniqueId().equals(classContext.getUniqueId());
                current = current.get().getParent()) {
            if (runsConcurrently(current.get())) {
                return true;
            }
        }
        return false;
    }

    /** The test's display name, with those of the test templates or factories it belongs to. */
    private static String testName(ExtensionContext context) {
        List<String> names = new ArrayList<>();
        for (Optional<ExtensionContext> current = Optional.of(context); current.isPresent()
                && current.get().getTestMethod().isPresent(); current = current.get().getParent()) {
            names.add(0, current.get().getDisplayName());
        }
        return String.join(" > ", names);
    }

    private static Optional<ServerRegistry> registry(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(new RegistryKey(context.getUniqueId()),
                ServerRegistry.class));
    }

    private static ServerRegistry createRegistry(ExtensionContext context) {
        return context.getStore(NAMESPACE).computeIfAbsent(new RegistryKey(context.getUniqueId()),
                key -> new ServerRegistry(), ServerRegistry.class);
    }

    private static StaticFieldClaims staticFieldClaims(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(StaticFieldClaims.class,
                key -> new StaticFieldClaims(), StaticFieldClaims.class);
    }

    /** The store key of the registry of the context with this unique id. */
    private record RegistryKey(String uniqueId) {
    }
}
