package dev.tcpfixture.junit.internal;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.TlsFault;
import dev.tcpfixture.TlsVersion;
import dev.tcpfixture.junit.TcpServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one {@code @TcpServer} element asks for: its name, whether to verify, and the server options it sets,
 * as written (parsed and validated only when the server starts, by {@link ServerStarter}).
 *
 * @param name the name of the server, empty for the default server
 * @param verify whether to verify the server after each test
 * @param ipv6 whether to bind {@code ::1}
 * @param options the options the element sets to other than their defaults, as text
 */
record ServerSpec(String name, boolean verify, boolean ipv6, Map<ServerOption, String> options) {

    static ServerSpec of(TcpServer annotation) {
        Map<ServerOption, String> options = new EnumMap<>(ServerOption.class);
        if (annotation.mode() != ConnectionMode.ACCEPT) {
            options.put(ServerOption.MODE, annotation.mode().name());
        }
        if (annotation.allowUnusedScripts()) {
            options.put(ServerOption.ALLOW_UNUSED_SCRIPTS, "true");
        }
        if (annotation.tls()) {
            options.put(ServerOption.TLS, "true");
        }
        if (annotation.tlsFault().length > 0) {
            options.put(ServerOption.TLS_FAULT, Arrays.stream(annotation.tlsFault()).map(TlsFault::name)
                    .collect(Collectors.joining(", ")));
        }
        if (annotation.tlsClientAuth() != ClientAuth.NONE) {
            options.put(ServerOption.TLS_CLIENT_AUTH, annotation.tlsClientAuth().name());
        }
        if (annotation.tlsVersions().length > 0) {
            options.put(ServerOption.TLS_VERSIONS, Arrays.stream(annotation.tlsVersions()).map(TlsVersion::name)
                    .collect(Collectors.joining(", ")));
        }
        putIfSet(options, ServerOption.STEP_TIMEOUT, annotation.stepTimeout());
        putIfSet(options, ServerOption.CHARSET, annotation.charset());
        putIfSet(options, ServerOption.RECORDING_LIMIT, annotation.recordingLimit());
        putIfSet(options, ServerOption.LINE_LIMIT, annotation.lineLimit());
        putIfSet(options, ServerOption.BACKLOG, annotation.backlog());
        return new ServerSpec(annotation.value(), annotation.verify(), annotation.ipv6(), Map.copyOf(options));
    }

    private static void putIfSet(Map<ServerOption, String> options, ServerOption option, String value) {
        if (!value.isEmpty()) {
            options.put(option, value);
        }
    }

    private static void putIfSet(Map<ServerOption, String> options, ServerOption option, int value) {
        if (value != TcpServer.UNSET) {
            options.put(option, Integer.toString(value));
        }
    }

    /**
     * Returns the attributes this element sets to a non-default value that the existing server was not created
     * with.
     */
    List<String> conflictsWith(ServerSpec existing) {
        List<String> conflicts = new ArrayList<>();
        if (ipv6 && !existing.ipv6) {
            conflicts.add("ipv6 = true, but it was created with ipv6 = false");
        }
        if (!verify && existing.verify) {
            conflicts.add("verify = false, but it was created with verify = true");
        }
        for (ServerOption option : ServerOption.values()) {
            String value = options.get(option);
            String existingValue = existing.options.get(option);
            if (value != null && !value.equals(existingValue)) {
                conflicts.add(attribute(option, value) + ", but it was created with "
                        + (existingValue == null ? "the default " + option.optionName()
                                : attribute(option, existingValue)));
            }
        }
        return conflicts;
    }

    /**
     * Returns an attribute as written: {@code lineLimit = 80}, {@code charset = "ISO-8859-1"},
     * {@code tlsFault = {EXPIRED, WRONG_HOST}}.
     */
    static String attribute(ServerOption option, String value) {
        if (option == ServerOption.TLS_FAULT && value.contains(",") || option == ServerOption.TLS_VERSIONS) {
            return option.optionName() + " = {" + value + "}";
        }
        boolean text = option == ServerOption.STEP_TIMEOUT || option == ServerOption.CHARSET;
        return option.optionName() + " = " + (text ? "\"" + value + "\"" : value);
    }

    /** Returns how the server is written in the test: {@code @TcpServer} or {@code @TcpServer("name")}. */
    String label() {
        return name.isEmpty() ? "@TcpServer" : "@TcpServer(\"" + name + "\")";
    }
}
