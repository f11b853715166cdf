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

sys.dont_write_bytecode = True  # no __pycache__ beside the tests (it may run as the server user)
from fcgi_protocol import (ABORT_REQUEST, BEGIN_REQUEST, GET_VALUES, GET_VALUES_RESULT, KEEP_CONN, PARAMS, STDIN, STDOUT,  # noqa: E402
                           UNKNOWN_TYPE, encode_pair, end_request, name_values, read_record, record)


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
                    self.wfile.write(end_request(req_id))
                elif rtype not in (PARAMS, STDIN):
                    self.wfile.write(record(UNKNOWN_TYPE, 0, struct.pack("!B7x", rtype)))
        except (EOFError, ConnectionError):
            return

    def respond(self, req_id, env):
        body = "".join(f"{k}={env.get(k, '(unset)')}\n" for k in ("SCRIPT_NAME", "PATH_INFO", "REQUEST_URI"))
        out = ("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nAPP=python\n" + body).encode("latin-1")
        self.wfile.write(record(STDOUT, req_id, out) + record(STDOUT, req_id) + end_request(req_id))
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
