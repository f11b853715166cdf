import json, sys
sys.path.insert(0, "/tmp/schema")
from desc import D, HOST, REMOVED_DESC
d = json.load(open("/tmp/schema/keys-by-tag.json"))
tags = list(d)
def ver(t): return "master" if t == "master" else t[len("lighttpd-"):]
TY = {"T_CONFIG_STRING":"string","T_CONFIG_SHORT":"short","T_CONFIG_INT":"int","T_CONFIG_BOOL":"bool","T_CONFIG_BOOLEAN":"bool",
      "T_CONFIG_ARRAY":"array","T_CONFIG_ARRAY_KVANY":"array-kv-any","T_CONFIG_ARRAY_KVARRAY":"array-kv-array",
      "T_CONFIG_ARRAY_KVSTRING":"array-kv-string","T_CONFIG_ARRAY_VLIST":"array-vlist","T_CONFIG_LOCAL":"array"}
SC = {"T_CONFIG_SCOPE_SERVER":"server","T_CONFIG_SCOPE_CONNECTION":"connection","T_CONFIG_SCOPE_SOCKET":"socket"}
SKIP = {"server.breakagelog-placeholder-moved-to-config-insert","server.errorlog-placeholder-moved-to-config-insert",
        "skeleton.array","unused-slot-moved-to-mod-openssl","min-procs-not-working","balance"}
TLS = ["mod_openssl","mod_boringssl","mod_gnutls","mod_mbedtls","mod_nss","mod_wolfssl"]
HOSTKEYS = set(HOST)
def pick(entries):
    pref = ["core:configfile","core:network","mod_openssl"]
    for p in pref:
        for e in entries:
            if e[0]==p: return e
    return entries[0]
def mod_of(entries):
    mods = sorted(set(e[0].replace("mod_secure_download","mod_secdownload") for e in entries))
    core = [m for m in mods if m.startswith("core:")]
    if core: return "core", None
    if any(m in TLS for m in mods):
        ordered = [m for m in TLS if m in mods]
        return ordered[0], ordered
    if len(mods) > 1:
        # e.g. secdownload.* declared by mod_secdownload and mod_secure_download over time
        return mods[-1], None
    return mods[0], None
i56 = tags.index("lighttpd-1.4.56")
LITERAL_FIRST = json.load(open("/tmp/schema/first-literal.json"))
hist = {}
for i,t in enumerate(tags):
    for k,v in d[t].items():
        if k in SKIP or k in HOSTKEYS: continue
        hist.setdefault(k, []).append((i, v))
keys = []
for k, occ in hist.items():
    first = occ[0][0]; last = occ[-1][0]
    latest = occ[-1][1]
    allentries = [e for _,v in occ for e in v]
    module, modules = mod_of(latest)
    e = pick(latest)
    item = {"key": k, "module": module}
    if modules and len(modules) > 1: item["modules"] = modules
    ty = TY.get(e[1], "string"); sc = SC.get(e[2], "connection")
    if ty is None: continue
    item["type"] = ty; item["scope"] = sc
    # history from 1.4.56 on
    h = []; prev = None
    for i, v in occ:
        if i < i56: continue
        ee = pick(v); cur = (TY.get(ee[1]), SC.get(ee[2]))
        if cur != prev:
            h.append({"from": ver(tags[i]), "type": cur[0], "scope": cur[1]}); prev = cur
    if len(h) > 1: item["history"] = h
    item["since"] = ver(tags[first])
    # keys named through macros before 1.4.56 (mod_magnet, mod_dirlisting): first release with the literal
    lit = LITERAL_FIRST.get(k)
    if item["since"] == "1.4.56" and lit and tags.index(lit) < first: item["since"] = ver(lit)
    if tags[last] != "master":
        item["removed"] = ver(tags[last+1])
    if k in D:
        desc, default = D[k]
        item["description"] = desc
        if default: item["default"] = default
    elif k in REMOVED_DESC:
        item["description"] = REMOVED_DESC[k][0]
    else:
        item["description"] = f"Key of {module}" + (f" (removed in {item['removed']} with the module)" if "removed" in item else "") + "."
        if "removed" not in item: print("MISSING DESC", k, file=sys.stderr)
    keys.append(item)
