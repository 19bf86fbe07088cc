package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A conversation upgraded with STARTTLS, recorded and replayed: the upgrade becomes a {@code start tls} step. */
@Timeout(120)
class RecordThenReplayTlsTest {

    private static final int TIMEOUT_MILLIS = 5_000;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path keyDirectory;

    static TlsKeys keys;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TlsKeys.generate(keyDirectory, "localhost");
    }

    private static String smtpWithStartTls(FakeTcpServer fake) throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(fake.address(), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            BufferedReader in = reader(plain);
            StringBuilder seen = new StringBuilder(in.readLine());
            write(plain, "STARTTLS\r\n");
            seen.append('|').append(in.readLine());
            try (SSLSocket tls = (SSLSocket) keys.trustContext().getSocketFactory().createSocket(plain,
                    "localhost", fake.port(), true)) {
                BufferedReader secure = reader(tls);
                write(tls, "EHLO me\r\n");
                seen.append('|').append(secure.readLine());
                seen.append('|').append(secure.readLine()); // null: the server closed
            }
            return seen.toString();
        }
    }

    @Test
    void theUpgradeBecomesAStartTlsStep() throws Exception {
        SSLContext context = keys.keyContext(null);
        Script script;
        String seen;
        try (FakeTcpServer real = FakeTcpServer.builder().startTls(context).start()) {
            real.enqueue(Script.create().sendLine("220 fake ESMTP").expectLine("STARTTLS")
                    .sendLine("220 Ready to start TLS").startTls().expectLine("EHLO me").sendLine("250 OK").close());
            seen = smtpWithStartTls(real);
            real.verify();
            RecordedConnection recorded = real.takeConnection(WAIT);
            assertThat(recorded.awaitClosed(WAIT)).isTrue();
            script = recorded.toScript();
        }

        assertThat(script.format()).isEqualTo("# tcpfixture script: one step per line (see Script.parse)\n"
                + "server> line \"220 fake ESMTP\"\n"
                + "client> line \"STARTTLS\"\n"
                + "server> line \"220 Ready to start TLS\"\n"
                + "start tls\n"
                + "client> line \"EHLO me\"\n"
                + "server> line \"250 OK\"\n"
                + "close\n");
        try (FakeTcpServer replay = FakeTcpServer.builder().startTls(context).start()) {
            replay.enqueue(Script.parse(script.format()));
            assertThat(smtpWithStartTls(replay)).isEqualTo(seen).isEqualTo("220 fake ESMTP|220 Ready to start TLS|250 OK|null");
            replay.verify();
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
