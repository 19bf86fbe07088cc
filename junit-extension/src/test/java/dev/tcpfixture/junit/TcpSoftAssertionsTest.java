package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import java.io.IOException;
import java.time.Duration;
import org.assertj.core.error.AssertJMultipleFailuresError;
import org.junit.jupiter.api.Test;

@WithTcpServer
class TcpSoftAssertionsTest {

    @Test
    void collectsEveryFailureBeforeFailing(@TcpServer FakeTcpServer server) throws IOException {
        TestKit.converse(server.address(), "HELO x");
        RecordedConnection connection = server.takeConnection(Duration.ofSeconds(5));
        TcpAssertions.assertClientClosed(connection);

        assertThatThrownBy(() -> TcpSoftAssertions.assertSoftly(softly -> {
            softly.assertThat(connection).receivedLine("EHLO y").wasClosedByServer();
            softly.assertThat(server).hasConnectionCount(2);
            softly.assertThat(connection).receivedLine("HELO x");
            softly.assertThat("standard").isEqualTo("assertions too");
        }))
                .isInstanceOfSatisfying(AssertJMultipleFailuresError.class, error ->
                        assertThat(error.getFailures()).hasSize(4))
                .hasMessageContaining("to have received the line ")
                .hasMessageContaining("to have been closed first by the server, but the client closed it first")
                .hasMessageContaining("to have accepted 2 connections, but it accepted 1")
                .hasMessageContaining("assertions too");
    }

    @Test
    void passesWhenEverythingHolds(@TcpServer FakeTcpServer server) throws IOException {
        TestKit.converse(server.address(), "HELO x");
        RecordedConnection connection = server.takeConnection(Duration.ofSeconds(5));
        TcpAssertions.assertClientClosed(connection);

        TcpSoftAssertions softly = new TcpSoftAssertions();
        softly.assertThat(connection).receivedLine("HELO x").wasClosedByClient();
        softly.assertThat(server).hasConnectionCount(1).hasNoFailures();

        assertThat(softly.errorsCollected()).isEmpty();
        softly.assertAll();
    }
}