# keys that only ever existed as T_CONFIG_DEPRECATED entries (multi-line, not extracted), removed in 1.4.41
for k in ["server.host","server.docroot","server.virtual-root","server.virtual-default-host","server.virtual-docroot","server.userid","server.groupid","server.use-keep-alive","server.force-lower-case-files"]:
    existing = [x for x in keys if x["key"] == k]
    if existing:
        existing[0]["removed"] = "1.4.41" if existing[0].get("removed","") in ("1.4.9",) else existing[0]["removed"]
        existing[0]["description"] = REMOVED_DESC[k][0]
        continue
    keys.append({"key": k, "module": "core", "type": "string", "scope": "server", "since": "1.4.1", "removed": "1.4.41", "description": REMOVED_DESC[k][0]})
for x in keys:
    if x["key"] in REMOVED_DESC and x.get("removed"):
        x["description"] = REMOVED_DESC[x["key"]][0]
        rep = REMOVED_DESC[x["key"]][1]
        x["deprecated"] = {"note": REMOVED_DESC[x["key"]][0], "warns": True}
        if rep: x["deprecated"]["replacement"] = rep
# renamed-but-accepted keys
DEP = {
 "server.dir-listing": ("dir-listing.activate", False, "Old name of dir-listing.activate (accepted silently)."),
 "server.indexfiles": ("index-file.names", False, "Old name of index-file.names (accepted silently)."),
 "url.rewrite": ("url.rewrite-once", False, "Old name of url.rewrite-once (accepted silently)."),
 "url.rewrite-final": ("url.rewrite-once", False, "Old name of url.rewrite-once (accepted silently)."),
 "compress.filetype": ("deflate.mimetypes", True, "Replaced by deflate.mimetypes (lighttpd logs DEPRECATED)."),
 "compress.allowed-encodings": ("deflate.allowed-encodings", True, "Replaced by deflate.allowed-encodings (lighttpd logs DEPRECATED)."),
 "compress.cache-dir": ("deflate.cache-dir", True, "Replaced by deflate.cache-dir (lighttpd logs DEPRECATED)."),
 "compress.max-filesize": ("deflate.max-compress-size", True, "Replaced by deflate.max-compress-size (lighttpd logs DEPRECATED)."),
 "compress.max-loadavg": ("deflate.max-loadavg", True, "Replaced by deflate.max-loadavg (lighttpd logs DEPRECATED)."),
 "server.http-parseopt-header-strict": (None, False, "Use server.http-parseopts = ( \"header-strict\" => \"enable\" )."),
 "server.http-parseopt-host-strict": (None, False, "Use server.http-parseopts = ( \"host-strict\" => \"enable\" )."),
 "server.http-parseopt-host-normalize": (None, False, "Use server.http-parseopts = ( \"host-normalize\" => \"enable\" )."),
 "ssl.cipher-list": (None, True, "Prefer lighttpd's secure TLS defaults, or ssl.openssl.ssl-conf-cmd = ( \"CipherString\" => \"...\" )."),
 "server.reject-expect-100-with-417": (None, False, "Accepted and ignored; remove it."),
 "ssl.disable-client-renegotiation": (None, False, "Accepted and ignored (renegotiation is always disabled); remove it."),
}
for x in keys:
    if x["key"] in DEP:
        rep, warns, note = DEP[x["key"]]
        x["deprecated"] = {"note": note, "warns": warns}
        if rep: x["deprecated"]["replacement"] = rep
