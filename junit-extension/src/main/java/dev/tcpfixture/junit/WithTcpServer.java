package dev.tcpfixture.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registers the {@link TcpServerExtension} with default options on a test class, so that its fields and
 * parameters annotated with {@link TcpServer @TcpServer} get fake TCP servers.
 *
 * <pre>{@code
 * @WithTcpServer
 * class GreetingClientTest {
 *
 *     @Test
 *     void readsTheGreeting(@TcpServer FakeTcpServer server) {
 *         server.enqueue(Script.create().sendLine("220 hello").close());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>{@link TcpServer @TcpServer} registers the extension itself, so this annotation is needed only where the
 * class should say so, or for a meta-annotation. For other options register the extension in a {@code static}
 * {@link org.junit.jupiter.api.extension.RegisterExtension @RegisterExtension} field built with
 * {@link TcpServerExtension#builder()}; the extension with default options then steps aside.
 *
 * @since 0.1
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TcpServerExtension.class)
public @interface WithTcpServer {
}
