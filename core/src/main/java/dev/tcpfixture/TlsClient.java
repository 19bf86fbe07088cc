package dev.tcpfixture;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What a client needs to trust a server built with {@link FakeTcpServer.Builder#tls()} or
 * {@link FakeTcpServer.Builder#startTls()}: from {@link FakeTcpServer#tlsClient()}.
 *
 * <p>JVM clients take the {@link #sslContext()}, {@link #socketFactory()} or {@link #trustManager()}, which trust the
 * test certificate authority only and check the host name as usual. Other clients take files: a PEM file of the
 * authority's certificate ({@link #pemFile()}: Python's {@code ssl}, curl {@code --cacert}, openssl
 * {@code -CAfile}) or a PKCS#12 trust store with its password ({@link #pkcs12File()}, {@link #pkcs12Password()},
 * {@link #trustStoreProperties()}). The files are written to a temporary directory on the first request and deleted
 * when the server closes; after that, asking for them throws {@link IllegalStateException}.
 *
 * @since 0.1
 */
public final class TlsClient {

    private static final String PKCS12_PASSWORD = "tcpfixture";

    private final List<X509Certificate> authorities;
    private final X509TrustManager trustManager;
    private final SSLContext sslContext;
    private final Object lock = new Object();
    private Path directory; // guarded by lock; null until a file is asked for
    private boolean closed; // guarded by lock

    TlsClient(List<X509Certificate> authorities) {
        this.authorities = List.copyOf(authorities);
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore());
            X509TrustManager found = null;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager) {
                    found = (X509TrustManager) manager;
                }
            }
            if (found == null) {
                throw new IllegalStateException("the JDK made no X509TrustManager");
            }
            this.trustManager = found;
            this.sslContext = SSLContext.getInstance("TLS");
            this.sslContext.init(null, new TrustManager[] {found}, null);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build the client trust: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the certificates the client trusts: the test certificate authority.
     *
     * @return the trusted authorities
     */
    public List<X509Certificate> authorities() {
        return authorities;
    }

    /**
     * Returns a trust manager that trusts the {@linkplain #authorities() authorities} only.
     *
     * @return the trust manager
     */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /**
     * Returns an initialized client context with the {@linkplain #trustManager() trust manager} and no client key:
     * for {@code HttpClient.newBuilder().sslContext(...)}, {@code HttpsURLConnection} and the like.
     *
     * @return the client context, the same on every call
     */
    public SSLContext sslContext() {
        return sslContext;
    }

    /**
     * Returns the {@linkplain #sslContext() context}'s socket factory.
     *
     * @return the socket factory
     */
    public SSLSocketFactory socketFactory() {
        return sslContext.getSocketFactory();
    }

    /**
     * Returns a PEM file ({@code ca.pem}) with the authorities' certificates, written on the first request.
     *
     * @return the file's path
     * @throws IllegalStateException if the server is closed
     */
    public Path pemFile() {
        return directory().resolve("ca.pem");
    }

    /**
     * Returns a PKCS#12 trust store ({@code truststore.p12}) with the authorities' certificates as trusted entries,
     * protected by {@link #pkcs12Password()}; written on the first request.
     *
     * @return the file's path
     * @throws IllegalStateException if the server is closed
     */
    public Path pkcs12File() {
        return directory().resolve("truststore.p12");
    }

    /**
     * Returns the password of the {@linkplain #pkcs12File() PKCS#12 trust store}.
     *
     * @return the password
     */
    public String pkcs12Password() {
        return PKCS12_PASSWORD;
    }

    /**
     * Returns the {@code javax.net.ssl.trustStore*} properties that point at the PKCS#12 trust store, for a client
     * in another JVM ({@code -D} options) or configured through them.
     *
     * @return the properties
     * @throws IllegalStateException if the server is closed
     */
    public Map<String, String> trustStoreProperties() {
        return Map.of(
                "javax.net.ssl.trustStore", pkcs12File().toString(),
                "javax.net.ssl.trustStorePassword", PKCS12_PASSWORD,
                "javax.net.ssl.trustStoreType", "PKCS12");
    }

    private Path directory() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the server is closed, and its trust files are deleted");
            }
            if (directory == null) {
                directory = writeFiles();
            }
            return directory;
        }
    }

    private Path writeFiles() {
        Path created;
        try {
            created = Files.createTempDirectory("tcpfixture-tls-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory for the trust files", e);
        }
        try {
            Files.writeString(created.resolve("ca.pem"), pem(), StandardCharsets.US_ASCII);
            try (OutputStream out = Files.newOutputStream(created.resolve("truststore.p12"))) {
                trustStore().store(out, PKCS12_PASSWORD.toCharArray());
            }
            return created;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            delete(created);
            throw new IllegalStateException("could not write the trust files to " + created + ": " + e, e);
        }
    }

    /** Deletes the files, if any; later requests for them fail. Called by {@link FakeTcpServer#close()}. */
    void close() {
        Path toDelete;
        synchronized (lock) {
            closed = true;
            toDelete = directory;
            directory = null;
        }
        if (toDelete != null) {
            delete(toDelete);
        }
    }

    private KeyStore trustStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (X509Certificate authority : authorities) {
            store.setCertificateEntry("tcpfixture-ca-" + i++, authority);
        }
        return store;
    }

    private String pem() throws CertificateEncodingException {
        Base64.Encoder encoder = Base64.getMimeEncoder(64, new byte[] {'\n'});
        StringBuilder text = new StringBuilder();
        for (X509Certificate authority : authorities) {
            text.append("-----BEGIN CERTIFICATE-----\n")
                    .append(encoder.encodeToString(authority.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return text.toString();
    }

    private static void delete(Path directory) {
        try (Stream<Path> tree = Files.walk(directory)) {
            List<Path> deepestFirst = tree.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the trust files in " + directory, e);
        }
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (X509Certificate authority : authorities) {
            names.add(authority.getSubjectX500Principal().getName());
        }
        return "TlsClient" + names;
    }
}
