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
 * <p>For other options register the extension with
 * {@link org.junit.jupiter.api.extension.RegisterExtension @RegisterExtension} and
 * {@link TcpServerExtension#builder()} instead; use one way or the other in a class, not both.
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