NOTES = {
 "server.modules": "Duplicates are removed; \"mod_compress\" is replaced by \"mod_deflate\"; see server.compat-module-load for modules lighttpd adds by itself.",
 "index-file.names": "mod_indexfile is loaded automatically only when this is set to a non-empty list somewhere.",
 "dir-listing.activate": "mod_dirlisting is loaded automatically only when this is enabled somewhere; other dir-listing.* keys are never reported as unknown.",
 "mimetype.assign": "\".js\" => \"application/javascript\" is changed to \"text/javascript\".",
 "server.port": "Values above 65535 are truncated; a numeric string is accepted.",
 "alias.url": "Prefix match in list order: a later key that starts with an earlier key never matches (startup error).",
 "url.rewrite-once": "Patterns are PCRE2, matched against the still URL-encoded target with the query string.",
 "fastcgi.server": "Host entries: see backendHostKeys(). The outer key is a file extension, or a URL path prefix when it starts with /.",
 "ssl.pemfile": "lighttpd reads the file at startup (-tt): a missing file is an error.",
}
for x in keys:
    if x["key"] in NOTES: x["notes"] = NOTES[x["key"]]
VALUES = {
 "server.stat-cache-engine": ["simple","inotify","kqueue","fam","disable","none"],
 "server.network-backend": ["sendfile","writev","write","linux-sendfile","freebsd-sendfile","darwin-sendfile","solaris-sendfilev","mmap"],
 "server.event-handler": ["linux-sysepoll","poll","select","freebsd-kqueue","kqueue","solaris-devpoll","solaris-eventports","libev"],
 "accesslog.escaping": ["default","json"],
 "scgi.protocol": ["scgi","uwsgi"],
 "wstunnel.frame-type": ["text","binary"],
 "auth.backend": ["htpasswd","htdigest","plain","ldap","gssapi","pam","sasl","dbi"],
 "vhostdb.backend": ["dbi","ldap","mysql","pgsql"],
}
for b in ["fastcgi","scgi","proxy","ajp13","sockproxy","wstunnel"]:
    VALUES[b+".balance"] = ["least-connection","fair","round-robin","hash","sticky"]
for x in keys:
    if x["key"] in VALUES: x["values"] = VALUES[x["key"]]
order = ["key","module","modules","type","scope","default","since","removed","description","deprecated","notes","history","values"]
keys.sort(key=lambda x: (x.get("removed") is not None, x["module"] != "core", x["module"], x["key"]))
# host keys
hk = []
for k,(desc,default) in HOST.items():
    occ = [i for i,t in enumerate(tags) if k in d[t] and any(e[0] in ("core:gw_backend","mod_fastcgi","mod_scgi","mod_proxy") for e in d[t][k])]
    e = [e for e in d["master"][k] if e[0]=="core:gw_backend"][0]
    item = {"key":k,"type":TY[e[1]]}
    if default: item["default"]=default
    item["since"] = ver(tags[occ[0]])
    item["description"] = desc
    if k=="allow-x-send-file": item["deprecated"]={"replacement":"x-sendfile","note":"Old name of x-sendfile (accepted silently).","warns":False}
    if k=="mode": item["values"]=["responder","authorizer"]
    hk.append(item)
def ts(v, ind=0):
    return json.dumps(v, ensure_ascii=False)
out = ['/**',
' * Every configuration key of lighttpd 1.4 (core and every module), as data.',
' * Generated from the config_plugin_keys_t / config_values_t tables of every lighttpd-1.4.x release tag',
' * (src/configfile.c, src/network.c, src/mod_*.c) and checked against /work/shared/reference/lighttpd-schema.tsv;',
' * descriptions and defaults written by hand. Facts only, no lighttpd code.',
' */',
'import type { BackendHostKeyInfo, KeyInfo } from "./types.js";',
'',
'export const KEYS: readonly KeyInfo[] = [']
for x in keys:
    o = {k: x[k] for k in order if k in x}
    out.append("  " + json.dumps(o, ensure_ascii=False) + ",")
