/**
 * The fake TCP server: {@link dev.tcpfixture.FakeTcpServer}, its {@link dev.tcpfixture.Script}s and
 * {@link dev.tcpfixture.ConnectionMode}s, and the {@link dev.tcpfixture.RecordedConnection}s it keeps. The only
 * package of the module {@code dev.tcpfixture} that other modules can read.
 *
 * <p>Failure messages share one voice and one format: a top-level message reads {@code Expected ..., but ...}
 * and names the server as {@code fake TCP server 127.0.0.1:4000}; durations read {@code 250 ms} or
 * {@code 1.5 s}; bytes are quoted as in transcripts ({@code "caf\xE9"}, exactly as the client sent them), and
 * every message is bounded whatever the payloads: a quoted payload shows at most its first and last 128 bytes,
 * a transcript at most 64 KiB, a list at most 20 connections or failures, each with where the whole record is.
 *
 * @since 0.1
 */
package dev.tcpfixture;
