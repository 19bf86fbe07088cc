package dev.tcpfixture.names;

import dev.tcpfixture.names.internal.NameTable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a faked host name resolves to, lookup by lookup: an immutable value.
 *
 * <p>The first lookup of the name gets the first {@linkplain Answer answer}, the second lookup the second, and so
 * on; every lookup after the last answer gets the last one again:
 *
 * <pre>{@code
 * FakeName.resolving("data.pr4e.org", server.address().getAddress())   // always the fake server's address
 * FakeName.unknown("db.internal")                                      // UnknownHostException at once
 * FakeName.slow("slow.example", Duration.ofSeconds(2), loopback)       // answers after 2 s
 * FakeName.resolving("api.test", ipv6Loopback, ipv4Loopback)           // two addresses, in this order
 * FakeName.resolving("moved.test", oldAddress).thenResolving(newAddress) // another answer from the 2nd lookup on
 * }</pre>
 *
 * <p>Names compare without case and without the trailing dot of a fully qualified name ({@code Data.PR4E.org}
 * and {@code data.pr4e.org.} are {@code data.pr4e.org}: a fake answers all three); {@code localhost} cannot be
 * faked. Addresses must be loopback
 * addresses ({@code 127.0.0.0/8}, {@code ::1}): a faked name leads only to the fake servers of this machine.
 *
 * @param name the host name, in lower case, without a trailing dot
 * @param answers the answers, in lookup order; at least one
 * @since 0.1
 */
public record FakeName(String name, List<Answer> answers) {

    /**
     * Creates a fake; prefer the static factories.
     *
     * @param name the host name; not an address literal
     * @param answers the answers, in lookup order; at least one
     * @throws IllegalArgumentException if the name is not a host name or there is no answer
     */
    public FakeName {
        Objects.requireNonNull(name, "name");
        name = checkedName(name);
        answers = List.copyOf(answers);
        if (answers.isEmpty()) {
            throw new IllegalArgumentException("A fake of host name " + name + " needs at least one answer");
        }
    }

    /**
     * Returns a name that resolves to the given loopback addresses, in this order, at once.
     *
     * @param name the host name
     * @param addresses the addresses; at least one
     * @return the fake
     */
    public static FakeName resolving(String name, InetAddress... addresses) {
        return new FakeName(name, List.of(Answer.of(addresses)));
    }

    /**
     * Returns a name that does not exist: a lookup throws {@link UnknownHostException} at once.
     *
     * @param name the host name
     * @return the fake
     */
    public static FakeName unknown(String name) {
        return new FakeName(name, List.of(Answer.unknown()));
    }

    /**
     * Returns a name that resolves to the given loopback addresses only after {@code delay}, every lookup. A lookup
     * still waiting when the fake ends (its last registration is closed) stops waiting and gets no such host.
     *
     * @param name the host name
     * @param delay how long each lookup takes
     * @param addresses the addresses; at least one
     * @return the fake
     */
    public static FakeName slow(String name, Duration delay, InetAddress... addresses) {
        return new FakeName(name, List.of(Answer.after(delay, addresses)));
    }

    /**
     * Returns this fake with one more answer, for the next lookup after the present answers.
     *
     * @param answer the answer
     * @return a new fake
     */
    public FakeName then(Answer answer) {
        List<Answer> more = new ArrayList<>(answers);
        more.add(Objects.requireNonNull(answer, "answer"));
        return new FakeName(name, more);
    }

    /**
     * Returns this fake with one more answer: the given addresses, at once.
     *
     * @param addresses the addresses; at least one
     * @return a new fake
     */
    public FakeName thenResolving(InetAddress... addresses) {
        return then(Answer.of(addresses));
    }

    /**
     * Returns this fake with one more answer: no such host.
     *
     * @return a new fake
     */
    public FakeName thenUnknown() {
        return then(Answer.unknown());
    }

    /**
     * Returns the answer the given lookup gets: the last answer for every lookup beyond it.
     *
     * @param lookup the lookup, counted from 0
     * @return its answer
     */
    public Answer answer(int lookup) {
        return answers.get(Math.min(Math.max(lookup, 0), answers.size() - 1));
    }

