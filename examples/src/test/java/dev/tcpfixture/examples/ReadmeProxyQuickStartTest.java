package dev.tcpfixture.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.ProxyFault;
import dev.tcpfixture.Script;
import dev.tcpfixture.TcpProxy;
import dev.tcpfixture.junit.Proxy;
import dev.tcpfixture.junit.TcpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The proxy quick start of README.md, as it is shown there (ReadmeProxyDocumentTest keeps the two the same). */
class ReadmeProxyQuickStartTest {

    /** The client code under test: sends PING, returns the answer; gives up after 500 ms without one. */
    static String ping(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1_000);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
        }
    }

    @Test
    void pingIsSlowerByTheLatency(@TcpServer("backend") FakeTcpServer backend,
            @Proxy(upstream = "backend") TcpProxy proxy) throws IOException {
        backend.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
        proxy.add(ProxyFault.latency(Duration.ofMillis(200)));

        long start = System.nanoTime();
        assertThat(ping(proxy.host(), proxy.port())).isEqualTo("PONG");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(proxy.takeConnection(Duration.ofSeconds(1)).receivedLines()).containsExactly("PING");
    }

    @Test
    void pingGivesUpWhenTheBackendStalls(@TcpServer("backend") FakeTcpServer backend,
            @Proxy(upstream = "backend") TcpProxy proxy) {
        backend.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
        proxy.add(ProxyFault.stall());   // the request goes through, the answer is held

        assertThatThrownBy(() -> ping(proxy.host(), proxy.port())).isInstanceOf(SocketTimeoutException.class);
    }
}
