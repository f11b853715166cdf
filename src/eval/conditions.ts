/**
 * What lighttpd does to a condition while parsing it (configparser.y:
 * configparser_parse_condition): which `$OBJECT["field"]` pairs exist, the rewrite of simply
 * anchored regexes into prefix/suffix/equality tests, and the normalization of host, socket and
 * remote-ip values (request.c: http_request_host_normalize, configfile.c: config_remoteip_normalize).
 */
import type { ConditionOperator } from "./model.js";

export type CompKind = "url" | "host" | "header" | "remoteip" | "querystring" | "method" | "scheme" | "socket" | "useragent" | "language";

const HTTP_FIELDS: Record<string, CompKind> = {
  url: "url",
  host: "host",
  referer: "header",
  useragent: "useragent",
  "user-agent": "header",
  language: "language",
  cookie: "header",
  remoteip: "remoteip",
  "remote-ip": "remoteip",
  querystring: "querystring",
  "query-string": "querystring",
  "request-method": "method",
  scheme: "scheme",
};

/** lighttpd's configparser_comp_key_id: exact, case-sensitive names; undefined = "error comp_key". */
export function compKind(object: string, field: string): CompKind | undefined {
  if (object === "REQUEST_HEADER") return "header";
  if (object === "SERVER") return field === "socket" ? "socket" : undefined;
  if (object === "HTTP") return Object.hasOwn(HTTP_FIELDS, field) ? HTTP_FIELDS[field] : undefined;
  return undefined;
}

export const KNOWN_CONDITION_FIELDS = [
  '$HTTP["url"]',
  '$HTTP["host"]',
  '$HTTP["referer"]',
  '$HTTP["useragent"]',
  '$HTTP["user-agent"]',
  '$HTTP["language"]',
  '$HTTP["cookie"]',
  '$HTTP["remoteip"]',
  '$HTTP["remote-ip"]',
  '$HTTP["querystring"]',
  '$HTTP["query-string"]',
  '$HTTP["request-method"]',
  '$HTTP["scheme"]',
  '$SERVER["socket"]',
  '$REQUEST_HEADER["<header>"]',
];

const REGEX_CHARS = "\\^$.|?*+()[]{}";

/**
 * configparser_simplify_regex: `=~ "^/a"` → `=^ "/a"`, `"\.php$"` → `=$ ".php"`, `"^/a$"` → `== "/a"`,
 * when the rest has no regex metacharacter. Reproduces the C code step by step, corner cases included.
 */
export function simplifyRegex(b: string): { op: ConditionOperator; value: string } {
  let len = b.length;
  let op: ConditionOperator = "=~";
  let off = 0;
  if (len && b[len - 1] === "$") {
    op = "=$";
    if (b[0] === "\\" && b[1] === ".") off = 2;
    else if (b[0] === "^") {
      off = 1;
      op = "==";
    }
    --len;
  } else if (b[0] === "^") {
    off = 1;
    op = "=^";
  } else {
    return { op: "=~", value: b };
  }
  // strcspn(b + off, REGEX_CHARS) must reach `len`.
  let span = 0;
  for (let i = off; i < b.length && !REGEX_CHARS.includes(b[i]); i++) span++;
  if (span !== len - off) return { op: "=~", value: b };
  let out = b;
  if (off) {
    // memmove(b, b+1, len-1): only the first character goes (the '.' of "\." stays).
    out = b.slice(1, len);
    len--;
  }
  return { op, value: out.slice(0, len) };
}

const NEGATION: Record<string, ConditionOperator> = { "==": "!=", "!=": "==", "=~": "!~", "!~": "=~", "=^": "!^", "=$": "!$" };

export function negate(op: ConditionOperator): ConditionOperator {
  return NEGATION[op] ?? op;
}

/** The character lighttpd writes over the operator's first character when it negates it. */
export function negationChar(op: ConditionOperator): string {
  return op === "!=" || op === "!~" ? "=" : "!";
}

// ---------------------------------------------------------------------------------------------
// Host and address normalization

/** strtol(s, &end, 0) followed by a check that nothing is left: the whole text as a number, else undefined. */
function strtolBase0Whole(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2];
  let n: number;
  if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16);
  else if (body.length > 1 && body[0] === "0") n = parseInt(body, 8);
  else n = parseInt(body, 10);
  return m[1] === "-" ? -n : n;
}

/** glibc inet_pton(AF_INET): exactly four decimal parts 0..255 without leading zeros. */
export function parseIPv4(s: string): number[] | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** glibc inet_pton(AF_INET6) into eight 16-bit words. */
export function parseIPv6(s: string): number[] | undefined {
  if (s.length === 0) return undefined;
  let head = s;
  let tail = "";
  const dbl = s.indexOf("::");
  if (dbl >= 0) {
    if (s.indexOf("::", dbl + 1) >= 0) return undefined;
    head = s.slice(0, dbl);
    tail = s.slice(dbl + 2);
  }
  const words = (part: string, allowV4: boolean): number[] | undefined => {
    if (part === "") return [];
    const groups = part.split(":");
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (allowV4 && i === groups.length - 1 && g.includes(".")) {
        const v4 = parseIPv4(g);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
        out.push(parseInt(g, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const a = words(head, dbl < 0);
  const b = dbl >= 0 ? words(tail, true) : [];
  if (!a || !b) return undefined;
  if (dbl < 0) return a.length === 8 ? a : undefined;
  if (a.length + b.length > 7) return undefined;
  return [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
}

/** glibc inet_ntop(AF_INET6): longest run (first of equals, at least 2) of zero words as `::`. */
export function formatIPv6(w: number[]): string {
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (cur.base === -1) cur = { base: i, len: 1 };
      else cur.len++;
    } else if (cur.base !== -1) {
      if (best.base === -1 || cur.len > best.len) best = cur;
      cur = { base: -1, len: 0 };
    }
  }
  if (cur.base !== -1 && (best.base === -1 || cur.len > best.len)) best = cur;
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && w[5] === 0xffff))) {
      out += `${w[6] >> 8}.${w[6] & 255}.${w[7] >> 8}.${w[7] & 255}`;
      break;
    }
    out += w[i].toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ":";
  return out;
}

