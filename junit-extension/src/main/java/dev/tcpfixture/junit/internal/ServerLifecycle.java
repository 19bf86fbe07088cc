package dev.tcpfixture.junit.internal;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.junit.TcpServer;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
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
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.TestAbortedException;

/**
 * What {@code TcpServerExtension} does: starts servers on demand, injects them, verifies and closes them.
 *
 * <p>All state is in {@link ExtensionContext.Store}s. The servers of a context are in its own store, in a
 * namespace of that context alone (the store's lookup goes on to the parent contexts, which must not answer
 * for it), which closes them when the context ends: a per-test server in the test's context, a per-class server
 * in the nearest class context. A class context also sees the per-class servers of its enclosing classes. The
 * root store notes which class holds each static field.
 *
 * <p>Which test a per-class server's failure fails: without parallel execution, failures recorded between the
 * extension's {@code beforeEach} and {@code afterEach} of a test fail that test, and the others the class after
 * all its tests; with parallel execution on, tests of a class may share the server at the same time, so all of
 * them fail the class. Exact, because {@link dev.tcpfixture.FakeTcpServer#failures()} first waits until the
 * server has dealt with everything the clients sent.
 */
public final class ServerLifecycle {

    private static final Namespace STATIC_FIELDS = Namespace.create(ServerLifecycle.class, "static fields");

    private static final String PARALLEL_CIRCUMSTANCE = " while parallel execution was on, so that no single "
            + "test can be blamed";

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
     * Injects the static fields of the class and, if its instance lives for the class ({@code PER_CLASS}), the
     * instance fields of that instance and of the enclosing instances created with it.
     *
     * @param context the class context
     */
    public void beforeAll(ExtensionContext context) {
        claim(context);
        injectFields(context, context.getRequiredTestClass(), null, ServerScope.CLASS);
        if (lifecycle(context) == Lifecycle.PER_CLASS) {
            // the instances of enclosing PER_METHOD classes were created for this class's instance: per class too
            List<ExtensionContext> classContexts = classContexts(context);
            List<ExtensionContext> owners = new ArrayList<>();
            owners.add(context);
            owners.addAll(perMethodClassContexts(classContexts.subList(1, classContexts.size())));
            context.getTestInstances().ifPresent(instances ->
                    injectInstances(context, owners, instances.getAllInstances(), ServerScope.CLASS));
        }
    }

    /**
     * Injects per-test servers into the instance fields of the instances created for this test: its own instance
     * and those of its enclosing classes, as far as they are {@code PER_METHOD}. An instance shared with other
     * tests got its fields in {@link #beforeAll(ExtensionContext)}. Then, unless tests may run in parallel, sets
     * aside what the per-class servers the test sees recorded before it, for the class.
     *
     * @param context the test's context
     */
    public void beforeEach(ExtensionContext context) {
        claim(context);
        injectInstances(context, perMethodClassContexts(classContexts(context)),
                context.getRequiredTestInstances().getAllInstances(), ServerScope.TEST);
        HostNameFakes.beforeEach(context, name -> serverNamed(context, name));
        if (!parallel(context)) {
            perClassServers(context).forEach(ManagedServer::setAsideNewFailures);
        }
    }

    /**
     * Closes the test's own servers, then verifies them and, unless tests may run in parallel, the per-class
     * servers it sees. An aborted test is not verified: its own servers' failures are dropped, and those the
     * per-class servers recorded during it are set aside for the class.
     *
     * @param context the test's context
     */
    public void afterEach(ExtensionContext context) {
        List<ManagedServer> own = servers(context);
        own.forEach(ManagedServer::close);
        boolean aborted = context.getExecutionException().filter(TestAbortedException.class::isInstance).isPresent();
        List<ManagedServer> shared = parallel(context) ? List.of() : perClassServers(context);
        if (aborted) {
            shared.forEach(ManagedServer::setAsideNewFailures);
            return;
        }
        List<ManagedServer> toVerify = new ArrayList<>(own);
        toVerify.addAll(shared);
        Verification.afterEach(toVerify);
    }

