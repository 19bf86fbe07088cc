package dev.tcpfixture.tls;

import dev.tcpfixture.tls.internal.TrustMaterial;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Trusted authorities written to files in a temporary directory of their own, for clients configured by path:
 * a PEM file of the certificates (Python's {@code ssl}, curl's {@code --cacert}, openssl's {@code -CAfile}) and a
 * PKCS#12 trust store with its password ({@code javax.net.ssl.trustStore}, {@code keytool}). {@link #close()}
 * deletes the files and the directory.
 *
 * <pre>{@code
 * try (TrustFiles files = CertificateAuthority.shared().clientTrust().writeFiles()) {
 *     run("python3", "client.py", "--cafile", files.pemFile().toString());
 * }
 * }</pre>
 */
public final class TrustFiles implements AutoCloseable {
    private static final String PKCS12_PASSWORD = "tcpfixture";

    private final Path directory;
    private final Path pemFile;
    private final Path pkcs12File;

    private TrustFiles(Path directory) {
        this.directory = directory;
        this.pemFile = directory.resolve("ca.pem");
        this.pkcs12File = directory.resolve("truststore.p12");
    }

    static TrustFiles write(List<X509Certificate> authorities) {
        Path directory;
        try {
            directory = Files.createTempDirectory("tcpfixture-tls-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory for the trust files", e);
        }
        TrustFiles files = new TrustFiles(directory);
        try {
            Files.writeString(files.pemFile, TrustMaterial.pem(authorities), StandardCharsets.US_ASCII);
            try (OutputStream out = Files.newOutputStream(files.pkcs12File)) {
                TrustMaterial.writePkcs12(authorities, PKCS12_PASSWORD.toCharArray(), out);
            }
            return files;
        } catch (IOException | RuntimeException e) {
            files.close();
            if (e instanceof IOException) {
                throw new UncheckedIOException("could not write the trust files to " + directory, (IOException) e);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Returns the temporary directory that holds the files.
     *
     * @return the directory, deleted by {@link #close()}
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the PEM file with the trusted authorities' certificates, one block each.
     *
     * @return the path of {@code ca.pem} in the directory
     */
    public Path pemFile() {
        return pemFile;
    }

    /**
     * Returns the PKCS#12 trust store with the trusted authorities' certificates as trusted entries.
     *
     * @return the path of {@code truststore.p12} in the directory
     */
    public Path pkcs12File() {
        return pkcs12File;
    }

    /**
     * Returns the password of the {@linkplain #pkcs12File() PKCS#12 trust store}.
     *
     * @return the password, the same for every trust store this library writes: {@code "tcpfixture"}
     */
    public String pkcs12Password() {
        return PKCS12_PASSWORD;
    }

    /**
     * Returns the system properties that make a JVM's default {@code SSLContext} trust these authorities:
     * {@code javax.net.ssl.trustStore}, {@code javax.net.ssl.trustStorePassword} and
     * {@code javax.net.ssl.trustStoreType}, e.g. as {@code -D} options for a JVM to start.
     *
     * @return the three properties by name
     */
    public Map<String, String> trustStoreProperties() {
        return Map.of(
                "javax.net.ssl.trustStore", pkcs12File.toString(),
                "javax.net.ssl.trustStorePassword", PKCS12_PASSWORD,
                "javax.net.ssl.trustStoreType", "PKCS12");
    }

    /**
     * Deletes the directory with the files, and anything else put in it since; does nothing the second time.
     *
     * @throws UncheckedIOException if something in the directory could not be deleted
     */
    @Override
    public void close() {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(directory)) {
            List<Path> deepestFirst = tree.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the trust files in " + directory, e);
        }
    }

    /** Names the directory. */
    @Override
    public String toString() {
        return "TrustFiles[" + directory + "]";
    }
}
