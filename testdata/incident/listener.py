"""Loopback listener for the reverse shell of testdata/make-incident.sh: accepts one
connection, sends a few commands, prints what comes back, and exits."""
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, port))
srv.listen(1)
srv.settimeout(60)
conn, _ = srv.accept()
conn.sendall(b"id; uname -n; exit\n")
conn.settimeout(10)
try:
    while True:
        data = conn.recv(4096)
        if not data:
            break
        sys.stdout.write(data.decode(errors="replace"))
except socket.timeout:
    pass
conn.close()
