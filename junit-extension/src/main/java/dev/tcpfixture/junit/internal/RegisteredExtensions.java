package dev.tcpfixture.junit.internal;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Which of several registered extensions serves a context. {@code @TcpServer} and {@code @WithTcpServer} register
 * one with the default options whenever JUnit has none yet, and JUnit reads a class's fields in an order of its
 * own: so a {@code static @RegisterExtension} field with options may come second. The extension in the nearest
 * such field (of the context's class, else of its enclosing classes) serves the context; any other steps aside.
 */
public final class RegisteredExtensions {

    private RegisteredExtensions() {
    }

    /**
     * Returns whether {@code extension} serves {@code context}: it is the value of a {@code static
     * @RegisterExtension} field of the nearest class that has such fields of {@code type}, or no class has one.
     *
     * @param extension the extension asking
     * @param type the extension's class
     * @param context the context
     * @return {@code false} if another extension of {@code type} in such a field serves the context
     */
    public static boolean serves(Object extension, Class<?> type, ExtensionContext context) {
        for (Class<?> testClass : testClasses(context)) {
            List<Object> registered = registeredIn(testClass, type);
            if (!registered.isEmpty()) {
                return registered.stream().anyMatch(value -> value == extension);
            }
        }
        return true;
    }

    /** The test classes of the context and its ancestors, innermost first, each once. */
    private static List<Class<?>> testClasses(ExtensionContext context) {
        Set<Class<?>> seen = new HashSet<>();
        List<Class<?>> classes = new ArrayList<>();
        for (Optional<ExtensionContext> current = Optional.of(context); current.isPresent();
                current = current.get().getParent()) {
            current.get().getTestClass().filter(seen::add).ifPresent(classes::add);
        }
        return classes;
    }

    private static List<Object> registeredIn(Class<?> testClass, Class<?> type) {
        List<Object> values = new ArrayList<>();
        for (Field field : AnnotationSupport.findAnnotatedFields(testClass, RegisterExtension.class,
                field -> ModifierSupport.isStatic(field) && type.isAssignableFrom(field.getType()),
                HierarchyTraversalMode.TOP_DOWN)) {
            ReflectionSupport.tryToReadFieldValue(field, null).toOptional().ifPresent(values::add);
        }
        return values;
    }
}
