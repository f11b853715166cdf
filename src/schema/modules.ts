/**
 * Every lighttpd 1.4 module, as data. Versions come from the src/mod_*.c files of the 1.4.x release tags;
 * built-ins from src/meson.build (common sources); auto-loading from configfile.c config_compat_module_load.
 */
import type { ModuleInfo } from "./types.js";

const COMPAT = "prepended/appended by server.compat-module-load (default enable)";

export const MODULES: readonly ModuleInfo[] = [
  // --- built into the executable in meson/cmake builds (still must be listed in server.modules)
  { name: "mod_rewrite", description: "Internal URL rewriting with PCRE (url.rewrite-*).", since: "1.4.1", builtin: true, keyPrefixes: ["url.rewrite"] },
  { name: "mod_redirect", description: "External redirects with PCRE (url.redirect).", since: "1.4.1", builtin: true, keyPrefixes: ["url.redirect"] },
  { name: "mod_access", description: "Deny or allow requests by file name suffix (url.access-deny).", since: "1.4.1", builtin: true, keyPrefixes: ["url.access-"] },
  { name: "mod_alias", description: "Map URL path prefixes to directories (alias.url).", since: "1.4.1", builtin: true, keyPrefixes: ["alias."] },
  { name: "mod_indexfile", description: "Serve index files for directory requests (index-file.names).", since: "1.4.1", builtin: true, autoLoad: `${COMPAT}: prepended when index-file.names is set non-empty, removed when it is not`, keyPrefixes: ["index-file."] },
  { name: "mod_staticfile", description: "Send static files.", since: "1.4.1", builtin: true, autoLoad: `${COMPAT}: always appended unless listed`, keyPrefixes: ["static-file."] },
  { name: "mod_setenv", description: "Add or set request/response headers and environment variables.", since: "1.4.1", builtin: true, keyPrefixes: ["setenv."] },
  { name: "mod_expire", description: "Expires and Cache-Control max-age headers.", since: "1.4.1", builtin: true, keyPrefixes: ["expire."] },
  { name: "mod_simple_vhost", description: "Virtual hosts by directory per host name.", since: "1.4.1", builtin: true, keyPrefixes: ["simple-vhost."] },
  { name: "mod_evhost", description: "Virtual hosts by a pattern over host name parts.", since: "1.4.1", builtin: true, keyPrefixes: ["evhost."] },
  { name: "mod_fastcgi", description: "FastCGI backends (fastcgi.server).", since: "1.4.1", builtin: true, handler: true, backend: true, keyPrefixes: ["fastcgi."] },
  { name: "mod_scgi", description: "SCGI and uwsgi backends (scgi.server).", since: "1.4.1", builtin: true, handler: true, backend: true, keyPrefixes: ["scgi."] },
  // --- loadable modules
  { name: "mod_accesslog", description: "Access log (accesslog.filename).", since: "1.4.1", keyPrefixes: ["accesslog."] },
  { name: "mod_ajp13", description: "AJP13 backends, e.g. Tomcat (ajp13.server).", since: "1.4.59", backend: true, keyPrefixes: ["ajp13."] },
  { name: "mod_auth", description: "HTTP authentication (auth.require, auth.backend).", since: "1.4.1", autoLoad: `${COMPAT}: prepended when a mod_authn_* module is listed without it`, keyPrefixes: ["auth."] },
  { name: "mod_authn_dbi", description: "Authentication against a database via libdbi.", since: "1.4.56", keyPrefixes: ["auth.backend.dbi"] },
  { name: "mod_authn_file", description: "Authentication with htpasswd, htdigest and plain files.", since: "1.4.42", autoLoad: `${COMPAT}: appended with a warning when mod_auth is loaded and auth.backend is htpasswd, htdigest or plain`, keyPrefixes: ["auth.backend.htpasswd.", "auth.backend.htdigest.", "auth.backend.plain."] },
  { name: "mod_authn_gssapi", description: "Kerberos (GSSAPI) authentication.", since: "1.4.42", keyPrefixes: ["auth.backend.gssapi."] },
  { name: "mod_authn_ldap", description: "LDAP authentication.", since: "1.4.42", autoLoad: `${COMPAT}: appended with a warning when mod_auth is loaded and auth.backend is ldap`, keyPrefixes: ["auth.backend.ldap."] },
  { name: "mod_authn_pam", description: "PAM authentication.", since: "1.4.51", keyPrefixes: ["auth.backend.pam."] },
  { name: "mod_authn_sasl", description: "SASL authentication.", since: "1.4.48", keyPrefixes: ["auth.backend.sasl."] },
  { name: "mod_cgi", description: "CGI programs (cgi.assign).", since: "1.4.1", handler: true, backend: true, keyPrefixes: ["cgi."] },
  { name: "mod_deflate", description: "Compress responses: gzip, deflate, brotli, zstd, bzip2.", since: "1.4.42", keyPrefixes: ["deflate.", "compress."] },
  { name: "mod_dirlisting", description: "Directory listings (dir-listing.activate).", since: "1.4.1", handler: true, autoLoad: `${COMPAT}: appended when dir-listing.activate is enabled somewhere, removed when it is not`, keyPrefixes: ["dir-listing."] },
  { name: "mod_echo", description: "Echo the request body back (for tests).", since: "1.4.60" },
  { name: "mod_extforward", description: "Take the client address from X-Forwarded-For, Forwarded or the PROXY protocol.", since: "1.4.14", keyPrefixes: ["extforward."] },
  { name: "mod_h2", description: "HTTP/2 (before 1.4.70 HTTP/2 was part of the core).", since: "1.4.70", autoLoad: "appended when feature flag server.h2proto is enabled (the default); silently skipped if missing" },
  { name: "mod_magnet", description: "Lua scripts in the request cycle.", since: "1.4.12", keyPrefixes: ["magnet."] },
  { name: "mod_maxminddb", description: "GeoIP lookups in MaxMind databases.", since: "1.4.54", keyPrefixes: ["maxminddb."] },
  { name: "mod_proxy", description: "HTTP reverse proxy (proxy.server).", since: "1.4.1", backend: true, keyPrefixes: ["proxy."] },
  { name: "mod_rrdtool", description: "Traffic statistics into an RRD database.", since: "1.4.1", keyPrefixes: ["rrdtool."] },
  { name: "mod_sockproxy", description: "Raw TCP socket proxy (sockproxy.server).", since: "1.4.50", backend: true, keyPrefixes: ["sockproxy."] },
  { name: "mod_ssi", description: "Server-side includes (ssi.extension).", since: "1.4.1", handler: true, keyPrefixes: ["ssi."] },
  { name: "mod_status", description: "Server status and statistics pages.", since: "1.4.1", keyPrefixes: ["status."] },
  { name: "mod_userdir", description: "~user directories.", since: "1.4.1", keyPrefixes: ["userdir."] },
  { name: "mod_vhostdb", description: "Virtual hosts from a database (with a mod_vhostdb_* backend).", since: "1.4.46", autoLoad: `${COMPAT}: prepended when a mod_vhostdb_* module is listed without it`, keyPrefixes: ["vhostdb.backend", "vhostdb.cache"] },
  { name: "mod_vhostdb_dbi", description: "vhostdb backend: libdbi.", since: "1.4.46", keyPrefixes: ["vhostdb.dbi"] },
  { name: "mod_vhostdb_ldap", description: "vhostdb backend: LDAP.", since: "1.4.46", keyPrefixes: ["vhostdb.ldap"] },
  { name: "mod_vhostdb_mysql", description: "vhostdb backend: MySQL.", since: "1.4.46", keyPrefixes: ["vhostdb.mysql"] },
  { name: "mod_vhostdb_pgsql", description: "vhostdb backend: PostgreSQL.", since: "1.4.46", keyPrefixes: ["vhostdb.pgsql"] },
  { name: "mod_webdav", description: "WebDAV (webdav.activate).", since: "1.4.1", keyPrefixes: ["webdav."] },
  { name: "mod_wstunnel", description: "WebSocket tunnel to backends (wstunnel.server).", since: "1.4.46", backend: true, keyPrefixes: ["wstunnel."] },
  // --- TLS modules (exactly one should be listed)
  { name: "mod_openssl", description: "TLS with OpenSSL (ssl.*).", since: "1.4.46", autoLoad: `${COMPAT}: appended with a warning when ssl.* keys are used and no TLS module is listed (OpenSSL builds)`, keyPrefixes: ["ssl."] },
  { name: "mod_boringssl", description: "TLS with BoringSSL/AWS-LC (ssl.*).", since: "1.4.80", keyPrefixes: ["ssl."] },
  { name: "mod_gnutls", description: "TLS with GnuTLS (ssl.*).", since: "1.4.56", keyPrefixes: ["ssl."] },
  { name: "mod_mbedtls", description: "TLS with mbedTLS (ssl.*).", since: "1.4.56", keyPrefixes: ["ssl."] },
  { name: "mod_nss", description: "TLS with NSS (ssl.*).", since: "1.4.56", keyPrefixes: ["ssl."] },
  { name: "mod_wolfssl", description: "TLS with wolfSSL (ssl.*).", since: "1.4.56", keyPrefixes: ["ssl."] },
  // --- removed modules (loading them fails: "dlopen() failed for: ...")
  { name: "mod_compress", description: "Old static-file compression.", since: "1.4.1", removed: "1.4.56", replacement: "mod_deflate", autoLoad: "still accepted in server.modules: lighttpd replaces \"mod_compress\" by \"mod_deflate\"", keyPrefixes: ["compress."] },
  { name: "mod_authn_mysql", description: "MySQL authentication.", since: "1.4.42", removed: "1.4.64", replacement: "mod_authn_dbi", keyPrefixes: ["auth.backend.mysql."] },
  { name: "mod_cml", description: "Cache Meta Language (Lua).", since: "1.4.1", removed: "1.4.64", replacement: "mod_magnet", keyPrefixes: ["cml."] },
  { name: "mod_flv_streaming", description: "FLV pseudo-streaming.", since: "1.4.11", removed: "1.4.64", replacement: "mod_magnet", keyPrefixes: ["flv-streaming."] },
  { name: "mod_geoip", description: "GeoIP lookups (legacy GeoIP databases).", since: "1.4.42", removed: "1.4.64", replacement: "mod_maxminddb", keyPrefixes: ["geoip."] },
  { name: "mod_mysql_vhost", description: "Virtual hosts from MySQL.", since: "1.4.1", removed: "1.4.64", replacement: "mod_vhostdb_mysql", keyPrefixes: ["mysql-vhost."] },
  { name: "mod_trigger_b4_dl", description: "Require a page visit before a download.", since: "1.4.1", removed: "1.4.64", replacement: "mod_magnet", keyPrefixes: ["trigger-before-download."] },
  { name: "mod_evasive", description: "Limit connections per IP address.", since: "1.4.9", removed: "1.4.68", replacement: "mod_magnet", keyPrefixes: ["evasive."] },
  { name: "mod_secdownload", description: "Time-limited download links.", since: "1.4.1", removed: "1.4.68", replacement: "mod_magnet", keyPrefixes: ["secdownload."] },
  { name: "mod_uploadprogress", description: "Upload progress reports.", since: "1.4.5", removed: "1.4.68", replacement: "mod_magnet", keyPrefixes: ["upload-progress."] },
  { name: "mod_usertrack", description: "User tracking cookies.", since: "1.4.1", removed: "1.4.68", replacement: "mod_magnet", keyPrefixes: ["usertrack."] },
  // --- development template, not a real module
  { name: "mod_skeleton", description: "Template for writing modules (not installed).", since: "1.4.1" },
];
