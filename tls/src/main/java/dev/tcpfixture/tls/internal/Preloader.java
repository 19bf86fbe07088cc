package dev.tcpfixture.tls.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads BouncyCastle's classes on two short-lived daemon threads while the caller does the JDK's part of the first
 * certificate (the secure random source, EC key generation, a first signature: {@link Keys#rehearse}). Most of the
 * first certificate's cost in a JVM is the class loader checking the signatures of BouncyCastle's signed jars
 * (bcprov's manifest and signature file are 800 KB each): work that can overlap with the JDK's.
 */
public final class Preloader {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private Preloader() {
    }

    /**
     * Starts the preloading on the first call in the JVM and returns true; does nothing and returns false after.
     * Never waits.
     */
    public static boolean startOnce() {
        if (!STARTED.compareAndSet(false, true)) {
            return false;
        }
        // bcpkix: loading one class has the class loader check the whole jar's signature
        start(new Work("tcpfixture-tls-preload-pkix", false));
        // bcprov, then both: lay out a throwaway certificate, which loads (and checks) the classes a real one needs
        start(new Work("tcpfixture-tls-preload-asn1", true));
        return true;
    }

    private static void start(Work work) {
        Thread thread = new Thread(work, work.name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A plain class rather than a lambda: the first lambda of a JVM costs its caller the bootstrap of invokedynamic. */
    private static final class Work implements Runnable {
        private final String name;
        private final boolean rehearse;

        Work(String name, boolean rehearse) {
            this.name = name;
            this.rehearse = rehearse;
        }

        @Override
        public void run() {
            try {
                if (rehearse) {
                    CertificateMaker.rehearse();
                } else {
                    Class.forName("org.bouncycastle.cert.X509v3CertificateBuilder", false, Preloader.class.getClassLoader());
                }
            } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
                // only a head start: the certificate's own code meets and reports the same problem
            }
        }
    }
}
