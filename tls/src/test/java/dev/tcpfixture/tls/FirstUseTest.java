package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cost of the first server certificate in a fresh JVM (the authority and the certificate, BouncyCastle's class
 * loading included), measured by {@link FirstUse} in {@value #JVMS} new JVMs one after the other. The target of
 * issue 9 is under 300 ms on the 2-core machine; the best of the runs is held to it, since a busy machine only
 * ever adds time.
 */
class FirstUseTest {
    private static final int JVMS = 5;
    private static final long TARGET_MILLIS = 300;

    @Test
    void firstServerCertificateInAFreshJvmTakesLessThanTheTarget() throws Exception {
        List<Map<String, Long>> runs = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            ExternalProcess.Result result = ExternalProcess.run(ExternalProcess.java(List.of(), FirstUse.class.getName()));
            assertThat(result.exitCode()).as(result.output()).isZero();
            runs.add(parse(result.output()));
        }
        for (String step : List.of("serverCertificate", "serverSslContext", "clientSslContext", "firstHandshakeAndRoundTrip")) {
            List<Long> millis = new ArrayList<>();
            for (Map<String, Long> run : runs) {
                millis.add(run.get(step) / 1_000_000);
            }
            Collections.sort(millis);
            System.out.println("first use, " + step + ": " + millis + " ms (sorted, " + JVMS + " fresh JVMs)");
        }

        long best = runs.stream().mapToLong(run -> run.get("serverCertificate")).min().orElseThrow() / 1_000_000;
        assertThat(best).as("the first server certificate in the fastest of %d fresh JVMs, in ms", JVMS)
                .isLessThan(TARGET_MILLIS);
    }

    private static Map<String, Long> parse(String output) {
        Map<String, Long> values = new HashMap<>();
        for (String line : output.lines().toList()) {
            String[] parts = line.split("=", 2);
            if (parts.length == 2 && parts[1].matches("\\d+")) {
                values.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        assertThat(values).as(output)
                .containsKeys("serverCertificate", "serverSslContext", "clientSslContext", "firstHandshakeAndRoundTrip");
        return values;
    }
}
