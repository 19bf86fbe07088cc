/**
 * Internal implementation of the fake TCP server. Not API: anything here may change in any release; use
 * the types in {@code dev.tcpfixture}. On the module path this package is exported to the JUnit extension
 * ({@code dev.tcpfixture.junit}) only, for {@link dev.tcpfixture.internal.Messages}, the message formatting
 * both share; no other module can read it.
 */
package dev.tcpfixture.internal;
