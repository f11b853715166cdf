/**
 * lighttpd2 -> lighttpd 1.4: a tokenizer and parser for lighttpd2's action language (statements,
 * `setup { }`, `if cond { } else { }`, lists, key => value) and a mapper for the WSGI-howto subset:
 * module_load, listen, docroot, index, static, alias, core.wsgi ("/prefix", { fastcgi "..."; }),
 * fastcgi under `if request.path =^ "/prefix"`. lighttpd2 never had a production release; its
 * configs live on in howtos, which is why this converts rather than lints.
 */
import { parseAddress, SourceSyntaxError } from "./nginx.js";
import { emptyPlan, type Mount, type Plan, type ReportEntry } from "./plan.js";

type Value = { t: "str"; v: string } | { t: "num"; v: number } | { t: "id"; v: string } | { t: "list"; v: Value[] } | { t: "kv"; k: Value; v: Value } | { t: "block"; v: Stmt[] };

export interface Stmt {
  line: number;
  /** action / option name, "if", "setup" */
  name: string;
  args: Value[];
  /** `name = value` (setup assignments) */
  assign?: boolean;
  block?: Stmt[];
  cond?: { lhs: string; op: string; rhs: Value };
  else?: Stmt[];
}

interface Tok {
  t: "str" | "num" | "id" | "p";
  v: string;
  line: number;
}

const PUNCT = ["=>", "==", "!=", "=~", "!~", "=^", "!^", "=$", "!$", "=/", "!/", "<=", ">=", "(", ")", "[", "]", "{", "}", ",", ";", "=", ":", "<", ">", "!"];

export function tokenizeLighttpd2(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "\n") {
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === "#") while (i < text.length && text[i] !== "\n") i++;
    else if (c === '"' || c === "'") {
      const start = line;
      let s = "";
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === "\\" && i + 1 < text.length) {
          const e = text[++i];
          s += e === "n" ? "\n" : e === "t" ? "\t" : e;
          i++;
          continue;
        }
        if (text[i] === "\n") line++;
        s += text[i++];
      }
      if (i >= text.length) throw new SourceSyntaxError("unterminated string", start);
      i++;
      out.push({ t: "str", v: s, line: start });
    } else if (/[0-9]/.test(c)) {
      let s = "";
      while (i < text.length && /[0-9a-zA-Z.]/.test(text[i])) s += text[i++];
      out.push({ t: "num", v: s, line });
    } else if (/[A-Za-z_]/.test(c)) {
      let s = "";
      while (i < text.length && /[A-Za-z0-9_.]/.test(text[i])) s += text[i++];
      out.push({ t: "id", v: s, line });
    } else {
      const p = PUNCT.find((x) => text.startsWith(x, i));
      if (!p) throw new SourceSyntaxError(`unexpected character ${JSON.stringify(c)}`, line);
      out.push({ t: "p", v: p, line });
      i += p.length;
    }
  }
  return out;
}

const MAX_DEPTH = 32;

