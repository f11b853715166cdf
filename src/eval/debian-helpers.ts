/**
 * Debian's lighttpd package ships helper scripts that its stock lighttpd.conf runs with include_shell:
 *
 *   include_shell "/usr/share/lighttpd/use-ipv6.pl " + server.port   # IPv6 listener when available
 *   include_shell "/usr/share/lighttpd/create-mime.conf.pl"          # mimetype.assign from /etc/mime.types
 *   include_shell "/usr/share/lighttpd/include-conf-enabled.pl"      # include "conf-enabled/*.conf" (older confs)
 *
 * lighttpd-lint never runs commands. For these scripts it computes what they print from the files
 * they read, so a stock Debian config is linted and dumped completely. Only the exact script versions
 * whose behaviour was reproduced here are recognised (by SHA-256): a changed or unknown script is
 * not guessed at and stays a skipped include_shell. The scripts' fixed texts (create-mime's header,
 * footer, charset list and conflict table) are read from the script itself, not copied here.
 */
import fs from "node:fs";
import { crypto } from "../util/lazy-node.js";

const sha256 = (bytes: Uint8Array): string => crypto().createHash("sha256").update(bytes).digest("hex");

const DIR = "/usr/share/lighttpd/";

/** SHA-256 of the script versions reproduced below (Debian 12 bookworm, lighttpd 1.4.69-1). */
const KNOWN: Record<string, string[]> = {
  "create-mime.conf.pl": ["ba3f9196bfa879592e1d20d61e34dba74ea4e7c3b07ac679e3e8b426817a77ba"],
  "include-conf-enabled.pl": ["2b80ab37c9f40a81a45f33ad8c88a535dc4334f331dc6e88995cbe46c4160f31"],
  "use-ipv6.pl": ["97ef96d19525380305430ced1f25aa87fd2aa364d6e4e468cc4426ded6c21140"],
};

export interface HelperEnv {
  readFile(path: string): Uint8Array | undefined;
  /** Sorted names of the `*.conf` entries of a directory (in bsd_glob's order). */
  listConf(dir: string): string[] | undefined;
  /** Whether socket(AF_INET6, SOCK_STREAM) would succeed here. */
  ipv6(): boolean;
}

export const systemHelperEnv: HelperEnv = {
  readFile: (p) => {
    try {
      return fs.readFileSync(p);
    } catch {
      return undefined;
    }
  },
  listConf: (dir) => {
    try {
      return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".conf") && !f.startsWith("."))
        .sort(alphaSort);
    } catch {
      return undefined;
    }
  },
  // The kernel has IPv6 (the socket call succeeds) exactly when this directory exists.
  ipv6: () => fs.existsSync("/proc/sys/net/ipv6"),
};

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** File::Glob's GLOB_ALPHASORT (part of bsd_glob's default GLOB_CSH): case-insensitive, then byte order. */
const alphaSort = (a: string, b: string) => byteOrder(a.toLowerCase(), b.toLowerCase()) || byteOrder(a, b);

/** The output the command would print, when it is a recognised Debian helper; else undefined. */
export function debianHelperOutput(command: string, env: HelperEnv = systemHelperEnv): string | undefined {
  // /bin/sh -c "<script> [arg]": only plain words, nothing the shell would interpret.
  const m = /^\s*\/usr\/share\/lighttpd\/([a-z0-9.-]+\.pl)(?:[ \t]+([A-Za-z0-9_./-]+))?[ \t]*$/.exec(command);
  if (!m) return undefined;
  const [, name, arg] = m;
  const bytes = env.readFile(DIR + name);
  if (!bytes || !KNOWN[name]?.includes(sha256(bytes))) return undefined;
  const script = Buffer.from(bytes).toString("utf8");
  switch (name) {
    case "use-ipv6.pl":
      return useIpv6(arg, env);
    case "include-conf-enabled.pl":
      return includeConfEnabled(arg, env);
    case "create-mime.conf.pl":
      return arg === undefined || arg === "-v" ? createMime(script, env) : undefined;
  }
  return undefined;
}

/** use-ipv6.pl: `$PORT = $ARGV[0] if $ARGV[0] and $ARGV[0] >= 0 and $ARGV[0] <= 65535`. */
function useIpv6(arg: string | undefined, env: HelperEnv): string | undefined {
  if (arg !== undefined && !/^\d+$/.test(arg)) return undefined; // Perl's numeric reading of other words: not reproduced
  // Perl: "0" is false, "00" is true; numeric comparisons read "0443" as 443.
  const port = arg !== undefined && arg !== "0" && Number(arg) <= 65535 ? arg : "80";
  if (!env.ipv6()) return "";
  return Number(port) === 443 ? `$SERVER["socket"] == "[::]:${port}" {\nssl.engine = "enable"\n}\n` : `$SERVER["socket"] == "[::]:${port}" { }\n`;
}

/** include-conf-enabled.pl [confdir]: chdir(confdir); print include "conf-enabled/X.conf" for each. */
function includeConfEnabled(arg: string | undefined, env: HelperEnv): string | undefined {
  const dir = arg ?? "/etc/lighttpd/";
  if (!dir.startsWith("/")) return undefined;
  const files = env.listConf(dir.replace(/\/?$/, "/") + "conf-enabled") ?? [];
  return files.map((f) => `include "conf-enabled/${f}"\n`).join("");
}

