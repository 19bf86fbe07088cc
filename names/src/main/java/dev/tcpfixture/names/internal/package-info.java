/**
 * The implementation of {@code dev.tcpfixture.names}: the table of faked names, the JDK resolver that answers from
 * it, and the check that the JVM really uses that resolver without caching. Not exported.
 */
package dev.tcpfixture.names.internal;