export function parseLighttpd2(text: string): Stmt[] {
  const toks = tokenizeLighttpd2(text);
  let p = 0;
  const peek = () => toks[p];
  const fail = (msg: string): never => {
    throw new SourceSyntaxError(msg, toks[Math.min(p, toks.length - 1)]?.line ?? 0);
  };
  const expect = (v: string) => {
    if (peek()?.t !== "p" || peek().v !== v) fail(`expected "${v}"`);
    p++;
  };
  const isP = (v: string) => peek()?.t === "p" && peek().v === v;

  const value = (depth: number): Value => {
    if (depth > MAX_DEPTH) fail("nested too deeply");
    const t = peek();
    if (!t) return fail("unexpected end of file");
    let v: Value;
    if (t.t === "str") {
      p++;
      v = { t: "str", v: t.v };
    } else if (t.t === "num") {
      p++;
      v = { t: "num", v: Number.parseFloat(t.v) };
    } else if (t.t === "id") {
      p++;
      v = { t: "id", v: t.v };
    } else if (t.v === "(" || t.v === "[") {
      const close = t.v === "(" ? ")" : "]";
      p++;
      const items: Value[] = [];
      while (!isP(close)) {
        items.push(value(depth + 1));
        if (!isP(close)) expect(",");
      }
      p++;
      v = { t: "list", v: items };
    } else if (t.v === "{") {
      p++;
      v = { t: "block", v: stmts(depth + 1, true) };
    } else return fail(`unexpected "${t.v}"`);
    if (isP("=>") || isP(":")) {
      p++;
      v = { t: "kv", k: v, v: value(depth + 1) };
    }
    return v;
  };

  const stmts = (depth: number, closing: boolean): Stmt[] => {
    if (depth > MAX_DEPTH) fail("nested too deeply");
    const out: Stmt[] = [];
    for (;;) {
      const t = peek();
      if (!t) {
        if (closing) fail('expected "}"');
        return out;
      }
      if (t.t === "p" && t.v === "}") {
        if (!closing) fail('unexpected "}"');
        p++;
        return out;
      }
      if (t.t === "p" && t.v === ";") {
        p++;
        continue;
      }
      if (t.t !== "id") fail(`unexpected ${JSON.stringify(t.v)}`);
      p++;
      const s: Stmt = { line: t.line, name: t.v, args: [] };
      if (t.v === "if") {
        const lhsTok = peek();
        if (lhsTok?.t !== "id") fail("expected a condition variable");
        p++;
        let lhs = lhsTok.v;
        if (isP("[")) {
          p++;
          lhs += `[${peek()?.v ?? ""}]`;
          p++;
          expect("]");
        }
        const op = peek();
        if (op?.t !== "p") fail("expected a comparison operator");
        p++;
        s.cond = { lhs, op: op.v, rhs: value(depth + 1) };
        expect("{");
        s.block = stmts(depth + 1, true);
        if (peek()?.t === "id" && peek().v === "else") {
          p++;
          if (peek()?.t === "id" && peek().v === "if") s.else = [stmts1(depth + 1)];
          else {
            expect("{");
            s.else = stmts(depth + 1, true);
          }
        }
        out.push(s);
        continue;
      }
      if (isP("{")) {
        p++;
        s.block = stmts(depth + 1, true);
        out.push(s);
        continue;
      }
      if (isP("=")) {
        p++;
        s.assign = true;
      }
      if (!isP(";")) s.args.push(value(depth + 1));
      expect(";");
      out.push(s);
    }
  };
  const stmts1 = (depth: number): Stmt => {
    const before = p;
    const list = stmts(depth, true);
    void before;
    return list[0];
  };
  return stmts(0, false);
}

// ---------------------------------------------------------------------------------------------

function str(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  if (v.t === "str") return v.v;
  if (v.t === "list" && v.v.length === 1) return str(v.v[0]);
  return undefined;
}

function strs(v: Value | undefined): string[] | undefined {
  if (!v) return undefined;
  if (v.t === "str") return [v.v];
  if (v.t === "list" && v.v.every((x) => x.t === "str")) return v.v.map((x) => (x as { v: string }).v);
  return undefined;
}

function show(s: Stmt): string {
  const fmt = (v: Value): string =>
    v.t === "str"
      ? JSON.stringify(v.v)
      : v.t === "num" || v.t === "id"
        ? String(v.v)
        : v.t === "list"
          ? `(${v.v.map(fmt).join(", ")})`
          : v.t === "kv"
            ? `${fmt(v.k)} => ${fmt(v.v)}`
            : "{ ... }";
  const text = s.cond
    ? `if ${s.cond.lhs} ${s.cond.op} ${fmt(s.cond.rhs)} { ... }`
    : `${s.name}${s.assign ? " =" : ""}${s.args.length ? " " + s.args.map(fmt).join(" ") : ""}${s.block ? " { ... }" : ";"}`;
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
}

/** A lighttpd2 backend address: "unix:/path", "127.0.0.1:9000", "[::1]:9000". */
function address(a: string): Mount["host"] | undefined {
  return parseAddress(a.replace(/^tcp:/, ""));
}