    /**
     * Releases the static fields the class holds, then closes the per-class servers of the class and verifies
     * what they recorded that no test was failed for.
     *
     * @param context the class context
     */
    public void afterAll(ExtensionContext context) {
        releaseStaticFields(context);
        List<ManagedServer> servers = servers(context);
        servers.forEach(ManagedServer::close);
        Verification.afterAll(servers, parallel(context) ? PARALLEL_CIRCUMSTANCE : "");
    }

    /**
     * Fails if another extension serves this context as well: two in static {@code @RegisterExtension} fields of
     * one class, or one in an instance field (which an extension that {@code @TcpServer} registered cannot see
     * before it starts serving). The two would race to start servers with different options.
     */
    private void claim(ExtensionContext context) {
        Object holder = context.getStore(Namespace.create(ServerLifecycle.class, context.getUniqueId(), "extension"))
                .computeIfAbsent(ServerLifecycle.class, key -> this, Object.class);
        if (holder != this) {
            String where = context.getTestMethod().map(method -> "test " + context.getDisplayName() + " of ")
                    .orElse("") + context.getRequiredTestClass().getName();
            throw new ExtensionConfigurationException("Expected one TcpServerExtension for " + where
                    + ", but two serve it: " + holder + " and " + this + ". @TcpServer and @WithTcpServer register "
                    + "one with the default options, which steps aside for one in a static @RegisterExtension "
                    + "field: register at most one per class, in a static field.");
        }
    }

