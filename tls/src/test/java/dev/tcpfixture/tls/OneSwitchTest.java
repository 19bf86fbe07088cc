package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.TlsClient;
import dev.tcpfixture.spi.TlsMaterialProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code FakeTcpServer.builder().tls()}: the core finds this module's default material through ServiceLoader, and the
 * server hands clients the trust through {@code tlsClient()}. Real JDK clients, loopback only.
 */
@Timeout(120)
class OneSwitchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    static Script http(String body) {
        return Script.create().expectLine("GET / HTTP/1.1").skipLinesThrough("")
                .send("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .close();
    }

    @Test
    void theModuleProvidesTheMaterialOnTheModulePath() {
        Module module = CertificateAuthority.class.getModule();
        assertThat(module.isNamed()).isTrue();
        assertThat(module.getDescriptor().provides())
                .anySatisfy(provides -> {
                    assertThat(provides.service()).isEqualTo(TlsMaterialProvider.class.getName());
                    assertThat(provides.providers())
                            .containsExactly("dev.tcpfixture.tls.internal.DefaultTlsMaterialProvider");
                });
        assertThat(CertificateAuthority.class.getClassLoader()
                .getResource("META-INF/services/" + TlsMaterialProvider.class.getName()))
                .as("the entry for the class path").isNotNull();
    }

