#!/usr/bin/env python3
"""A tiny FastCGI responder, standard library only, started separately like the Flask/web.py
guides' flup app: WSGIServer(app, bindAddress='/path/to/fcgi.sock').run(). It listens on the unix
socket given as its only argument (the path must be exactly the one in lighttpd's config), or
without an argument on the socket lighttpd passes as fd 0 when it spawns the app (bin-path), and
answers every request with the CGI variables lighttpd sent, as text:
APP=python, SCRIPT_NAME, PATH_INFO, REQUEST_URI.

Protocol: FastCGI 1.0 (fastcgi.com spec): 8-byte record headers, BEGIN_REQUEST / PARAMS / STDIN
in, STDOUT / END_REQUEST out; keep-alive connections and several requests per connection work.
"""
import os
import socket
import socketserver
import struct
import sys

BEGIN_REQUEST, ABORT_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT = 1, 2, 3, 4, 5, 6
GET_VALUES, GET_VALUES_RESULT, UNKNOWN_TYPE = 9, 10, 11
KEEP_CONN = 1


def read_exact(rfile, n):
    data = rfile.read(n)
    if data is None or len(data) < n:
        raise EOFError
    return data


def read_record(rfile):
    version, rtype, req_id, clen, plen, _ = struct.unpack("!BBHHBB", read_exact(rfile, 8))
    content = read_exact(rfile, clen) if clen else b""
    if plen:
        read_exact(rfile, plen)
    return rtype, req_id, content


def record(rtype, req_id, content=b""):
    out = b""
    for i in range(0, max(len(content), 1), 65535):
        chunk = content[i:i + 65535]
        pad = (8 - len(chunk) % 8) % 8
        out += struct.pack("!BBHHBB", 1, rtype, req_id, len(chunk), pad, 0) + chunk + b"\0" * pad
    return out


def name_values(data):
    pairs, i = {}, 0
    def length():
        nonlocal i
        if data[i] < 128:
            i += 1
            return data[i - 1]
        n = struct.unpack("!I", data[i:i + 4])[0] & 0x7FFFFFFF
        i += 4
        return n
    while i < len(data):
        nl = length()
        vl = length()
        pairs[data[i:i + nl].decode("latin-1")] = data[i + nl:i + nl + vl].decode("latin-1")
        i += nl + vl
    return pairs


def encode_pair(name, value):
    def ln(n):
        return bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)
    return ln(len(name)) + ln(len(value)) + name + value


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        requests = {}
        try:
            while True:
                rtype, req_id, content = read_record(self.rfile)
                if rtype == GET_VALUES:
                    reply = b"".join(encode_pair(k, v) for k, v in ((b"FCGI_MAX_CONNS", b"16"), (b"FCGI_MAX_REQS", b"16"), (b"FCGI_MPXS_CONNS", b"0")))
                    self.wfile.write(record(GET_VALUES_RESULT, 0, reply))
                elif rtype == BEGIN_REQUEST:
                    flags = content[2]
                    requests[req_id] = {"params": b"", "keep": bool(flags & KEEP_CONN)}
                elif rtype == PARAMS and req_id in requests:
                    requests[req_id]["params"] += content
                elif rtype == STDIN and req_id in requests and not content:
                    req = requests.pop(req_id)
                    self.respond(req_id, name_values(req["params"]))
                    if not req["keep"]:
                        return
                elif rtype == ABORT_REQUEST:
                    requests.pop(req_id, None)
                    self.wfile.write(record(END_REQUEST, req_id, struct.pack("!IB3x", 0, 0)))
                elif rtype not in (PARAMS, STDIN):
                    self.wfile.write(record(UNKNOWN_TYPE, 0, struct.pack("!B7x", rtype)))
        except (EOFError, ConnectionError):
            return

    def respond(self, req_id, env):
        body = "".join(f"{k}={env.get(k, '(unset)')}\n" for k in ("SCRIPT_NAME", "PATH_INFO", "REQUEST_URI"))
        out = ("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nAPP=python\n" + body).encode("latin-1")
        self.wfile.write(record(STDOUT, req_id, out) + record(STDOUT, req_id) + record(END_REQUEST, req_id, struct.pack("!IB3x", 0, 0)))
        self.wfile.flush()


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    if len(sys.argv) == 1:
        # spawned by lighttpd (bin-path): the listening socket is fd 0 (FCGI_LISTENSOCK_FILENO), as flup does without bindAddress
        server = Server("", Handler, bind_and_activate=False)
        server.socket.close()
        server.socket = socket.socket(fileno=0)
        server.serve_forever()
        return
    if len(sys.argv) != 2:
        sys.exit("usage: fcgi_app.py [/path/to/fcgi.sock]")
    path = sys.argv[1]
    try:
        os.unlink(path)  # like flup: a stale socket of our own is replaced
    except FileNotFoundError:
        pass
    with Server(path, Handler) as server:
        os.chmod(path, 0o660)
        server.serve_forever()


if __name__ == "__main__":
    main()
