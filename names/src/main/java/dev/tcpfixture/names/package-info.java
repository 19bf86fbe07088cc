/**
 * Fake host names for the JVM under test: {@link dev.tcpfixture.names.FakeName} says what a name resolves to,
 * {@link dev.tcpfixture.names.FakeHosts} makes it so until the registration is closed, and counts the lookups.
 *
 * <p>The module's resolver is installed by the JDK when this jar is on the class path or module path at JVM start
 * (the JDK looks for a resolver once, at its first lookup); names that no one faked go to the JDK's built-in
 * resolver as before, and a faked name never reaches it.
 */
package dev.tcpfixture.names;
