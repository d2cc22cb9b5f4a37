# A one-shot HTTP server on 127.0.0.1:PORT: it saves the request it reads to
# request.bin and answers with response.bin, so a recording of the exchange can be
# checked byte for byte against what really went over the socket.
import socket, sys
port = int(sys.argv[1])
body = bytes((i * 7 + i // 251) % 256 for i in range(3000))
resp = b"HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 3000\r\n\r\n" + body
open("response.bin", "wb").write(resp)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(1)
open("ready", "w").close()
c, _ = s.accept()
req = b""
while b"\r\n\r\n" not in req:
    req += c.recv(4096)
open("request.bin", "wb").write(req)
c.sendall(resp)
c.close()
s.close()
