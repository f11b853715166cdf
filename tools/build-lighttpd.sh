#!/usr/bin/env bash
# Build the upstream lighttpd releases used as test oracles (test/oracle/) into a cache outside the clone:
#   ${LIGHTTPD_LINT_CACHE:-$HOME/.cache/lighttpd-lint}/lighttpd/<version>/{sbin/lighttpd,lib/mod_*.so}
# Sources: ../shared/lighttpd-src/lighttpd-<version>.tar.xz relative to the repo root (override with
# LIGHTTPD_SRC). A version whose .built stamp exists is skipped; builds run one at a time (the machine is
# small and shared), each in a temporary directory removed afterwards.
# Usage: tools/build-lighttpd.sh [VERSION...]   (default: every tarball found)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="${LIGHTTPD_SRC:-$root/../shared/lighttpd-src}"
cache="${LIGHTTPD_LINT_CACHE:-$HOME/.cache/lighttpd-lint}/lighttpd"
jobs="${BUILD_JOBS:-2}"
mkdir -p "$cache"

if [ $# -gt 0 ]; then versions=("$@"); else
  versions=()
  for t in "$src"/lighttpd-1.4.*.tar.xz; do [ -e "$t" ] || continue; v="${t##*/lighttpd-}"; versions+=("${v%.tar.xz}"); done
fi
[ ${#versions[@]} -gt 0 ] || { echo "build-lighttpd: no sources in $src" >&2; exit 1; }

# One build at a time, also across concurrent invocations of this script.
exec 9>"$cache/.build.lock"
flock 9

build_one() {
  local v="$1" prefix="$cache/$1" tmp
  local patch="${v##*.}"
  if [ -f "$prefix/.built" ] && [ -x "$prefix/sbin/lighttpd" ]; then echo "build-lighttpd: $v cached"; return 0; fi
  [ -f "$src/lighttpd-$v.tar.xz" ] || { echo "build-lighttpd: no source for $v" >&2; return 1; }
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/lighttpd-build-$v.XXXXXX")"
  trap 'rm -rf "$tmp"' RETURN
  echo "build-lighttpd: building $v in $tmp"
  tar -xJf "$src/lighttpd-$v.tar.xz" -C "$tmp"
  local dir; dir="$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n1)"
  rm -rf "$prefix"
  if [ "$patch" -lt 63 ]; then
    # 1.4.59's meson files do not work with current meson: autotools.
    (cd "$dir" && ./autogen.sh >/dev/null 2>&1 && ./configure -q --prefix="$prefix" --with-openssl --with-pcre >/dev/null \
      && make -s -j"$jobs" >/dev/null && make -s install >/dev/null)
  else
    local pcre="-Dwith_pcre2=true"
    [ "$patch" -eq 63 ] && pcre="-Dwith_pcre=true"   # 1.4.63 predates pcre2 support
    (cd "$dir" && meson setup build --prefix="$prefix" --libdir=lib -Dwith_openssl=true "$pcre" >/dev/null \
      && ninja -C build -j"$jobs" >/dev/null && ninja -C build install >/dev/null)
  fi
  "$prefix/sbin/lighttpd" -v >/dev/null
  # The module directory is compiled in from the prefix: check that -tt really loads modules.
  printf 'server.document-root = "/tmp"\nserver.port = 8080\nserver.modules = ("mod_fastcgi", "mod_proxy", "mod_rewrite", "mod_openssl")\n' > "$tmp/check.conf"
  "$prefix/sbin/lighttpd" -tt -f "$tmp/check.conf" >/dev/null 2>"$tmp/check.err" || { cat "$tmp/check.err" >&2; return 1; }
  date -u +%FT%TZ > "$prefix/.built"
  echo "build-lighttpd: $v done"
}

rc=0
for v in "${versions[@]}"; do build_one "$v" || { echo "build-lighttpd: $v FAILED" >&2; rc=1; }; done
exit $rc
