package dev.tcpfixture.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A snapshot of this JVM's memory and threads, taken after garbage collection. */
record ProcessMemory(long heapUsedBytes, long rssBytes, int osThreads, int javaThreads) {

    private static final int MAX_GC_ROUNDS = 5;

    /** Collects garbage (until the heap stops shrinking, at most a few rounds), then takes the snapshot. */
    static ProcessMemory afterGc() {
        long used = Long.MAX_VALUE;
        for (int round = 0; round < MAX_GC_ROUNDS; round++) {
            System.gc();
            long now = heapUsed();
            if (now >= used - 64 * 1024) {
                used = Math.min(used, now);
                break;
            }
            used = now;
        }
        return new ProcessMemory(heapUsed(), statusValue("VmRSS:") * 1024, (int) statusValue("Threads:"),
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A number from /proc/self/status (Linux), or -1 where there is none. */
    static long statusValue(String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: reported as unknown
        }
        return -1;
    }

    String encode() {
        return heapUsedBytes + " " + rssBytes + " " + osThreads + " " + javaThreads;
    }

    static ProcessMemory decode(String text) {
        String[] parts = text.trim().split(" ");
        return new ProcessMemory(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Integer.parseInt(parts[2]),
                Integer.parseInt(parts[3]));
    }
}
