package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/**
 * The extension formats bytes and addresses itself, with core's public API only, the way transcripts do.
 */
class MessagesTest {

    @Test
    void bytesArePrintableAsciiOrEscaped() {
        assertThat(Messages.bytes(new byte[] {'h', 'i', '\r', '\n', '"', '\\', 0x01, 0x7f, (byte) 0xff}))
                .isEqualTo("9 bytes \"hi\\r\\n\\\"\\\\\\x01\\x7F\\xFF\"");
    }

    @Test
    void textKeepsNonAsciiCharactersButEscapesControlCharacters() {
        assertThat(Messages.quote("grüß\t\u0000")).isEqualTo("\"grüß\\t\\x00\"");
        assertThat(Messages.quote(null)).isEqualTo("null");
    }

    @Test
    void addressesAreLiteralsWithBracketsAroundIpv6() throws UnknownHostException {
        assertThat(Messages.address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 4711)))
                .isEqualTo("127.0.0.1:4711");
        assertThat(Messages.address(new InetSocketAddress(InetAddress.getByName("::1"), 4711)))
                .isEqualTo("[::1]:4711");
        assertThat(Messages.address(new InetSocketAddress(InetAddress.getByName("fe80::1%1"), 4711)))
                .isEqualTo("[fe80:0:0:0:0:0:0:1]:4711");
        assertThat(Messages.address(null)).isEqualTo("?");
    }
}
