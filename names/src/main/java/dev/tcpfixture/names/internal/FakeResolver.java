package dev.tcpfixture.names.internal;

import dev.tcpfixture.names.FakeName;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JVM's resolver while this module is on its class path: answers faked names from the {@link NameTable}, and
 * hands every other lookup, and every reverse lookup, to the JDK's built-in resolver unchanged.
 */
final class FakeResolver implements InetAddressResolver {

    private final InetAddressResolver builtin;
    private final NameTable table;

    FakeResolver(InetAddressResolver builtin, NameTable table) {
        this.builtin = builtin;
        this.table = table;
    }

    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        NameTable.Entry entry = table.find(host);
        if (entry == null) {
            return builtin.lookupByName(host, policy);
        }
        FakeName.Answer answer = entry.nextAnswer();
        if (!answer.delay().isZero()) {
            delay(host, entry, answer);
        }
        if (!answer.exists()) {
            throw new UnknownHostException(host + ": Name or service not known (faked by tcpfixture-names)");
        }
        List<InetAddress> result = new ArrayList<>(answer.addresses().size());
        int characteristics = policy.characteristics();
        for (InetAddress address : answer.addresses()) {
            boolean v4 = address instanceof Inet4Address;
            if (v4 ? (characteristics & LookupPolicy.IPV4) != 0 : (characteristics & LookupPolicy.IPV6) != 0) {
                // the looked-up name as the address's host name: getHostName() needs no reverse lookup
                result.add(InetAddress.getByAddress(host, address.getAddress()));
            }
        }
        if (result.isEmpty()) {
            throw new UnknownHostException(host + ": no address of the family asked for (faked by tcpfixture-names: "
                    + answer + ")");
        }
        if ((characteristics & LookupPolicy.IPV4_FIRST) != 0) {
            result.sort(Comparator.comparing(address -> address instanceof Inet6Address)); // stable: v4 first
        } else if ((characteristics & LookupPolicy.IPV6_FIRST) != 0) {
            result.sort(Comparator.comparing(address -> address instanceof Inet4Address));
        }
        return result.stream();
    }

    /**
     * The fault itself, a slow name server: waits the answer's delay, or until the fake ends; a lookup whose fake
     * ended meanwhile gets no such host (never the JDK's resolver: the name was faked when it was looked up).
     */
    private static void delay(String host, NameTable.Entry entry, FakeName.Answer answer)
            throws UnknownHostException {
        boolean endedEarly;
        try {
            endedEarly = entry.delayEndedEarly(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            UnknownHostException failure = new UnknownHostException(host + ": lookup interrupted while it was "
                    + "delayed (faked by tcpfixture-names: " + answer + ")");
            failure.initCause(e);
            throw failure;
        }
        if (endedEarly) {
            throw new UnknownHostException(host + ": the fake ended while the lookup was delayed (faked by "
                    + "tcpfixture-names: " + answer + ")");
        }
    }

    /**
     * Always the JDK's built-in resolver: a fake changes only lookups of its name, never what the rest of the JVM
     * gets for an address (a loopback address's name comes from the hosts file, as without the module).
     */
    @Override
    public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return builtin.lookupByAddress(addr);
    }
}
