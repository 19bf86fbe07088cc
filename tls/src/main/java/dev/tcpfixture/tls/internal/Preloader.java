package dev.tcpfixture.tls.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Loads BouncyCastle's classes on two short-lived daemon threads while the caller does the JDK's part of the first
 * certificate (the secure random source, EC key generation): most of the first certificate's cost in a JVM is the
 * class loader checking the signatures of BouncyCastle's signed jars (bcprov's manifest and signature file are
 * 800 KB each), which is work that can overlap.
 */
public final class Preloader {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private Preloader() {
    }

    /** Starts the preloading on the first call in the JVM; does nothing after. Never waits. */
    public static void startOnce() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        // bcpkix: loading one class has the class loader check the whole jar's signature
        start("tcpfixture-tls-preload-pkix", () -> load("org.bouncycastle.cert.X509v3CertificateBuilder"));
        // bcprov: the ASN.1 classes the certificates are made of, used once
        start("tcpfixture-tls-preload-asn1", () -> {
            new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "preload").build();
            new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "::1")});
            new BasicConstraints(true).toASN1Primitive();
        });
    }

    private static void load(String className) {
        try {
            Class.forName(className, false, Preloader.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // the certificate's own code fails with the same, and reports it
        }
    }

    private static void start(String name, Runnable work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (RuntimeException | LinkageError e) {
                // only a head start: the certificate's own code meets and reports the same problem
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }
}
