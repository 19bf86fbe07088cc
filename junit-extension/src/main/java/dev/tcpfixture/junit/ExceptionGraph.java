package dev.tcpfixture.junit;

import dev.tcpfixture.internal.Messages;
import dev.tcpfixture.junit.internal.Wording;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The exceptions a client's exception holds: itself, its cause and its suppressed exceptions, and theirs, each
 * once. Client libraries put the socket's exception in either place: Jedis, for one, throws a
 * {@code JedisConnectionException} with the {@code ConnectException} among its suppressed exceptions.
 */
final class ExceptionGraph {

    /** The most exceptions a message shows. */
    static final int MAX_SHOWN = 20;

    /** The deepest an exception a message shows lies below the one thrown. */
    static final int MAX_DEPTH = 8;

    /** The most characters of one exception's message a message shows. */
    static final int MAX_MESSAGE = 256;

    /** The most exceptions visited: a bound for generated graphs, far above any real client's. */
    private static final int MAX_VISITED = 10_000;

    private ExceptionGraph() {
    }

    /**
     * Returns the first exception in the graph of {@code thrown}, depth first (itself, then its cause and what
     * that holds, then its suppressed exceptions in order), that matches; each exception is visited once, so a
     * cycle ends the walk.
     *
     * @return the exception, or {@code null} if none matches
     */
    static Throwable find(Throwable thrown, Predicate<Throwable> matches) {
        for (Node node : walk(thrown)) {
            if (!node.repeated && matches.test(node.throwable)) {
                return node.throwable;
            }
        }
        return null;
    }

    /**
     * Shows the graph of {@code thrown} as an indented tree, one exception a line, each line prefixed by
     * {@code indent}: at most {@link #MAX_SHOWN} exceptions, none deeper than {@link #MAX_DEPTH}, each message at
     * most {@link #MAX_MESSAGE} characters; an exception met again is named, not expanded.
     */
    static String describe(Throwable thrown, String indent) {
        List<Node> nodes = walk(thrown);
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (Node node : nodes) {
            if (shown == MAX_SHOWN || node.depth > MAX_DEPTH) {
                continue;
            }
            if (shown > 0) {
                text.append(Wording.NEWLINE);
            }
            text.append(indent).append("  ".repeat(node.depth)).append(node.relation)
                    .append(node.repeated ? "(again) " : "").append(oneLine(node.throwable));
            shown++;
        }
        if (nodes.size() > shown) {
            text.append(Wording.NEWLINE).append(indent).append("... ")
                    .append(Messages.count(nodes.size() - shown, "more exception", "more exceptions"))
                    .append(nodes.size() == MAX_VISITED ? " at least" : "");
        }
        return text.toString();
    }

    /** Returns {@code java.io.IOException: message}, on one line and bounded, as {@code toString()} would. */
    static String oneLine(Throwable throwable) {
        String message = throwable.getLocalizedMessage();
        String name = throwable.getClass().getName();
        if (message == null) {
            return name;
        }
        String visible = Messages.abbreviate(message, MAX_MESSAGE).replace("\r", "\\r").replace("\n", "\\n");
        return name + ": " + visible;
    }

    private static List<Node> walk(Throwable thrown) {
        List<Node> nodes = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        // an explicit stack, in reverse order of the visit: a deep chain of causes must not overflow the stack
        List<Node> stack = new ArrayList<>();
        stack.add(new Node(thrown, 0, "", false));
        while (!stack.isEmpty() && nodes.size() < MAX_VISITED) {
            Node node = stack.remove(stack.size() - 1);
            boolean repeated = !seen.add(node.throwable);
            nodes.add(repeated ? new Node(node.throwable, node.depth, node.relation, true) : node);
            if (repeated) {
                continue;
            }
            Throwable[] suppressed = node.throwable.getSuppressed();
            for (int i = suppressed.length - 1; i >= 0; i--) {
                stack.add(new Node(suppressed[i], node.depth + 1, "suppressed: ", false));
            }
            Throwable cause = node.throwable.getCause();
            if (cause != null) {
                stack.add(new Node(cause, node.depth + 1, "caused by: ", false));
            }
        }
        return nodes;
    }

    private record Node(Throwable throwable, int depth, String relation, boolean repeated) {
    }
}