    @Override
    public String toString() {
        return "TcpServerExtension" + options;
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
        String origin = parameterOrigin(parameterContext.getParameter(), parameterContext.getDeclaringExecutable());
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
        for (Field field : annotatedFields(testClass, statics)) {
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
                // JUnit makes it accessible: a test module opens its packages to JUnit, not to this module
                ReflectionSupport.makeAccessible(field).set(instance, InjectedType.valueOf(field.getType(),
                        server.server()));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ExtensionConfigurationException("@TcpServer could not be injected into " + origin
                        + ": " + e, e);
            }
        }
    }

    /**
     * A static field is one variable for every class that inherits it, so it can hold the server of one class
     * at a time. A class that runs concurrently must not inherit one; and no class may take one that another
     * class, which is running, holds. The root store maps each static field to the class context holding it.
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
        ExtensionContext holder = context.getRoot().getStore(STATIC_FIELDS)
                .computeIfAbsent(field, key -> context, ExtensionContext.class);
        if (!classContexts(context).contains(holder)) {
            throw new ExtensionConfigurationException("@TcpServer cannot be injected into " + origin + " for "
                    + testClass.getName() + ": " + holder.getRequiredTestClass().getName() + ", which runs at the "
                    + "same time, holds it. A static field can hold the server of one class at a time: declare it "
                    + "in each test class, or run these classes with @Execution(SAME_THREAD).");
        }
    }

    private static void releaseStaticFields(ExtensionContext context) {
        ExtensionContext.Store claims = context.getRoot().getStore(STATIC_FIELDS);
        for (Field field : annotatedFields(context.getRequiredTestClass(), true)) {
            if (claims.get(field) == context) {
                claims.remove(field);
            }
        }
    }

    private static List<Field> annotatedFields(Class<?> testClass, boolean statics) {
        return AnnotationSupport.findAnnotatedFields(testClass, TcpServer.class,
                field -> Modifier.isStatic(field.getModifiers()) == statics, HierarchyTraversalMode.TOP_DOWN);
    }

    // ---- finding and starting servers ----

    private ManagedServer server(ExtensionContext context, ServerScope scope, ServerSpec spec, String origin,
            Function<String, RuntimeException> error) {
        ExtensionContext home = context;
        if (scope == ServerScope.CLASS) {
            List<ExtensionContext> classContexts = classContexts(context);
            for (ExtensionContext classContext : classContexts) {
                ManagedServer existing = contextServers(classContext).find(spec.name());
                if (existing != null) {
                    return checked(existing, spec, origin, error);
                }
            }
            home = classContexts.isEmpty() ? context : classContexts.get(0);
        }
        ManagedServer server = contextServers(home).findOrStart(spec.name(), () -> new ManagedServer(spec, scope,
                origin, ServerStarter.start(spec, origin, options, context)));
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

    /**
     * The server named {@code name} that the test sees, for {@code @FakeHost}: its own (started now if a parameter
     * of the test method asks for it, as that parameter's server), else a per-class one.
     *
     * @return the server, or {@code null} if the test uses none of that name
     */
    private ManagedServer serverNamed(ExtensionContext context, String name) {
        ManagedServer own = contextServers(context).find(name);
        if (own != null) {
            return own;
        }
        Method method = context.getRequiredTestMethod();
        for (Parameter parameter : method.getParameters()) {
            Optional<TcpServer> annotation = AnnotationSupport.findAnnotation(parameter, TcpServer.class);
            if (annotation.isPresent() && ServerSpec.of(annotation.get()).name().equals(name)) {
                return server(context, ServerScope.TEST, ServerSpec.of(annotation.get()),
                        parameterOrigin(parameter, method),
                        ExtensionConfigurationException::new);
            }
        }
        for (ExtensionContext classContext : classContexts(context)) {
            ManagedServer shared = contextServers(classContext).find(name);
            if (shared != null) {
                return shared;
            }
        }
        return null;
    }

    // ---- contexts and stores ----

    private static Lifecycle lifecycle(ExtensionContext classContext) {
        return classContext.getTestInstanceLifecycle().orElse(Lifecycle.PER_METHOD);
    }

    /** Where an injected object was declared, for messages: the parameter and its method or constructor. */
    static String parameterOrigin(Parameter parameter, Executable executable) {
        return "parameter [" + parameter + "] in " + executable.toGenericString();
    }

    /** Returns the class contexts from {@code context} outwards, nearest first. */
    static List<ExtensionContext> classContexts(ExtensionContext context) {
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

    /** Whether parallel execution is on: then tests that share a per-class server may run at the same time. */
    private static boolean parallel(ExtensionContext context) {
        return context.getConfigurationParameter(Constants.PARALLEL_EXECUTION_ENABLED_PROPERTY_NAME,
                Boolean::parseBoolean).orElse(false);
    }

    /** Whether parallel execution is on and the test or container of this context is {@code CONCURRENT}. */
    private static boolean runsConcurrently(ExtensionContext context) {
        return parallel(context) && context.getExecutionMode() == ExecutionMode.CONCURRENT;
    }

    /** The servers of this context itself, kept in a namespace that no other context's store has. */
    private static ContextServers contextServers(ExtensionContext context) {
        return context.getStore(serversNamespace(context))
                .computeIfAbsent(ContextServers.class, key -> new ContextServers(), ContextServers.class);
    }

    private static Namespace serversNamespace(ExtensionContext context) {
        return Namespace.create(ServerLifecycle.class, context.getUniqueId());
    }

    /**
     * Finds a server already started under {@code name} for the test or its classes, nearest first, without
     * starting one (nor making empty stores on the way).
     *
     * @param context the test's context
     * @param name the server's name
     * @return the server, if one was started
     */
    static Optional<FakeTcpServer> startedServer(ExtensionContext context, String name) {
        for (Optional<ExtensionContext> current = Optional.of(context); current.isPresent();
                current = current.get().getParent()) {
            ContextServers servers = current.get().getStore(serversNamespace(current.get()))
                    .get(ContextServers.class, ContextServers.class);
            ManagedServer server = servers == null ? null : servers.find(name);
            if (server != null) {
                return Optional.of(server.server());
            }
        }
        return Optional.empty();
    }

    private static List<ManagedServer> servers(ExtensionContext context) {
        return contextServers(context).all();
    }

    /** The per-class servers a test sees: those of its class and of the enclosing classes. */
    private static List<ManagedServer> perClassServers(ExtensionContext testContext) {
        List<ManagedServer> servers = new ArrayList<>();
        for (ExtensionContext classContext : classContexts(testContext)) {
            servers.addAll(servers(classContext));
        }
        return servers;
    }
}
