package dev.tcpfixture.namescheck;

import dev.tcpfixture.names.FakeHosts;
import dev.tcpfixture.names.FakeName;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Run by FreshJvmTest in a JVM of its own: fakes a name and looks it up, or reports why it cannot, on one line.
 * In a package of its own, so that it stays on the class path when the module is on the module path.
 */
public final class FreshJvmMain {

    private FreshJvmMain() {
    }

    public static void main(String[] args) throws UnknownHostException {
        try (FakeHosts.Registration names = FakeHosts.register(
                FakeName.resolving("data.pr4e.org", InetAddress.getLoopbackAddress()),
                FakeName.unknown("db.internal"))) {
            String address = InetAddress.getByName("data.pr4e.org").getHostAddress();
            boolean unknown;
            try {
                InetAddress.getByName("db.internal");
                unknown = false;
            } catch (UnknownHostException e) {
                unknown = true;
            }
            System.out.println("resolved " + address + ", unknown " + unknown + ", lookups "
                    + names.lookupCount("data.pr4e.org") + ", named module "
                    + FakeHosts.class.getModule().isNamed());
        } catch (IllegalStateException e) {
            System.out.println("failed: " + e.getMessage());
        }
    }
}
