#!/usr/bin/env python3
"""A FastCGI responder for the convert e2e tests (stdlib only).

Usage: fcgi_echo.py [--scgi | --http] unix:/path/to/sock | HOST:PORT

--scgi answers SCGI with the same JSON; --http is an HTTP server answering with the request line's
path and the Host header (for reverse-proxy comparisons).

Answers every request with 200 and a JSON object of the parameters an app reads to route
(SCRIPT_NAME, PATH_INFO, QUERY_STRING, REQUEST_URI, ...); a parameter the server did not send
is null, so "absent" and "empty" stay apart. One request per connection unless FCGI_KEEP_CONN.
"""
import json
import os
import socket
import sys
import threading

sys.dont_write_bytecode = True  # no __pycache__ beside the tests
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fcgi_protocol import ABORT_REQUEST, BEGIN_REQUEST, GET_VALUES, GET_VALUES_RESULT, PARAMS, STDIN, STDOUT, end_request, name_values, read_record, record  # noqa: E402

KEYS = ["SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "REQUEST_URI", "REQUEST_METHOD", "DOCUMENT_URI", "SCRIPT_FILENAME"]


def handle(conn):
    f = conn.makefile("rb")
    try:
        while True:
            params, rid, keep = b"", None, False
            while True:
                rtype, r, content = read_record(f)
                if rtype == BEGIN_REQUEST:
                    rid, keep = r, bool(content[2] & 1)
                elif rtype == PARAMS:
                    params += content
                elif rtype == STDIN and not content:
                    break
                elif rtype == GET_VALUES:
                    conn.sendall(record(GET_VALUES_RESULT, 0))
                elif rtype == ABORT_REQUEST:
                    return
            env = name_values(params)
            body = json.dumps({k: env.get(k) for k in KEYS}, sort_keys=True).encode()
            head = b"Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
            conn.sendall(record(STDOUT, rid, head + body) + record(STDOUT, rid) + end_request(rid))
            if not keep:
                return
    except (EOFError, ConnectionError):
        pass
    finally:
        f.close()
        conn.close()


def handle_scgi(conn):
    try:
        f = conn.makefile("rb")
        size = b""
        while not size.endswith(b":"):
            c = f.read(1)
            if not c or len(size) > 10:
                return
            size += c
        data = f.read(int(size[:-1]))
        fields = data.split(b"\0")
        env = {fields[i].decode("latin-1"): fields[i + 1].decode("latin-1") for i in range(0, len(fields) - 1, 2)}
        f.read(1)  # ","
        body = json.dumps({k: env.get(k) for k in KEYS}, sort_keys=True).encode()
        conn.sendall(b"Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    finally:
        conn.close()


def handle_http(conn):
    try:
        f = conn.makefile("rb")
        line = f.readline(65536).decode("latin-1").split(" ")
        headers = {}
        while True:
            h = f.readline(65536).decode("latin-1").strip()
            if not h:
                break
            k, _, v = h.partition(":")
            headers[k.strip().lower()] = v.strip()
        body = json.dumps({"BACKEND_PATH": line[1] if len(line) > 1 else None, "HOST": headers.get("host")}, sort_keys=True).encode()
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
    finally:
        conn.close()


def main():
    mode = handle
    if sys.argv[1] in ("--scgi", "--http"):
        mode = handle_scgi if sys.argv.pop(1) == "--scgi" else handle_http
    addr = sys.argv[1]
    if addr.startswith("unix:"):
        path = addr[5:]
        if os.path.exists(path):
            os.unlink(path)
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(path)
        os.chmod(path, 0o666)
    else:
        host, port = addr.rsplit(":", 1)
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((host, int(port)))
    srv.listen(64)
    print("listening", addr, flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=mode, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
