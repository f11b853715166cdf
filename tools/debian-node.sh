#!/usr/bin/env bash
# Unpacks Debian 12's own Node.js (18.20, the lowest Node lighttpd-lint claims) into a cache folder,
# without replacing the system's node: the install-route tests run the packed tool with it.
# Prints the path of the unpacked `node` wrapper. Needs apt (Debian 12) and root for the three
# JavaScript packages Debian's node loads from /usr/share/nodejs.
set -euo pipefail
cache="${LIGHTTPD_LINT_CACHE:-$HOME/.cache/lighttpd-lint}/debian-node"
wrapper="$cache/node"
if [ ! -x "$wrapper" ] || ! "$wrapper" --version >/dev/null 2>&1; then
  debian_nodejs() { apt-cache madison nodejs | awk '$3 ~ /dfsg/ { print $3; exit }'; }
  version=$(debian_nodejs)
  [ -n "$version" ] || { apt-get update -qq && version=$(debian_nodejs); }
  [ -n "$version" ] || { echo "debian-node: Debian's nodejs is not in the apt lists (run apt-get update)" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -q "nodejs=$version" "libnode108=$version" libc-ares2 libuv1 >/dev/null 2>&1)
  rm -rf "$cache" && mkdir -p "$cache"
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$cache/root"; done
  # Debian's node loads these built-ins from /usr/share/nodejs (they do not touch the system node).
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends node-acorn node-cjs-module-lexer node-undici >/dev/null
  cat > "$wrapper" <<WRAP
#!/bin/sh
LD_LIBRARY_PATH="$cache/root/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$cache/root/usr/bin/node" "\$@"
WRAP
  chmod +x "$wrapper"
fi
"$wrapper" --version >&2
echo "$wrapper"
