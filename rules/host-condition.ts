/**
 * host-condition: a `$HTTP["host"]` condition that cannot match what lighttpd compares it with.
 * `$HTTP["host"]` is r->uri.authority (configfile-glue.c config_check_cond_nocache_eval), copied
 * from the Host header (or the request line's / HTTP/2's authority) by
 * http_request_header_set_Host() with buffer_copy_string_len_lc: always lower case. With the
 * default server.http-parseopts (host-strict, which implies host-normalize; request.c
 * http_request_host_policy / http_request_host_normalize) a trailing "." is dropped and a ":port"
 * is removed only when it is the scheme's default port (80 for http, 443 for https).
 * The compared string is kept as written (configparser.y normalizes `==`/`!=`/`=^`/`=$` values with
 * http_request_host_normalize(rvalue, 0), which fixes IP literals and ports but not letter case),
 * and regexes are compiled case-sensitively (data_config.c: pcre2_compile with PCRE2_UTF only).
 * So:
 * - upper case in the value of `==`, `=^`, `=$` or as a required literal of a regex never matches
 *   (and `!=`, `!~` are true for every request);
 * - `==` and `!=` ignore a ":port" the client sends (configfile-glue.c: "check names match,
 *   whether or not :port suffix present"), but `=$` and an end-anchored regex do not: on a
 *   server that listens on another port than 80/443, `=$ ".example.com"` and
 *   `=~ "^example\.com$"` never match a browser's `Host: example.com:8080`.
 */
import type { Context, EvaluatedConfig } from "../src/eval/model.js";
import type { Rule } from "../src/engine/types.js";
import { getSetting, stringOf, toBool, writtenConditionValue } from "../src/engine/config-query.js";

/**
 * The first upper-case ASCII letter a regex can only match literally: outside classes and
 * escapes, outside any group, not made optional, in a pattern without `|` and without inline
 * options or verbs (`(?i)` would make it match). Anything less certain: undefined.
 */
export function requiredUppercase(pattern: string): string | undefined {
  if (pattern.includes("|") || pattern.includes("(?") || pattern.includes("(*")) return undefined;
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      // \p{Lu}, \x{41}, \N{U+41}, \cA, \Q...\E, \g{1}, \k<name>, \o{101}: not worth reading, give up.
      if (/[pPxNcQgko]/.test(pattern[i + 1] ?? "")) return undefined;
      i++;
      continue;
    }
    if (c === "[") {
      i = classEnd(pattern, i);
      if (i < 0) return undefined;
      continue;
    }
    if (c === "{") {
      const close = pattern.indexOf("}", i);
      if (close < 0) return undefined;
      i = close;
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && c >= "A" && c <= "Z" && !/[?*{]/.test(pattern[i + 1] ?? "")) return c;
  }
  return undefined;
}

/** Index of the "]" that closes the class opened at `open` (a "]" first in the class is literal), or -1. */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === "^") i++;
  if (pattern[i] === "]") i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "]") return i;
  }
  return -1;
}

/**
 * True when a regex ends in a `$` right after a literal letter or digit and has no ":" anywhere:
 * it cannot match a Host that ends in ":8080". (`.*$`, `\d$`, `)$`, `]$`: not certain, false.)
 */
export function endAnchoredWithoutPort(pattern: string): boolean {
  if (pattern.includes(":") || pattern.includes("|") || !pattern.endsWith("$")) return false;
  const before = pattern.slice(0, -1);
  if (!/[A-Za-z0-9]$/.test(before)) return false;
  // the letter must not be escaped (\d, \w): count the backslashes before it
  const m = /\\*$/.exec(before.slice(0, -1))!;
  return m[0].length % 2 === 0;
}

/** The port a `$SERVER["socket"]` value names (":8080", "0.0.0.0:8080", "[::]:8080"), or undefined. */
export function socketPort(value: string): number | undefined {
  if (value.startsWith("/")) return undefined;
  const m = /:(\d+)$/.exec(value);
  if (!m || (value.startsWith("[") && !value.includes("]:"))) return undefined;
  return Number(m[1]);
}

const DEFAULT_PORTS = new Set([80, 443]);

/**
 * The non-default ports clients reach this condition on, directly: the enclosing
 * `$SERVER["socket"]`'s port, else the global server.port (default 80, 443 with global TLS) and
 * the `$SERVER["socket"]` listeners. Empty when unknown or when lighttpd is bound to loopback
 * only (a local reverse proxy decides what the Host header holds).
 */
