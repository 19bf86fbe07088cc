package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.TlsClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The trust files of {@link TlsClient}, the PEM file and the PKCS#12 trust store: what they hold, that they load, and
 * that close deletes them.
 */
class TrustFilesTest {
    private final CertificateAuthority authority = CertificateAuthority.shared();

    @Test
    void filesAreWrittenToANewTemporaryDirectoryOfTheirOwn() throws Exception {
        try (TlsClient first = authority.clientTrust();
                TlsClient second = authority.clientTrust()) {
            assertThat(first.pemFile().getParent()).isDirectory()
                    .startsWith(Path.of(System.getProperty("java.io.tmpdir")))
                    .isNotEqualTo(second.pemFile().getParent());
            assertThat(first.pemFile().getParent().getFileName().toString()).startsWith("tcpfixture-tls-");
            assertThat(first.pemFile()).isRegularFile().hasParent(first.pemFile().getParent()).hasFileName("ca.pem");
            assertThat(first.pkcs12File()).isRegularFile().hasParent(first.pemFile().getParent()).hasFileName("truststore.p12");
            try (var listing = Files.list(first.pemFile().getParent())) {
                assertThat(listing).hasSize(2);
            }
        }
    }

    @Test
    void pemFileHoldsTheAuthorityCertificate() throws Exception {
        try (TlsClient files = authority.clientTrust()) {
            String pem = Files.readString(files.pemFile(), StandardCharsets.US_ASCII);

            assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
            assertThat(pem.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
            assertThat(readCertificates(files.pemFile())).containsExactly(authority.certificate());
        }
    }

    @Test
    void pemFileOfSeveralAuthoritiesHoldsEach() throws Exception {
        CertificateAuthority other = CertificateAuthority.create("second test CA");
        try (TlsClient files = TlsClient.trusting(authority.certificate(), other.certificate())) {
            assertThat(readCertificates(files.pemFile())).containsExactly(authority.certificate(), other.certificate());
            assertThat(loadPkcs12(files, files.pkcs12Password()).size()).isEqualTo(2);
        }
    }

    @Test
    void pkcs12TrustStoreLoadsWithItsPasswordAndHoldsTheAuthorityAsATrustedEntry() throws Exception {
        try (TlsClient files = authority.clientTrust()) {
            KeyStore store = loadPkcs12(files, files.pkcs12Password());

            List<String> aliases = Collections.list(store.aliases());
            assertThat(aliases).hasSize(1);
            assertThat(store.isCertificateEntry(aliases.get(0))).isTrue();
            assertThat(store.getCertificate(aliases.get(0))).isEqualTo(authority.certificate());
        }
    }

    @Test
    void pkcs12TrustStoreRefusesAWrongPassword() throws Exception {
        try (TlsClient files = authority.clientTrust()) {
            assertThatThrownBy(() -> loadPkcs12(files, "wrong"))
                    .isInstanceOf(IOException.class)
                    .hasMessage("keystore password was incorrect");
        }
    }

    @Test
    void pkcs12TrustStoreLoadedFromItsFileMakesATrustingClient() throws Exception {
        try (TlsClient files = authority.clientTrust();
                TestTlsServer server = new TestTlsServer(authority.serverTls())) {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(loadPkcs12(files, files.pkcs12Password()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);

            assertThat(TestClients.sslSocketEcho(context, "localhost", server.port(), true)).isEqualTo("hello");
        }
    }

    @Test
    void trustStorePropertiesNameTheFileItsPasswordAndType() throws Exception {
        try (TlsClient files = authority.clientTrust()) {
            assertThat(files.trustStoreProperties()).isEqualTo(Map.of(
                    "javax.net.ssl.trustStore", files.pkcs12File().toString(),
                    "javax.net.ssl.trustStorePassword", "tcpfixture",
                    "javax.net.ssl.trustStoreType", "PKCS12"));
            assertThat(files.pkcs12Password()).isEqualTo("tcpfixture");
        }
    }

    @Test
    void freshJvmConfiguredOnlyByTheTrustStorePropertiesConnects() throws Exception {
        try (TlsClient files = authority.clientTrust();
                TestTlsServer server = new TestTlsServer(authority.serverTls())) {
            List<String> options = new ArrayList<>();
            files.trustStoreProperties().forEach((name, value) -> options.add("-D" + name + "=" + value));

            ExternalProcess.Result result = ExternalProcess.run(
                    ExternalProcess.java(options, TrustStoreClient.class.getName(), String.valueOf(server.port())));

            assertThat(result.output()).isEqualTo("ok TLSv1.3 hello\n");
            assertThat(result.exitCode()).isZero();
            assertThat(server.nextHandshake().succeeded()).isTrue();
        }
    }

    @Test
    void freshJvmWithItsDefaultTrustStoreDoesNotTrustTheTestAuthority() throws Exception {
        try (TestTlsServer server = new TestTlsServer(authority.serverTls())) {
            ExternalProcess.Result result = ExternalProcess.run(
                    ExternalProcess.java(List.of(), TrustStoreClient.class.getName(), String.valueOf(server.port())));

            assertThat(result.output()).startsWith("error javax.net.ssl.SSLHandshakeException: PKIX path building failed");
        }
    }

    @Test
    void closeDeletesTheFilesAndTheDirectoryOnceAndForAll() throws Exception {
        TlsClient files = authority.clientTrust();
        Path pem = files.pemFile();
        Path pkcs12 = files.pkcs12File();
        Path directory = pem.getParent();
        Files.writeString(directory.resolve("client.log"), "left by a client");
        Files.createDirectory(directory.resolve("nested"));
        Files.writeString(directory.resolve("nested").resolve("more"), "more");

        files.close();

        assertThat(pem).doesNotExist();
        assertThat(pkcs12).doesNotExist();
        assertThat(directory).doesNotExist();
        assertThatThrownBy(files::pemFile).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("trust files are deleted");
        files.close(); // the second time does nothing
        assertThat(files.sslContext()).as("the contexts still work").isNotNull();
    }

    private static List<java.security.cert.Certificate> readCertificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    private static KeyStore loadPkcs12(TlsClient files, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(files.pkcs12File())) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
