# The tutorial's socket client (socket1.py) wrapped in TLS: the same connect, send and recv loop, over a socket
# that Python's ssl module wraps with a context trusting only the CA certificate in the PEM file given on the
# command line. The host name (here an address literal) is checked against the certificate, as any TLS client does.
import socket
import ssl
import sys

host, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]

context = ssl.create_default_context(cafile=cafile)
plain = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
plain.settimeout(10)
mysock = context.wrap_socket(plain, server_hostname=host)
mysock.connect((host, port))
cmd = 'GET http://data.pr4e.org/romeo.txt HTTP/1.0\r\n\r\n'.encode()
mysock.send(cmd)

while True:
    data = mysock.recv(512)
    if len(data) < 1:
        break
    print(data.decode(), end='')

print(mysock.version(), file=sys.stderr)
mysock.close()