export function convertLighttpd2(text: string, file: string): { plan: Plan; report: ReportEntry[] } {
  const plan = emptyPlan();
  const report: ReportEntry[] = [];
  const rep = (s: Stmt, status: ReportEntry["status"], note: string): void => void report.push({ file, line: s.line, directive: show(s), status, note });
  const modules = new Set<string>();

  const fastcgiMount = (s: Stmt, prefix: string, wsgi: boolean) => {
    const a = str(s.args[0]);
    const host = a ? address(a) : undefined;
    if (!host) return rep(s, "unsupported", 'fastcgi needs "unix:/path" or "host:port"');
    const root = prefix === "" || prefix === "/";
    const key = root ? "/" : prefix.replace(/\/+$/, "");
    // core.wsgi (contrib/core.lua) cuts the prefix off as a string: SCRIPT_NAME = prefix,
    // PATH_INFO = the rest. A prefix ending in "/" keeps the slash in SCRIPT_NAME, which lighttpd 1.4 cannot.
    const slashPrefix = wsgi && prefix.endsWith("/");
    plan.mounts.push({ kind: "fastcgi", key, host, checkLocal: false, fixRootScriptname: root && wsgi ? true : undefined });
    if (!modules.has("mod_fastcgi")) rep(s, "approximated", "lighttpd2 needs mod_fastcgi in module_load; it is loaded here too");
    const split = wsgi
      ? root
        ? `"fix-root-scriptname" => "enable": SCRIPT_NAME "" and PATH_INFO = the whole path, as core.wsgi ("${prefix}") gives`
        : `SCRIPT_NAME=${key}, PATH_INFO=the rest, as core.wsgi gives. Differs only for ${key}X/... without a slash after the prefix: lighttpd 1.4 takes SCRIPT_NAME up to the next "/" (gw_backend.c)`
      : `lighttpd 1.4 sends SCRIPT_NAME=${key} and PATH_INFO=the rest; a bare lighttpd2 fastcgi action sends SCRIPT_NAME = the whole path and no PATH_INFO (use core.wsgi there for the split)`;
    if (slashPrefix)
      rep(
        s,
        "approximated",
        `core.wsgi ("${prefix}") gives SCRIPT_NAME "${prefix}" and PATH_INFO without a leading "/"; lighttpd 1.4 gives SCRIPT_NAME "${root ? "" : key}" and PATH_INFO starting with "/" (what WSGI expects; core.wsgi ("${root ? "" : key}") in lighttpd2)`,
      );
    rep(
      s,
      wsgi && root && !slashPrefix ? "mapped" : "approximated",
      `fastcgi.server = ("${key}" => ((${host.socket ? `"socket" => "${host.socket}"` : `"host" => "${host.host}", "port" => ${host.port}`}, "check-local" => "disable"))): ${split}`,
    );
  };

  /**
   * Static prefixes, decided after the walk: lighttpd2 runs actions in order and the first that
   * answers wins, so a prefix is served as files (kept off backends) only when a `static;` follows
   * its alias/docroot in the same `if` block; otherwise a backend mounted over it answers instead.
   */
  const pending: { s: Stmt; prefix: string; dir: string; block: Stmt[]; how: string }[] = [];
  const walk = (list: Stmt[], pathPrefix: string | undefined) => {
    for (const s of list) {
      if (s.name === "setup" && s.block) {
        rep(s, "mapped", "global setup");
        walkSetup(s.block);
        continue;
      }
      if (s.name === "if" && s.cond) {
        const rhs = str(s.cond.rhs);
        if (s.cond.lhs === "request.path" && s.cond.op === "=^" && rhs?.startsWith("/") && !s.else && pathPrefix === undefined) {
          rep(s, "mapped", `requests whose path starts with ${rhs}`);
          walk(s.block ?? [], rhs);
        } else {
          rep(s, "unsupported", 'only `if request.path =^ "/prefix" { ... }` (without else) converts: write a lighttpd $HTTP[...] condition by hand');
        }
        continue;
      }
      const a0 = s.args[0];
      switch (s.name) {
        case "docroot": {
          const d = str(a0);
          if (!d) {
            rep(s, "unsupported", "docroot with several directories is not converted");
            break;
          }
          if (pathPrefix !== undefined) pending.push({ s, prefix: pathPrefix, dir: d.replace(/\/+$/, "") + pathPrefix, block: list, how: "the path is appended to this docroot" });
          else {
            plan.docroot = d;
            rep(s, "mapped", `server.document-root = "${d}"`);
          }
          break;
        }
        case "alias": {
          const kv = a0?.t === "kv" ? [a0] : a0?.t === "list" ? a0.v.filter((x) => x.t === "kv") : [];
          const d = kv.length ? undefined : str(a0);
          if (d && pathPrefix !== undefined) pending.push({ s, prefix: pathPrefix, dir: d, block: list, how: "the prefix is replaced by the directory" });
          else if (!kv.length) rep(s, "unsupported", 'alias needs "/prefix" => "/dir"');
          for (const x of kv) {
            const k = str((x as { k: Value }).k);
            const v = str((x as { v: Value }).v);
            if (k && v) pending.push({ s, prefix: k, dir: v, block: list, how: "the prefix is replaced by the directory" });
          }
          break;
        }
        case "index": {
          const l = strs(a0);
          if (l) {
            plan.indexFiles = l;
            rep(s, "mapped", `index-file.names = (${l.map((x) => `"${x}"`).join(", ")})`);
          } else rep(s, "unsupported", "index needs a list of names");
          break;
        }
        case "static":
          rep(s, "mapped", "lighttpd serves files itself (mod_staticfile) when no backend claims the path");
          break;
        case "core.wsgi": {
          // core.wsgi ( "/prefix", { ... } ): one list value holding the prefix and the action block
          const prefix = a0?.t === "list" ? str(a0.v[0]) : str(a0);
          const act = a0?.t === "list" ? a0.v[1] : s.args[1];
          const inner = act?.t === "block" ? act.v : [];
          const fc = inner.find((x) => x.name === "fastcgi");
          if (prefix === undefined || !fc || pathPrefix !== undefined) {
            rep(s, "unsupported", 'core.wsgi converts as core.wsgi ("/prefix", { fastcgi "unix:/path"; }) at the top level');
            break;
          }
          rep(s, "mapped", `WSGI mount at "${prefix || "/"}"`);
          fastcgiMount(fc, prefix, true);
          for (const x of inner) if (x !== fc) rep(x, "unsupported", "other actions inside core.wsgi are not converted");
          break;
        }
        case "fastcgi":
          fastcgiMount(s, pathPrefix ?? "/", false);
          break;
        case "include":
          rep(s, "unsupported", `included files are not followed: convert ${str(a0) ?? "it"} separately`);
          break;
        default:
          rep(s, "unsupported", "no converter for this action: find the lighttpd 1.4 counterpart and add it by hand");
      }
    }
  };

  const walkSetup = (list: Stmt[]) => {
    for (const s of list) {
      const a0 = s.args[0];
      if (s.name === "module_load") {
        for (const m of strs(a0) ?? []) modules.add(m);
        const unknown = [...modules].filter(
          (m) =>
            ![
              "mod_fastcgi",
              "mod_accesslog",
              "mod_dirlist",
              "mod_rewrite",
              "mod_redirect",
              "mod_proxy",
              "mod_scgi",
              "mod_access",
              "mod_deflate",
              "mod_expire",
              "mod_status",
            ].includes(m),
        );
        rep(
          s,
          "mapped",
          `the converted config loads the lighttpd 1.4 modules it uses (server.modules)${unknown.length ? `; ${unknown.join(", ")} have no converted use here` : ""}`,
        );
      } else if (s.name === "listen") {
        const l = str(a0) ?? "";
        const m = /^(?:(\[[0-9a-fA-F:.]+\]|[0-9.]+|\*):)?(\d{1,5})$/.exec(l);
        if (!m) rep(s, "unsupported", 'listen needs "address:port"');
        else if (plan.port !== undefined)
          rep(s, "approximated", `a second listen: add $SERVER["socket"] == "${l}" { } to lighttpd 1.4 by hand (only the first becomes server.port)`);
        else {
          plan.port = Number(m[2]);
          if (m[1] && m[1] !== "0.0.0.0" && m[1] !== "*") plan.bind = m[1].replace(/^\[|\]$/g, "");
          rep(s, "mapped", `server.port = ${m[2]}${plan.bind ? `, server.bind = "${plan.bind}"` : ""} (in the --full config)`);
        }
      } else if (s.name === "static.exclude_extensions") {
        rep(s, "mapped", "lighttpd 1.4: static-file.exclude-extensions; backends claim their paths before static files anyway");
      } else rep(s, "unsupported", "no converter for this setup option: find the lighttpd 1.4 counterpart and add it by hand");
    }
  };

  const top = parseLighttpd2(text);
  walk(top, undefined);
  for (const p of pending) {
    plan.aliases.push([p.prefix, p.dir]);
    const i = p.block.indexOf(p.s);
    const served = p.block !== top && p.block.slice(i + 1).some((x) => x.name === "static");
    const over = plan.mounts.find((m) => m.key.startsWith("/") && (m.key === "/" || p.prefix === m.key || p.prefix.startsWith(m.key + "/")));
    const what = `alias.url ("${p.prefix}" => "${p.dir}"): ${p.how}`;
    if (served) {
      plan.staticPrefixes.push(p.prefix);
      rep(p.s, "mapped", `${what}; served as files (the \`static\` in its block), kept off backends`);
    } else if (over) {
      rep(
        p.s,
        "approximated",
        `${what}; but in lighttpd2 the backend mounted at ${over.key} answers these requests (no \`static;\` in this block before it), and so it does here. To serve them as files put \`static;\` after it inside an \`if request.path =^ "${p.prefix}" { ... }\` block`,
      );
    } else rep(p.s, "mapped", `${what}; served as files`);
  }
  return { plan, report: report.sort((a, b) => a.line - b.line) };
}