    /**
     * Returns the fake as text, for example {@code data.pr4e.org -> [127.0.0.1]; then no such host}.
     *
     * @return the fake as text
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name).append(" -> ");
        for (int i = 0; i < answers.size(); i++) {
            text.append(i == 0 ? "" : "; then ").append(answers.get(i));
        }
        return text.toString();
    }

    private static String checkedName(String name) {
        String lower = NameTable.key(name); // lower case, without the trailing dot of a fully qualified name
        if (lower.isEmpty() || lower.length() > 253 || !lower.chars().allMatch(FakeName::isNameCharacter)
                || lower.startsWith(".") || lower.endsWith(".") || lower.contains("..")) {
            throw new IllegalArgumentException("Expected a host name (letters, digits, '-', '_' and '.', at most 253 "
                    + "characters), but got \"" + bounded(name) + "\"");
        }
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            throw new IllegalArgumentException("Expected a host name other than localhost, but got " + name
                    + ": localhost is the loopback address for every fake server and client of the JVM");
        }
        if (lower.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException("Expected a host name, but got the address literal " + name
                    + ": the JDK never looks up a literal, so it cannot be faked");
        }
        return lower;
    }

    private static boolean isNameCharacter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    }

    private static String bounded(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "... (" + text.length() + " characters)";
    }

    /**
     * One lookup's answer: after {@code delay}, the {@code addresses} in this order, or no such host if there are
     * none.
     *
     * @param delay how long the lookup takes; zero for at once
     * @param addresses loopback addresses, in this order; empty for a name that does not exist
     * @since 0.1
     */
    public record Answer(Duration delay, List<InetAddress> addresses) {

        /**
         * Creates an answer; prefer the static factories.
         *
         * @param delay how long the lookup takes; not negative
         * @param addresses loopback addresses, in this order; empty for no such host
         * @throws IllegalArgumentException if the delay is negative or an address is not a loopback address
         */
        public Answer {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("A lookup's delay must not be negative, was " + delay);
            }
            List<InetAddress> plain = new ArrayList<>();
            for (InetAddress address : addresses) {
                Objects.requireNonNull(address, "address");
                if (!address.isLoopbackAddress()) {
                    throw new IllegalArgumentException("Expected a loopback address (127.0.0.0/8 or ::1) for a faked "
                            + "name, but got " + address.getHostAddress() + ": a faked name leads only to this "
                            + "machine's fake servers");
                }
                try {
                    plain.add(InetAddress.getByAddress(address.getAddress())); // without a host name of its own
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("Not an address: " + address, e);
                }
            }
            addresses = List.copyOf(plain);
        }

        /**
         * Returns an answer with the given addresses, at once.
         *
         * @param addresses loopback addresses, in this order; at least one
         * @return the answer
         */
        public static Answer of(InetAddress... addresses) {
            return after(Duration.ZERO, addresses);
        }

        /**
         * Returns an answer with the given addresses after a delay.
         *
         * @param delay how long the lookup takes
         * @param addresses loopback addresses, in this order; at least one
         * @return the answer
         */
        public static Answer after(Duration delay, InetAddress... addresses) {
            if (addresses.length == 0) {
                throw new IllegalArgumentException("Expected at least one address (for a name that does not exist: "
                        + "unknown())");
            }
            return new Answer(delay, Arrays.asList(addresses));
        }

        /**
         * Returns the answer for a name that does not exist, at once.
         *
         * @return the answer
         */
        public static Answer unknown() {
            return new Answer(Duration.ZERO, List.of());
        }

        /**
         * Returns the answer for a name that does not exist, after a delay.
         *
         * @param delay how long the lookup takes
         * @return the answer
         */
        public static Answer unknownAfter(Duration delay) {
            return new Answer(delay, List.of());
        }

        /**
         * Returns whether the name exists in this answer.
         *
         * @return whether there are addresses
         */
        public boolean exists() {
            return !addresses.isEmpty();
        }

        /**
         * Returns the answer as text, for example {@code [127.0.0.1, ::1]}, {@code no such host} or
         * {@code after 2000 ms: [127.0.0.1]}.
         *
         * @return the answer as text
         */
        @Override
        public String toString() {
            String what = exists()
                    ? addresses.stream().map(InetAddress::getHostAddress).toList().toString()
                    : "no such host";
            return delay.isZero() ? what : "after " + delay.toMillis() + " ms: " + what;
        }
    }
}