function directNonDefaultPorts(ctx: Context, serverPorts: () => number[]): number[] {
  for (let c: Context | undefined = ctx; c; c = c.parent) {
    const cond = c.condition;
    if (cond && cond.object === "SERVER" && cond.field === "socket") {
      if (cond.op !== "==" || c.isElse) return [];
      const port = socketPort(cond.value);
      return port !== undefined && !DEFAULT_PORTS.has(port) && !isLoopback(cond.value) ? [port] : [];
    }
  }
  return serverPorts();
}

/** The non-default ports of the whole server: global server.port and top-level $SERVER["socket"] listeners. */
function serverNonDefaultPorts(config: EvaluatedConfig): number[] {
  const ports: number[] = [];
  const g = config.global;
  const bind = stringOf(getSetting(g, "server.bind")?.value);
  if (!(bind !== undefined && (isLoopback(bind) || bind.startsWith("/")))) {
    const portValue = getSetting(g, "server.port")?.value;
    const tls = toBool(getSetting(g, "ssl.engine")?.value) === true;
    const port = portValue === undefined ? (tls ? 443 : 80) : portValue.type === "integer" ? portValue.value : Number(stringOf(portValue));
    if (Number.isInteger(port) && !DEFAULT_PORTS.has(port)) ports.push(port);
  }
  for (const c of config.contexts) {
    const cond = c.condition;
    if (!cond || cond.object !== "SERVER" || cond.field !== "socket" || cond.op !== "==" || c.isElse || c.parent !== g) continue;
    const port = socketPort(cond.value);
    if (port !== undefined && !DEFAULT_PORTS.has(port) && !isLoopback(cond.value)) ports.push(port);
  }
  return ports;
}

function isLoopback(address: string): boolean {
  return /^(127\.|localhost(:|$)|\[::1\])/i.test(address);
}

const rule: Rule = {
  meta: {
    id: "host-condition",
    description: '$HTTP["host"] that cannot match: upper case (lighttpd lower-cases the Host header), or anchored before a port the client sends',
    severity: "warning",
    fixable: false,
    effect: "misread",
  },
  check(context) {
    const config = context.config;
    const seen = new Set<unknown>();
    let serverPorts: number[] | undefined; // once per config, not per host condition (thousands of vhosts)
    const ports = () => (serverPorts ??= serverNonDefaultPorts(config));
    for (const ctx of config.contexts) {
      const c = ctx.condition;
      if (!c || c.unknown || ctx.invalid || c.object !== "HTTP" || c.field !== "host") continue;
      if (ctx.isElse && ctx.branches.every((b) => b.node.condition === undefined)) continue; // a plain else: the negation lighttpd builds
      const op = c.writtenOp ?? c.op;
      const regex = op === "=~" || op === "!~";
      const negated = op === "!=" || op === "!~";
      const compared = regex ? c.value : (c.normalized ?? c.value);
      const upper = regex ? requiredUppercase(compared) : /[A-Z]/.exec(compared)?.[0];
      let message: string | undefined;
      // the port case depends on how clients reach the server (a port mapping or a proxy may send no port): info only
      let severity: "info" | undefined;
      if (upper) {
        message = `$HTTP["host"] ${op} "${c.value}" ${negated ? "is true for every request" : "never matches"}: lighttpd lower-cases the Host header before comparing, and the compared ${regex ? "regex is case-sensitive" : "string is kept as written"} ("${upper}"). Write the host name in lower case`;
      } else if (!config.incomplete && !config.snippet && ((op === "=$" && !compared.includes(":")) || (regex && endAnchoredWithoutPort(compared)))) {
        const direct = directNonDefaultPorts(ctx, ports);
        if (direct.length > 0) {
          message = `$HTTP["host"] ${op} "${c.value}" ${negated ? "is true for" : "does not match"} requests that reach port ${direct[0]} directly: clients send "Host: name:${direct[0]}" there, and lighttpd strips only the default port (80/443) from $HTTP["host"]. "==" ignores the port, "=$" and regexes do not: use "==", or allow the port (e.g. "(:[0-9]+)?$")`;
          severity = "info";
        }
      }
      if (!message) continue;
      for (const site of c.sites) {
        const value = site.node.value;
        if (!value || seen.has(site.node)) continue;
        seen.add(site.node);
        const written = writtenConditionValue(site.node);
        const merged =
          written !== undefined && written !== c.value
            ? `. This condition is merged into the one written first ("${c.value}"): lighttpd compares condition texts case-insensitively`
            : "";
        context.report({ message: message + merged, file: site.file, start: value.start, end: value.end, ...(severity ? { severity } : {}) });
      }
    }
  },
};

export default rule;
