"""FastCGI 1.0 records (fastcgi.com spec) for the e2e tests' stdlib responders (fcgi_app.py,
convert/fcgi_echo.py): 8-byte record headers, name-value pairs. `rfile` is a binary file object
(a socket's makefile("rb") or socketserver's rfile)."""
import struct

BEGIN_REQUEST, ABORT_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT = 1, 2, 3, 4, 5, 6
GET_VALUES, GET_VALUES_RESULT, UNKNOWN_TYPE = 9, 10, 11
KEEP_CONN = 1


def read_exact(rfile, n):
    data = rfile.read(n)
    if data is None or len(data) < n:
        raise EOFError
    return data


def read_record(rfile):
    """(type, request id, content) of the next record."""
    version, rtype, req_id, clen, plen, _ = struct.unpack("!BBHHBB", read_exact(rfile, 8))
    content = read_exact(rfile, clen) if clen else b""
    if plen:
        read_exact(rfile, plen)
    return rtype, req_id, content


def record(rtype, req_id, content=b""):
    """One or more records carrying `content` (a record holds at most 65535 bytes), padded to 8."""
    out = b""
    for i in range(0, max(len(content), 1), 65535):
        chunk = content[i:i + 65535]
        pad = (8 - len(chunk) % 8) % 8
        out += struct.pack("!BBHHBB", 1, rtype, req_id, len(chunk), pad, 0) + chunk + b"\0" * pad
    return out


def end_request(req_id):
    return record(END_REQUEST, req_id, struct.pack("!IB3x", 0, 0))


def name_values(data):
    """The name-value pairs of PARAMS content, as latin-1 strings."""
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