out.append("];")
out.append("")
out.append("/** Keys of one backend host entry: `fastcgi.server = ( \".php\" => ( \"label\" => ( <these> ) ) )` (gw_backend.c). */")
out.append("export const BACKEND_HOST_KEYS: readonly BackendHostKeyInfo[] = [")
for x in hk: out.append("  " + json.dumps(x, ensure_ascii=False) + ",")
out.append("];")
FF_DESC = {
 "server.h2proto": "Offer HTTP/2 (also loads mod_h2 from 1.4.70).",
 "server.h2c": "Allow the h2c upgrade from HTTP/1.1 to HTTP/2 over cleartext.",
 "server.absolute-dir-redirect": "Use absolute URLs in directory redirects.",
 "request.trailer-whitelist": "Request trailers passed on to backends.",
 "server.errorlog-utf8": "Do not escape UTF-8 in the error log.",
 "server.http-pathinfo": "Allow PATH_INFO on static files.",
 "server.pcre_jit": "Use the PCRE2 JIT compiler.",
 "server.metrics-high-precision": "High precision timestamps for metrics.",
 "server.graceful-restart-bg": "Restart gracefully in the background (disabled by any bin-path backend).",
 "server.graceful-shutdown-timeout": "Seconds to wait for requests on graceful shutdown.",
 "server.graceful-unconfig-sock": "Close listening sockets early on graceful restart.",
 "server.clock-jump-restart": "Restart when the clock jumps by this many seconds.",
 "server.discard-backend-1xx": "Do not forward 1xx responses from backends.",
 "server.h1-discard-backend-1xx": "Do not forward 1xx responses from backends over HTTP/1.1.",
 "server.h2-discard-backend-1xx": "Do not forward 1xx responses from backends over HTTP/2.",
 "server.network-mptcp": "Use Multipath TCP for listening sockets.",
 "server.errorlog-high-precision": "High precision timestamps in the error log.",
 "http10.range": "Honour Range requests from HTTP/1.0 clients.",
 "chunkqueue.splice": "Use splice() for request/response bodies.",
 "auth.delay-invalid-creds": "Delay responses to bad credentials.",
 "auth.http-goaway-invalid-creds": "Close HTTP/2 connections after bad credentials.",
 "cgi.tempfile-accum": "Accumulate CGI request bodies in temporary files.",
 "proxy.force-http10": "Talk HTTP/1.0 to proxy backends.",
 "ssl.refresh-certs": "Reload certificates when the files change.",
 "ssl.refresh-crls": "Reload CRLs when the files change.",
 "ssl.session-cache": "Enable the TLS session cache.",
}
ff = []
import re
for line in open("/work/shared/reference/lighttpd-schema.tsv"):
    f = line.rstrip("\n").split("\t")
    if len(f) < 5 or f[2] != "FEATURE-FLAG": continue
    note = f[4]
    ty = "int" if note.startswith("int") else "string" if note.startswith("string") else "bool"
    m = re.match(r"bool default (enable|disable)", note)
    item = {"key": f[0], "type": ty}
    if m: item["default"] = m.group(1)
    item["description"] = FF_DESC.get(f[0], f[0])
    ff.append(item)
out.append("")
out.append("/** Flags inside `server.feature-flags = ( ... )` (read with config_feature_bool/int). */")
out.append("export const FEATURE_FLAGS: readonly FeatureFlagInfo[] = [")
for x in ff: out.append("  " + json.dumps(x, ensure_ascii=False) + ",")
out.append("];")
out[out.index('import type { BackendHostKeyInfo, KeyInfo } from "./types.js";')] = 'import type { BackendHostKeyInfo, FeatureFlagInfo, KeyInfo } from "./types.js";'
open("/work/main/src/schema/keys.ts","w").write("\n".join(out)+"\n")
print(len(keys), "keys;", sum(1 for k in keys if "removed" not in k), "current;", len(hk), "host keys")
