package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.junit.TestKit.UserTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The extension runs on Java 17 and does not depend on tcpfixture-names (Java 21): {@code @FakeHost} and
 * {@code @UnknownHost} then fail the test at once, naming the Java version needed (on Java 17, as in this build) or
 * the missing artifact (on 21 or newer). The names module's own tests run them with it, on JDK 25.
 */
class HostNamesWithoutProviderTest {

    @UserTests
    static class FakingAName {

        @Test
        @FakeHost(name = "data.pr4e.org")
        void test(@TcpServer FakeTcpServer server) {
        }
    }

    @UserTests
    @UnknownHost("db.internal")
    static class UnknownOnTheClass {

        @Test
        void test() {
        }
    }

    @UserTests
    static class NotFaking {

        @Test
        void test(@TcpServer FakeTcpServer server) {
        }
    }

    @Test
    void fakeHostFailsNamingWhatIsMissing() {
        assertFailsNamingWhatIsMissing(TestKit.run(FakingAName.class));
    }

    @Test
    void unknownHostOnAClassFailsEachTestNamingWhatIsMissing() {
        assertFailsNamingWhatIsMissing(TestKit.run(UnknownOnTheClass.class));
    }

    @Test
    void testsThatFakeNoNameAreNotAffected() {
        TestKit.run(NotFaking.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    private static void assertFailsNamingWhatIsMissing(EngineExecutionResults results) {
        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = TestKit.failureOf(results, "test");
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        if (Runtime.version().feature() < 21) {
            assertThat(failure).hasMessage("@FakeHost and @UnknownHost need Java 21 or newer (the JDK's host name "
                    + "resolver SPI, JEP 418, came with Java 18; dev.tcpfixture:tcpfixture-names is built for Java "
                    + "21), but this JVM runs Java " + Runtime.version() + ". Run the tests that fake host names on "
                    + "Java 21 or newer.");
        } else {
            assertThat(failure).hasMessageStartingWith("@FakeHost and @UnknownHost need "
                    + "dev.tcpfixture:tcpfixture-names (test scope; version from tcpfixture-bom) on the test class "
                    + "path");
        }
    }
}
