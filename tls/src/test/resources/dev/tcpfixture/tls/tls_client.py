"""A TLS client with Python's ssl module, trusting only the CA certificates of a PEM file.

Usage: tls_client.py CAFILE SERVER_HOSTNAME PORT ROUNDS

Each round connects to 127.0.0.1:PORT (the host name is only what the certificate is checked against), sends
"hello" and reads the line that comes back. It prints one line per round:
  ok <TLS version> <reply>
  verify-error <OpenSSL verify code> <verify message>
  error <exception type> <message>
"""
import socket
import ssl
import sys

cafile, server_hostname, port, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
context = ssl.create_default_context(cafile=cafile)  # verifies the chain and the host name
# the stricter checks that Python 3.13 turns on by default (key usage, key identifiers, CA flags)
context.verify_flags |= ssl.VERIFY_X509_STRICT

for _ in range(rounds):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as plain:
            with context.wrap_socket(plain, server_hostname=server_hostname) as tls:
                tls.sendall(b"hello\n")
                reply = tls.makefile("rb").readline().decode().strip()
                print("ok", tls.version(), reply, flush=True)
    except ssl.SSLCertVerificationError as e:
        print("verify-error", e.verify_code, e.verify_message, flush=True)
    except Exception as e:  # reported for the test to show, not hidden
        print("error", type(e).__name__, e, flush=True)
