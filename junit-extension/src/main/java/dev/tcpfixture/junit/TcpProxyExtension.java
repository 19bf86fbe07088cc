package dev.tcpfixture.junit;

import dev.tcpfixture.junit.internal.ProxyLifecycle;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit Jupiter extension that starts, injects, verifies and closes the proxies asked for with
 * {@link Proxy @Proxy}, which registers it. Stateless: the proxies of a test are kept in its
 * {@link ExtensionContext.Store}, which closes them when the test ends, whatever happened.
 *
 * @since 0.1
 */
public final class TcpProxyExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /**
     * Creates the extension, as {@link Proxy @Proxy} does.
     */
    public TcpProxyExtension() {
        // stateless
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ProxyLifecycle.injectFields(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ProxyLifecycle.closeAndVerify(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.isAnnotated(Proxy.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return ProxyLifecycle.resolveParameter(parameterContext, extensionContext);
    }
}
