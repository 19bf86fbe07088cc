package dev.tcpfixture.junit;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.SoftAssertionsProvider;
import org.assertj.core.api.StandardSoftAssertionsProvider;

/**
 * AssertJ soft assertions that collect every failure instead of stopping at the first: the standard
 * {@code assertThat} methods of AssertJ's {@code SoftAssertions}, plus those for {@link FakeTcpServer} and
 * {@link RecordedConnection}.
 *
 * <pre>{@code
 * TcpSoftAssertions.assertSoftly(softly -> {
 *     softly.assertThat(connection).receivedLine("HELO client.test");
 *     softly.assertThat(connection).wasClosedByClient();
 *     softly.assertThat(server).hasNoFailures();
 * });
 * }</pre>
 *
 * <p>On the module path, AssertJ's soft assertions need one more export: they subclass
 * {@link FakeTcpServerAssert} and {@link RecordedConnectionAssert} at run time, in this module, and the subclasses
 * refer to a package that {@code org.assertj.core} does not export. Run the tests with
 * {@code --add-exports org.assertj.core/org.assertj.core.api.recursive.assertion=dev.tcpfixture.junit} (Maven
 * Surefire: {@code <argLine>}). On the class path nothing is needed.
 *
 * @since 0.1
 */
public class TcpSoftAssertions extends AbstractSoftAssertions implements StandardSoftAssertionsProvider {

    /**
     * Creates soft assertions; call {@link #assertAll()} at the end, or use {@link #assertSoftly(Consumer)}.
     */
    public TcpSoftAssertions() {
    }

    /**
     * Runs {@code softly} with new soft assertions, then fails with every error collected.
     *
     * @param softly the assertions to run
     * @throws AssertionError if any of them failed
     */
    public static void assertSoftly(Consumer<TcpSoftAssertions> softly) {
        SoftAssertionsProvider.assertSoftly(TcpSoftAssertions.class, softly);
    }

    /**
     * Returns soft assertions about a server.
     *
     * @param actual the server
     * @return the assertions, which collect their failures
     */
    public FakeTcpServerAssert assertThat(FakeTcpServer actual) {
        return proxy(FakeTcpServerAssert.class, FakeTcpServer.class, actual);
    }

    /**
     * Returns soft assertions about a connection.
     *
     * @param actual the connection
     * @return the assertions, which collect their failures
     */
    public RecordedConnectionAssert assertThat(RecordedConnection actual) {
        return proxy(RecordedConnectionAssert.class, RecordedConnection.class, actual);
    }
}
