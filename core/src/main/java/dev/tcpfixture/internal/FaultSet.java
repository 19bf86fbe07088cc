package dev.tcpfixture.internal;

import dev.tcpfixture.ProxyFault;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults a proxy has on, as immutable snapshots with a version: a connection's pipes compare the version with
 * the one they last read and take the new list when it changed. Each fault added gets a number of its own, so that
 * a fault removed and an equal one added again are two faults: the new one starts afresh on every connection.
 */
final class FaultSet {

    /** A fault as added: its number tells it from an equal fault added before or after it. */
    record Added(long number, ProxyFault fault) {
    }

    /** The faults at one moment, and the version that counts the changes. */
    record Snapshot(long version, List<Added> added) {

        /** The faults, in the order they were added. */
        List<ProxyFault> faults() {
            return added.stream().map(Added::fault).toList();
        }
    }

    private volatile Snapshot snapshot = new Snapshot(0, List.of());
    private long numbers; // guarded by this

    Snapshot snapshot() {
        return snapshot;
    }

    /** Adds a fault; {@code false} if an equal one is on already. */
    synchronized boolean add(ProxyFault fault) {
        if (indexOf(fault) >= 0) {
            return false;
        }
        List<Added> next = new ArrayList<>(snapshot.added());
        next.add(new Added(++numbers, fault));
        snapshot = new Snapshot(snapshot.version() + 1, List.copyOf(next));
        return true;
    }

    /** Removes a fault; {@code false} if it was not on. */
    synchronized boolean remove(ProxyFault fault) {
        int index = indexOf(fault);
        if (index < 0) {
            return false;
        }
        List<Added> next = new ArrayList<>(snapshot.added());
        next.remove(index);
        snapshot = new Snapshot(snapshot.version() + 1, List.copyOf(next));
        return true;
    }

    /** Removes every fault; {@code false} if there was none. */
    synchronized boolean clear() {
        if (snapshot.added().isEmpty()) {
            return false;
        }
        snapshot = new Snapshot(snapshot.version() + 1, List.of());
        return true;
    }

    private int indexOf(ProxyFault fault) {
        List<Added> added = snapshot.added();
        for (int i = 0; i < added.size(); i++) {
            if (added.get(i).fault().equals(fault)) {
                return i;
            }
        }
        return -1;
    }
}
