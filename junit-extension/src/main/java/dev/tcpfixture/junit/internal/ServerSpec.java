package dev.tcpfixture.junit.internal;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.junit.TcpServer;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@code @TcpServer} element asks for.
 *
 * @param name the name of the server, empty for the default server
 * @param ipv6 whether to bind {@code ::1}
 * @param mode the initial connection mode
 * @param verify whether to verify the server after each test
 */
record ServerSpec(String name, boolean ipv6, ConnectionMode mode, boolean verify) {

    static ServerSpec of(TcpServer annotation) {
        return new ServerSpec(annotation.value(), annotation.ipv6(), annotation.mode(), annotation.verify());
    }

    /**
     * Returns the attributes this element sets to a non-default value that the existing server does not have.
     */
    List<String> conflictsWith(ServerSpec existing) {
        List<String> conflicts = new ArrayList<>();
        if (ipv6 && !existing.ipv6) {
            conflicts.add("ipv6 = true, but it was created with ipv6 = false");
        }
        if (mode != ConnectionMode.ACCEPT && mode != existing.mode) {
            conflicts.add("mode = " + mode + ", but it was created with mode = " + existing.mode);
        }
        if (!verify && existing.verify) {
            conflicts.add("verify = false, but it was created with verify = true");
        }
        return conflicts;
    }

    /** Returns how the server is written in the test: {@code @TcpServer} or {@code @TcpServer("name")}. */
    String label() {
        return name.isEmpty() ? "@TcpServer" : "@TcpServer(\"" + name + "\")";
    }
}
