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
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * What a TLS client needs to trust a set of certificate authorities, and only them: for a server built with
 * {@link FakeTcpServer.Builder#tls()} or {@link FakeTcpServer.Builder#startTls()}, from
 * {@link FakeTcpServer#tlsClient()}; for your own authorities, from {@link #trusting(X509Certificate,
 * X509Certificate...)}.
 *
 * <p>JVM clients take the {@link #sslContext()}, {@link #socketFactory()} or {@link #trustManager()}, which trust the
 * authorities only and check the host name as usual (HTTPS clients do; a bare {@code SSLSocket} only with the
 * endpoint identification algorithm {@code "HTTPS"}); for mutual TLS, {@link #sslContext(X509KeyManager)} or
 * {@link #sslContextWithClientCertificate(String)} also present a client certificate. Other clients take files: a
 * PEM file of the authorities' certificates ({@link #pemFile()}: Python's {@code ssl}, curl {@code --cacert},
 * openssl {@code -CAfile}) or a PKCS#12 trust store with its password ({@link #pkcs12File()},
 * {@link #pkcs12Password()}, {@link #trustStoreProperties()}). The files are written to a temporary directory of
 * their own on the first request and deleted by {@link #close()} (for {@code tlsClient()}, when the server closes);
 * after that, asking for them throws {@link IllegalStateException}. Safe to share between threads.
 *
 * @since 0.1
 */
public final class TlsClient implements AutoCloseable {

    private static final String PKCS12_PASSWORD = "tcpfixture";

    private final List<X509Certificate> authorities;
    private final X509TrustManager trustManager;
    private final SSLContext sslContext;
    private final SSLSocketFactory socketFactory;
    private final Function<String, X509KeyManager> clientCertificates; // null: no issuer known
    private final Object lock = new Object();
    private Path directory; // guarded by lock; null until a file is asked for
    private boolean closed; // guarded by lock

    TlsClient(List<X509Certificate> authorities, Function<String, X509KeyManager> clientCertificates) {
        if (authorities.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one authority to trust");
        }
        this.authorities = List.copyOf(authorities);
        this.clientCertificates = clientCertificates;
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
            this.sslContext = context(null);
            this.socketFactory = sslContext.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build the client trust: " + e.getMessage(), e);
        }
    }

    /**
     * Returns what a client needs to trust the given authorities, and only them. Close it to delete the files it
     * wrote, if any.
     *
     * @param authority an authority to trust
     * @param moreAuthorities more authorities to trust
     * @return the client trust
     */
    public static TlsClient trusting(X509Certificate authority, X509Certificate... moreAuthorities) {
        List<X509Certificate> all = new ArrayList<>();
        all.add(Objects.requireNonNull(authority, "authority"));
        for (X509Certificate more : moreAuthorities) {
            all.add(Objects.requireNonNull(more, "moreAuthorities"));
        }
        return new TlsClient(all, null);
    }

    private SSLContext context(X509KeyManager clientKey) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(clientKey == null ? null : new KeyManager[] {clientKey}, new TrustManager[] {trustManager}, null);
        return context;
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
     * Returns a new client context with the {@linkplain #trustManager() trust manager} that presents the given
     * client certificate when the server asks for one (mutual TLS).
     *
     * @param clientKey the client's key manager, for example from a {@code KeyManagerFactory} over a key store
     * @return a new client context
     */
    public SSLContext sslContext(X509KeyManager clientKey) {
        Objects.requireNonNull(clientKey, "clientKey");
        try {
            return context(clientKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not build the client context: " + e.getMessage(), e);
        }
    }

    /**
     * Returns a new client context with the {@linkplain #trustManager() trust manager} that presents a new client
     * certificate for {@code CN=commonName}, issued by the library's test authority, which a server built with
     * {@code tls()} and {@link FakeTcpServer.Builder#tlsClientAuth(ClientAuth) tlsClientAuth(...)} trusts. Only
     * for the {@code tlsClient()} of such a server.
     *
     * @param commonName the common name of the certificate's subject, for example {@code "alice"}
     * @return a new client context
     * @throws IllegalStateException if this trust was made by {@link #trusting(X509Certificate, X509Certificate...)}:
     *     then no issuer is known; use {@link #sslContext(X509KeyManager)}
     * @throws IllegalArgumentException if {@code commonName} is blank
     */
    public SSLContext sslContextWithClientCertificate(String commonName) {
        Objects.requireNonNull(commonName, "commonName");
        if (commonName.isBlank()) {
            throw new IllegalArgumentException("the common name must not be blank");
        }
        if (clientCertificates == null) {
            throw new IllegalStateException("this client trust knows no issuer of client certificates: pass your "
                    + "own client key to sslContext(X509KeyManager)");
        }
        return sslContext(clientCertificates.apply(commonName));
    }

    /**
     * Returns the {@linkplain #sslContext() context}'s socket factory.
     *
     * @return the socket factory, the same on every call
     */
    public SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /**
     * Returns a PEM file ({@code ca.pem}) with the authorities' certificates, written on the first request.
     *
     * @return the file's path
     * @throws IllegalStateException if this trust is closed
     */
    public Path pemFile() {
        return directory().resolve("ca.pem");
    }

    /**
     * Returns a PKCS#12 trust store ({@code truststore.p12}) with the authorities' certificates as trusted entries,
     * protected by {@link #pkcs12Password()}; written on the first request.
     *
     * @return the file's path
     * @throws IllegalStateException if this trust is closed
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
     * @throws IllegalStateException if this trust is closed
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
                throw new IllegalStateException("the client trust is closed (with its server, for tlsClient()), and its "
                        + "trust files are deleted");
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

    /**
     * Deletes the files, if any; later requests for them fail. The contexts, socket factory and trust manager still
     * work. {@link FakeTcpServer#close()} calls it for its {@code tlsClient()}. Closing twice does nothing.
     */
    @Override
    public void close() {
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
