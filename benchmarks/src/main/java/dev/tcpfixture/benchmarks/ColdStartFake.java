package dev.tcpfixture.benchmarks;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;

/**
 * Cold start, the fake server's side: what a test JVM pays the first time it uses a {@link FakeTcpServer}. A
 * fresh JVM starts a server with default options, makes one round trip with the benchmarks' plain
 * {@link java.net.Socket} client ({@code PING}, answered by {@code PONG}), verifies, closes and exits. Timed from
 * outside as a whole process, side by side with {@link ColdStartRaw}:
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.tcpfixture.benchmarks.ColdStartFake
 * </pre>
 *
 * <p>Prints nothing; a wrong answer, a recorded failure or a thread left running ends it with a non-zero exit
 * status. Nothing else runs in it: the time is the JVM's start, the classes this path loads and initializes,
 * and the exchange itself.
 */
public final class ColdStartFake {

    private ColdStartFake() {
    }

    public static void main(String[] args) throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().expectLine(Exchange.REQUEST_LINE).sendLine(Exchange.ANSWER_LINE));
            Client.roundtrip(Client.Protocol.LINE, server.address());
            server.verify();
        }
    }
}
