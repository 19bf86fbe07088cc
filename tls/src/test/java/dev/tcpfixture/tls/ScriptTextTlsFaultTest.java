package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.TlsFault;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code Script.tlsFault(fault)} in the text form of scripts: {@code tls fault EXPIRED}, saved and loaded. */
@Timeout(120)
class ScriptTextTlsFaultTest {

    @ParameterizedTest
    @EnumSource(TlsFault.class)
    void everyCertificateFaultRoundTrips(TlsFault fault) {
        Script script = Script.create().tlsFault(fault).expectLine("hello").sendLine("hi").close();

        String text = script.format();

        assertThat(text).isEqualTo("# tcpfixture script: one step per line (see Script.parse)\n"
                + "tls fault " + fault.name() + "\nclient> line \"hello\"\nserver> line \"hi\"\nclose\n");
        assertThat(Script.parse(text).format()).isEqualTo(text);
        assertThat(Script.parse(text).describeSteps()).isEqualTo(script.describeSteps());
    }

    @Test
    void aLoadedFaultIsTheFault(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("wrong-host.script");
        Script.create().tlsFault(TlsFault.WRONG_HOST).expectLine("hello").sendLine("hi").save(file);

        try (FakeTcpServer server = FakeTcpServer.builder().tls().start()) {
            server.enqueue(Script.load(file));
            assertThat(TestClients.sslSocketEcho(server.tlsClient().sslContext(), "127.0.0.1", server.port(), false))
                    .as("no host name check: the client accepts the certificate for the wrong host").isEqualTo("hi");
            server.verify();
            assertThat(server.connections()).singleElement()
                    .satisfies(connection -> assertThat(connection.transcript()).contains("TLS handshake: TLSv1.3"));
        }
    }
}