/** The script's two `print <<EOF; ... EOF` texts, its charset list and its conflict table. */
function scriptData(script: string): { header: string; footer: string; textUtf8: Set<string>; conflicts: Map<string, Map<string, string>> } | undefined {
  const heredocs = [...script.matchAll(/print <<EOF;\n([\s\S]*?)^EOF$/gm)].map((x) => x[1]);
  const utf8 = /%text_utf8 = map \{ \$_ => 1 \} qw\(([^)]*)\);/.exec(script);
  const table = /%manual_conflicts_resolve = \(([\s\S]*?)\n\);/.exec(script);
  if (heredocs.length !== 2 || !utf8 || !table || /[$@]/.test(heredocs.join(""))) return undefined;
  const conflicts = new Map<string, Map<string, string>>();
  for (const block of table[1].matchAll(/'([^']+)' => \{([^}]*)\}/g)) {
    conflicts.set(block[1], new Map([...block[2].matchAll(/'([^']+)' => '([^']+)'/g)].map((x) => [x[1], x[2]])));
  }
  return { header: heredocs[0], footer: heredocs[1], textUtf8: new Set(utf8[1].split(/\s+/).filter(Boolean)), conflicts };
}

/** create-mime.conf.pl: mimetype.assign from /etc/mime.types, with the script's conflict rules. */
function createMime(script: string, env: HelperEnv): string | undefined {
  const data = scriptData(script);
  const mimeBytes = env.readFile("/etc/mime.types");
  if (!data || !mimeBytes) return undefined; // the script dies without /etc/mime.types: lighttpd refuses
  const extensions = new Map<string, string>();
  const lcext = new Map<string, string>();
  const set = (ext: string, type: string) => {
    extensions.set(ext, type);
    lcext.set(ext.toLowerCase(), ext);
  };
  const isX = (t: string | undefined) => t !== undefined && t.startsWith("x-");
  // Returns the type after the conflict table: the script assigns it to $_[1], an alias of the
  // caller's $mimetype, so the replacement also applies to the line's later extensions.
  const add = (extIn: string, typeIn: string): string => {
    const result = (ext: string, type: string, doSet: boolean): string => {
      if (doSet) set(ext, type);
      return type;
    };
    let ext = extIn;
    let type = typeIn;
    const seen = lcext.get(ext.toLowerCase());
    if (seen !== undefined && seen !== ext) ext = seen;
    const have = extensions.get(ext);
    const r = data.conflicts.get(ext);
    if (r?.get(type)) type = r.get(type)!;
    if (!have || have === "0") return result(ext, type, true);
    if (have === type || have === "application/octet-stream") return type;
    const [haveType, haveSub] = splitType(have);
    const [t, sub] = splitType(type);
    const haveX = isX(haveType) || isX(haveSub);
    const x = isX(t) || isX(sub);
    if (haveX && !x) return result(ext, type, true);
    if (x && !haveX) return type;
    if ((sub ?? "") === (haveSub ?? "")) {
      if (t === "text" && haveType === "application") return result(ext, type, true);
      if (haveType === "text" && t === "application") return type;
    }
    const haveVnd = (haveSub ?? "").startsWith("vnd.");
    const vnd = (sub ?? "").startsWith("vnd.");
    if (haveVnd !== vnd) return result(ext, type, haveVnd);
    set(ext, "application/octet-stream");
    return type;
  };
  for (const raw of Buffer.from(mimeBytes).toString("latin1").split("\n")) {
    const line = raw.replace(/#.*/, "");
    if (/^\w*$/.test(line)) continue;
    // /^([a-z0-9\/+.-]+)\s+((?:[a-z0-9+.-]+[ ]?)+)$/i, written without nested quantifiers.
    // Perl's \s on bytes: ASCII white space only (not NBSP).
    const m = /^([a-z0-9/+.-]+)[ \t\n\r\f\v]+([a-z0-9+.-]+(?: [a-z0-9+.-]+)* ?)$/i.exec(line);
    if (!m) continue;
    let type = m[1];
    for (const ext of m[2].split(" ").filter(Boolean)) type = add(`.${ext}`, type);
  }
  add(".dtd", "application/xml-dtd");
  add(".js", "text/javascript");
  add(".mjs", "text/javascript");
  const useful: [string, string][] = [
    [".tar.gz", "application/x-gtar-compressed"],
    [".gz", "application/x-gzip"],
    [".tbz", "application/x-gtar-compressed"],
    [".tar.bz2", "application/x-gtar-compressed"],
    [".bz2", "application/x-bzip"],
    [".log", "text/plain"],
    [".conf", "text/plain"],
    [".spec", "text/plain"],
    ["README", "text/plain"],
    ["Makefile", "text/x-makefile"],
  ];
  for (const [ext, type] of useful) if (!extensions.get(ext)) add(ext, type);

  const cmpValue = (t: string) => t.replace(/(^|\/)(x-|vnd\.)/g, "~$1$2");
  const dots = (s: string) => s.split(".").length - 1;
  const order = [...extensions.keys()].sort((a, b) => dots(b) - dots(a) || byteOrder(cmpValue(extensions.get(a)!), cmpValue(extensions.get(b)!)) || byteOrder(a, b));
  const lines = order.map((ext) => {
    let type = extensions.get(ext)!;
    const text = /^text\/(.*)$/.exec(type);
    if (text && data.textUtf8.has(text[1])) type += ";charset=utf-8";
    return `\t"${ext}" => "${type}",\n`;
  });
  return data.header + lines.join("") + data.footer;
}

/** Perl's `split /\//, $t, 2`. */
function splitType(t: string): [string, string | undefined] {
  const i = t.indexOf("/");
  return i < 0 ? [t, undefined] : [t.slice(0, i), t.slice(i + 1)];
}
