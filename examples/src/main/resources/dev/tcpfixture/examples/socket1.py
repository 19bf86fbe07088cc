# The classic tutorial's socket client, unchanged but for where it connects: the tutorial connects to
# ('data.pr4e.org', 80); here the host and port come from the command line, so that a test can point it
# at a fake server on loopback. The request line still names the tutorial's URL, as text only.
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])

mysock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
mysock.settimeout(10)
mysock.connect((host, port))
cmd = 'GET http://data.pr4e.org/romeo.txt HTTP/1.0\r\n\r\n'.encode()
mysock.send(cmd)

while True:
    data = mysock.recv(512)
    if len(data) < 1:
        break
    print(data.decode(), end='')

mysock.close()
