package dev.tcpfixture.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Certificate times, made without BouncyCastle's date formatting. */
class CertificateMakerTest {

    @ParameterizedTest(name = "{0} is {1} {2}")
    @CsvSource({
        "2026-11-29T15:04:05.678Z, UTCTime,         261129150405Z",
        "1950-01-01T00:00:00Z,     UTCTime,         500101000000Z",
        "2049-12-31T23:59:59.999Z, UTCTime,         491231235959Z",
        "1949-12-31T23:59:59Z,     GeneralizedTime, 19491231235959Z",
        "2050-01-01T00:00:00Z,     GeneralizedTime, 20500101000000Z"})
    void timeIsUtcTimeThrough2049AndGeneralizedTimeOtherwiseInWholeSeconds(String instant, String type, String text)
            throws Exception {
        Time time = CertificateMaker.time(Instant.parse(instant));

        assertThat(time.toASN1Primitive())
                .isInstanceOf("UTCTime".equals(type) ? ASN1UTCTime.class : ASN1GeneralizedTime.class);
        byte[] der = time.toASN1Primitive().getEncoded();
        assertThat(der[0]).as("tag").isEqualTo((byte) ("UTCTime".equals(type) ? 0x17 : 0x18));
        assertThat(der[1]).as("length").isEqualTo((byte) text.length());
        assertThat(new String(der, 2, der.length - 2, StandardCharsets.US_ASCII)).isEqualTo(text);
        assertThat(time.getDate().toInstant()).isEqualTo(Instant.ofEpochSecond(Instant.parse(instant).getEpochSecond()));
    }

    @Test
    void certificateValidityIsTheGivenInstantsToTheSecond() {
        KeyPair keys = Keys.newKeyPair();
        Instant notBefore = Instant.parse("2026-03-04T05:06:07.890Z");
        Instant notAfter = Instant.parse("2051-03-04T05:06:07.890Z");

        X509Certificate certificate = CertificateMaker.leaf(new CertificateMaker.Leaf("localhost", List.of("localhost"),
                CertificateMaker.Purpose.SERVER, notBefore, notAfter), keys.getPublic(), null, keys.getPrivate());

        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-03-04T05:06:07Z"));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2051-03-04T05:06:07Z"));
    }
}
