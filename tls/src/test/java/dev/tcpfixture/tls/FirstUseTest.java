package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The first server certificate in a fresh JVM (the authority and the certificate, BouncyCastle's class loading
 * included), made by {@link FirstUse} in {@value #JVMS} new JVMs one after the other: it works from a cold start,
 * and its cost is printed. Tests do not assert timings (a busy machine would fail them); the figure against issue
 * 9's target of 300 ms is measured and recorded in docs/PERFORMANCE.md.
 */
class FirstUseTest {
    private static final int JVMS = 5;

    @Test
    void firstServerCertificateInAFreshJvmWorksAndItsCostIsPrinted() throws Exception {
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
