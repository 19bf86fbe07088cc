/**
 * Internal implementation of the fake TCP server. Not API: anything here may change in any release; use
 * the types in {@code dev.tcpfixture}.
 */
package dev.tcpfixture.internal;
