package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuilderValidationTest {

    private final FakeTcpServer.Builder builder = FakeTcpServer.builder();

    @Test
    void eachOptionIsValidatedAtOnceByItsMethod() {
        assertThatThrownBy(() -> builder.stepTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stepTimeout must be positive, was 0 ms");
        assertThatThrownBy(() -> builder.stepTimeout(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stepTimeout must be positive, was -5 s");
        assertThatThrownBy(() -> builder.recordingLimit(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recordingLimit must not be negative, was -1");
        assertThatThrownBy(() -> builder.lineLimit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lineLimit must be at least 1, was 0");
        assertThatThrownBy(() -> builder.backlog(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backlog must be at least 1, was 0");
        assertThatThrownBy(() -> builder.charset(StandardCharsets.UTF_16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not UTF-16");
        assertThatThrownBy(() -> builder.bindAddress(InetAddress.getByName("::2")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.stepTimeout(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.charset(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.mode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void everyOptionReachesTheServerAndBuildersStayImmutable() throws Exception {
        FakeTcpServer.Builder configured = builder.stepTimeout(Duration.ofMillis(1500)).recordingLimit(10)
                .lineLimit(100).charset(StandardCharsets.ISO_8859_1).backlog(7).mode(ConnectionMode.REFUSE)
                .allowUnusedScripts();
        assertThat(configured).hasToString("FakeTcpServer.Builder[bindAddress=127.0.0.1, backlog=7, "
                + "stepTimeout=1.5 s, recordingLimit=10, lineLimit=100, charset=ISO-8859-1, mode=REFUSE, "
                + "allowUnusedScripts=true]");
        assertThat(builder).hasToString("FakeTcpServer.Builder[bindAddress=127.0.0.1, backlog=512, "
                + "stepTimeout=5 s, recordingLimit=1048576, lineLimit=65536, charset=UTF-8, mode=ACCEPT, "
                + "allowUnusedScripts=false]");
        try (FakeTcpServer server = configured.mode(ConnectionMode.ACCEPT).start()) {
            server.enqueue(Script.create().sendLine("caf\u00e9").expectLine("x".repeat(100)));
            assertThatThrownBy(() -> server.enqueue(Script.create().expectLine("x".repeat(101))))
                    .isInstanceOf(IllegalArgumentException.class);
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.readBytes(6)).containsExactly('c', 'a', 'f', 0xE9, '\r', '\n');
            }
            server.close();
            assertThat(server.connections().get(0).sentByteCount()).isEqualTo(6);
            assertThat(server.connections().get(0).sent()).hasSize(6);
        }
    }
}
