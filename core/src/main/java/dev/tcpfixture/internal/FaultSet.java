package dev.tcpfixture.internal;

import dev.tcpfixture.ProxyFault;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults a proxy has on, as immutable snapshots with a version: a connection's pipes compare the version with
 * the one they last read and take the new list when it changed.
 */
final class FaultSet {

    /** The faults at one moment, and the version that counts the changes. */
    record Snapshot(long version, List<ProxyFault> faults) {
    }

    private volatile Snapshot snapshot = new Snapshot(0, List.of());

    Snapshot snapshot() {
        return snapshot;
    }

    /** Adds a fault; {@code false} if an equal one is on already. */
    synchronized boolean add(ProxyFault fault) {
        if (snapshot.faults().contains(fault)) {
            return false;
        }
        List<ProxyFault> next = new ArrayList<>(snapshot.faults());
        next.add(fault);
        snapshot = new Snapshot(snapshot.version() + 1, List.copyOf(next));
        return true;
    }

    /** Removes a fault; {@code false} if it was not on. */
    synchronized boolean remove(ProxyFault fault) {
        List<ProxyFault> next = new ArrayList<>(snapshot.faults());
        if (!next.remove(fault)) {
            return false;
        }
        snapshot = new Snapshot(snapshot.version() + 1, List.copyOf(next));
        return true;
    }

    /** Removes every fault; {@code false} if there was none. */
    synchronized boolean clear() {
        if (snapshot.faults().isEmpty()) {
            return false;
        }
        snapshot = new Snapshot(snapshot.version() + 1, List.of());
        return true;
    }
}