/** http_request_host_normalize(b, 0): the normalized text, or undefined where lighttpd fails. */
export function normalizeHost(s: string): string | undefined {
  let port = 0;
  if (s[0] !== "[") {
    const colon = s.indexOf(":");
    if (colon >= 0) {
      if (colon === 0) return undefined;
      if (colon + 1 < s.length) {
        const p = strtolBase0Whole(s.slice(colon + 1));
        if (p === undefined || !(p > 0 && p <= 65535)) return undefined;
        port = p;
      }
      s = s.slice(0, colon);
    }
    // A valid dotted quad prints back unchanged (inet_pton + inet_ntop), anything else is kept.
  } else {
    if (s.length <= 2) return undefined;
    let bracket = s.length - 1;
    if (s[bracket] !== "]") {
      bracket = s.indexOf("]", 1);
      if (bracket < 0 || s[bracket + 1] !== ":" || bracket === 1) return undefined;
      if (bracket + 2 < s.length) {
        const p = strtolBase0Whole(s.slice(bracket + 2));
        if (p === undefined || !(p > 0 && p <= 65535)) return undefined;
        port = p;
      }
    }
    const percent = s.indexOf("%", 1);
    const addrEnd = percent >= 0 && percent < bracket ? percent : bracket;
    const words = parseIPv6(s.slice(1, addrEnd));
    if (!words) return undefined;
    let text = formatIPv6(words);
    if (percent >= 0) {
      if (percent > bracket) return undefined;
      text += s.slice(percent, bracket);
    }
    s = `[${text}]`;
  }
  if (port !== 0) s += `:${port}`;
  return s;
}

/**
 * The port network_host_parse_addr (network.c) refuses in a `$SERVER["socket"]` value, as it
 * prints it ("port not set or out of range: %u"), or undefined when the port is fine or absent.
 * `":70000"`, `":0"` and `":"` pass the parser (only values not starting with ":" are checked
 * there) and stop lighttpd when it opens its listeners. Unix socket paths have no port.
 */
export function socketPortOutOfRange(value: string): number | undefined {
  if (value[0] === "/" || value[0] === "\\") return undefined;
  let colon: number;
  if (value[0] === "[") {
    const bracket = value.indexOf("]");
    colon = bracket >= 0 && value[bracket + 1] === ":" ? bracket + 1 : -1;
  } else colon = value.lastIndexOf(":");
  if (colon < 0) return undefined;
  // (unsigned int)strtol(colon, NULL, 10): leading blanks, a sign, digits; saturating, then truncated to 32 bits.
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(value.slice(colon + 1))!;
  let n = m[2] ? BigInt(m[2]) : 0n;
  const max = (1n << 63n) - 1n;
  if (m[1] === "-") n = n > max + 1n ? -(max + 1n) : -n;
  else if (n > max) n = max;
  const port = Number(BigInt.asUintN(32, n));
  return port === 0 || port > 65535 ? port : undefined;
}

/**
 * config_remoteip_normalize: `ok` is false only where lighttpd reports "invalid IP addr"
 * (a bad CIDR mask or a failed host normalization is silently accepted, as lighttpd does).
 */
export function normalizeRemoteIp(s: string, badMaskRefused = false): { ok: boolean; value: string } {
  if (s[0] === "/") return { ok: true, value: s };
  const slash = s.indexOf("/");
  const colon = s.indexOf(":");
  let bits = 0;
  if (slash >= 0) {
    const m = /^[ \t\n\v\f\r]*\+?([0-9]+)$/.exec(s.slice(slash + 1));
    const n = m ? Number(m[1]) : 0;
    // Before 1.4.60 configparser.y refused it ("invalid or missing netmask").
    if (!m || n === 0 || n > (colon >= 0 ? 128 : 32)) return { ok: !badMaskRefused, value: s };
    bits = n;
    s = s.slice(0, slash);
  }
  let normalized: string | undefined;
  if (colon < 0) {
    normalized = normalizeHost(s);
    if (normalized !== undefined) s = normalized;
  } else {
    const wrapped = s[0] !== "[" ? `[${s}]` : s;
    normalized = normalizeHost(wrapped);
    if (normalized !== undefined && normalized.length > 1) s = normalized.slice(1, -1);
  }
  const value = bits ? `${s}/${bits}` : s;
  if (normalized === undefined) return { ok: true, value };
  const valid = colon < 0 ? parseIPv4(s) !== undefined : parseIPv6(s) !== undefined;
  return { ok: valid, value };
}
