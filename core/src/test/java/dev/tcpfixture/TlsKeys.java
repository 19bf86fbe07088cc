package dev.tcpfixture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test key material made with the JDK's own {@code keytool}: a self-signed EC P-256 certificate per name, for
 * {@code localhost} and {@code 127.0.0.1}, in a PKCS#12 file; and contexts for servers and clients.
 */
final class TlsKeys {

    static final char[] PASSWORD = "changeit".toCharArray();
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final KeyStore store;

    private TlsKeys(KeyStore store) {
        this.store = store;
    }

    /** Makes a key pair and self-signed certificate with subject {@code CN=<name>}, SAN localhost, 127.0.0.1. */
    static TlsKeys generate(Path directory, String name) throws IOException, GeneralSecurityException,
            InterruptedException {
        Path file = directory.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name + ", O=tcpfixture test", "-ext",
                "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-noprompt"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile()).start();
        if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed: "
                    + Files.readString(directory.resolve(name + ".log"), StandardCharsets.UTF_8));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return new TlsKeys(store);
    }

    /** A context that presents this key and trusts {@code trusted} (for client certificates), if given. */
    SSLContext keyContext(TlsKeys trusted) throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trusted == null ? null : trusted.trustManagers(), null);
        return context;
    }

    /** A context that presents no key and trusts this certificate. */
    SSLContext trustContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(), null);
        return context;
    }

    /** A context that presents this key and trusts {@code server}. */
    SSLContext clientContext(TlsKeys server) throws GeneralSecurityException {
        return keyContext(server);
    }

    private javax.net.ssl.TrustManager[] trustManagers() throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        return trust.getTrustManagers();
    }
}