    @Test
    void httpsUrlConnectionAndHttpClientTrustTheServerThroughTlsClient() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls().start()) {
            assertThat(server.isTls()).isTrue();
            TlsClient trust = server.tlsClient();
            assertThat(trust.authorities()).containsExactly(CertificateAuthority.shared().certificate());
            server.enqueue(http("one")).enqueue(http("two"));

            assertThat(TestClients.httpsUrlConnectionGet(trust.sslContext(), server.port())).isEqualTo("one");
            HttpClient client = TestClients.httpClient(trust.sslContext());
            assertThat(TestClients.httpClientGet(client, server.port())).isEqualTo("two");

            RecordedConnection first = server.takeConnection(WAIT);
            assertThat(first.receivedText()).startsWith("GET / HTTP/1.1\r\n");
            server.takeConnection(WAIT);
            assertThat(server.awaitQuiet()).isTrue();
            server.verify();
            assertThat(server.transcript()).contains("TLSv1.3");
        }
    }

    @Test
    void anSslSocketChecksTheHostNameForEachLoopbackName() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls().start()) {
            for (String name : new String[] {"localhost", "127.0.0.1"}) {
                server.enqueue(Script.create().expectLine("hello").sendLine("hi " + name));
                assertThat(TestClients.sslSocketEcho(server.tlsClient().sslContext(), name, server.port(), true))
                        .isEqualTo("hi " + name);
            }
            assertThat(server.awaitQuiet()).isTrue();
            server.verify();
        }
        try (FakeTcpServer server = FakeTcpServer.builder().ipv6().tls().start()) {
            server.enqueue(Script.create().expectLine("hello").sendLine("hi ::1"));
            String reply;
            try (Socket plain = new Socket()) {
                plain.connect(server.address(), 10_000);
                plain.setSoTimeout(10_000);
                try (SSLSocket socket = (SSLSocket) server.tlsClient().socketFactory()
                        .createSocket(plain, "::1", server.port(), true)) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                    socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                    socket.getOutputStream().flush();
                    reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                }
            }
            assertThat(reply).isEqualTo("hi ::1");
            assertThat(server.awaitQuiet()).isTrue();
            server.verify();
        }
    }

    @Test
    void aClientWithoutTheTrustFailsTheHandshake() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls().allowUnusedScripts().start()) {
            SSLContext jdkDefault = SSLContext.getInstance("TLS");
            jdkDefault.init(null, null, null);
            assertThatThrownBy(() -> TestClients.sslSocketEcho(jdkDefault, "localhost", server.port(), true))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void theTrustFilesAreMadeOnRequestAndDeletedAtClose() throws Exception {
        Path pem;
        Path pkcs12;
        Path directory;
        try (FakeTcpServer server = FakeTcpServer.builder().tls().start()) {
            TlsClient trust = server.tlsClient();
            pem = trust.pemFile();
            pkcs12 = trust.pkcs12File();
            directory = pem.getParent();
            assertThat(pkcs12.getParent()).isEqualTo(directory);
            assertThat(trust.pemFile()).as("the same file on every request").isEqualTo(pem);

            String text = Files.readString(pem, StandardCharsets.US_ASCII);
            assertThat(text).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
            assertThat(text.lines().filter(line -> !line.startsWith("-----")).collect(Collectors.toList()))
                    .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));

            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(pkcs12)) {
                store.load(in, trust.pkcs12Password().toCharArray());
            }
            assertThat(store.size()).isEqualTo(1);
            String alias = store.aliases().nextElement();
            assertThat(store.isCertificateEntry(alias)).isTrue();
            assertThat(store.getCertificate(alias)).isEqualTo(CertificateAuthority.shared().certificate());
            assertThat(trust.trustStoreProperties()).containsEntry("javax.net.ssl.trustStore", pkcs12.toString())
                    .containsEntry("javax.net.ssl.trustStoreType", "PKCS12");
        }
        assertThat(pem).doesNotExist();
        assertThat(pkcs12).doesNotExist();
        assertThat(directory).doesNotExist();
    }

    @Test
    void noFileIsWrittenUnlessAskedForAndNoneAfterClose() {
        FakeTcpServer server = FakeTcpServer.builder().tls().start();
        TlsClient trust = server.tlsClient();
        trust.sslContext();
        server.close();
        assertThatThrownBy(trust::pemFile).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(trust::pkcs12File).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aJvmConfiguredOnlyThroughTheTrustStorePropertiesConnects() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls().start()) {
            server.enqueue(Script.create().expectLine("hello").sendLine("hi"));
            java.util.List<String> options = server.tlsClient().trustStoreProperties().entrySet().stream()
                    .map(entry -> "-D" + entry.getKey() + "=" + entry.getValue()).collect(Collectors.toList());

            ExternalProcess.Result result = ExternalProcess.run(ExternalProcess.java(options,
                    TrustStoreClient.class.getName(), String.valueOf(server.port())));

            assertThat(result.output()).contains("ok TLSv1.3 hi");
            assertThat(server.awaitQuiet()).isTrue();
            server.verify();
        }
    }

    @Test
    void onTheClassPathTheServiceFileFindsTheMaterial() throws Exception {
        ExternalProcess.Result result = ExternalProcess.run(ExternalProcess.java(java.util.List.of(),
                OneSwitchOnClassPath.class.getName()));

        assertThat(result.output()).contains("unnamed module: true").contains("reply: hi");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void startTlsWithoutArgumentsUpgradesInMidConversation() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().startTls().start()) {
            assertThat(server.isTls()).as("plaintext first").isFalse();
            server.enqueue(Script.create().sendLine("220 ready").expectLine("STARTTLS").sendLine("220 go ahead")
                    .startTls().expectLine("EHLO secure").sendLine("250 ok"));
            String secureReply;
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(server.host(), server.port()), 10_000);
                plain.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(),
                        StandardCharsets.US_ASCII));
                OutputStream out = plain.getOutputStream();
                assertThat(in.readLine()).isEqualTo("220 ready");
                out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine()).isEqualTo("220 go ahead");
                try (SSLSocket socket = (SSLSocket) server.tlsClient().socketFactory()
                        .createSocket(plain, "localhost", server.port(), true)) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                    socket.getOutputStream().write("EHLO secure\r\n".getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    secureReply = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                }
            }
            assertThat(secureReply).isEqualTo("250 ok");
            assertThat(server.awaitQuiet()).isTrue();
            server.verify();
            assertThat(server.takeConnection(WAIT).receivedText()).isEqualTo("STARTTLS\r\nEHLO secure\r\n");
        }
    }
}
