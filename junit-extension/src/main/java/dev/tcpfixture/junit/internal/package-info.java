/**
 * Internal implementation of the JUnit Jupiter extension. Not API: anything here may change in any
 * release; use the types in {@code dev.tcpfixture.junit}.
 */
package dev.tcpfixture.junit.internal;
