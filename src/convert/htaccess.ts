/**
 * Apache .htaccess -> lighttpd: front-controller mod_rewrite rules (RewriteCond %{REQUEST_FILENAME}
 * !-f / !-d + RewriteRule), redirects, DirectoryIndex, and a FastCGI handler given by
 * `<FilesMatch \.php$> SetHandler "proxy:unix:/sock|fcgi://localhost"`. The file is taken to sit in
 * the document root (per-directory patterns see the path without its leading "/").
 */
import { parseAddress } from "./nginx.js";
import { emptyPlan, reQuote, type Plan, type ReportEntry } from "./plan.js";

interface Line {
  line: number;
  words: string[];
  raw: string;
}

/** Apache's config line reader: `\` continues a line, `#` starts a comment line, quotes group words. */
export function splitApacheLines(text: string): Line[] {
  const out: Line[] = [];
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const start = i + 1;
    // continuation lines joined once (not by repeated concatenation: linear on hostile input)
    const parts = [physical[i]];
    while (parts[parts.length - 1].endsWith("\\") && i + 1 < physical.length) {
      parts[parts.length - 1] = parts[parts.length - 1].slice(0, -1);
      parts.push(physical[++i]);
    }
    const t = parts.join("").trim();
    if (!t || t.startsWith("#")) continue;
    const words: string[] = [];
    const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(t))) words.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : (m[2] ?? m[3])); // Apache unescapes only \" in quotes
    out.push({ line: start, words, raw: t.length > 80 ? t.slice(0, 77) + "..." : t });
  }
  return out;
}

/** Capture groups in a PCRE (unescaped "(" not followed by "?"). */
export function countGroups(re: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(" && re[i + 1] !== "?") n++;
  }
  return n;
}

/**
 * A per-directory RewriteRule pattern (matched by Apache against the path without the leading "/"
 * and without the query string) as a lighttpd pattern (matched against "/path?query"): "." and
 * negated classes cannot cross into the query, and the query is captured as the last group.
 */
export function perDirPattern(pattern: string, nocase: boolean, notDir = false): { regex: string; queryGroup: number; exact: boolean } {
  let body = pattern;
  let exact = true;
  // With a !-d condition the rule never applies to the document root itself (a directory): "/" stays "/".
  const slash = notDir ? "/(?=[^?])" : "/";
  let head = `^${slash}`;
  if (body.startsWith("^")) body = body.slice(1);
  else {
    head = `^${slash}(?:[^?]*?)`;
    exact = countGroups(body) === 0;
  }
  let anchoredEnd = false;
  if (body.endsWith("$") && !body.endsWith("\\$")) {
    body = body.slice(0, -1);
    anchoredEnd = true;
  }
  let out = "";
  let inClass = false;
  let negated = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\") {
      out += c + (body[i + 1] ?? "");
      i++;
    } else if (inClass) {
      // a negated class must not match "?" either, or it would run into the query string
      if (c === "]") inClass = false;
      out += c === "]" && negated ? "?]" : c;
    } else if (c === "[") {
      inClass = true;
      negated = body[i + 1] === "^";
      out += negated ? "[^" : "[";
      if (negated) i++;
      if (body[i + 1] === "]") out += body[++i]; // a leading "]" is a member
    } else if (c === ".") out += "[^?]";
    else out += c;
  }
  const tail = anchoredEnd ? "(?:\\?(.*))?$" : "[^?]*(?:\\?(.*))?$";
  return { regex: `${nocase ? "(?i)" : ""}${head}${out}${tail}`, queryGroup: countGroups(pattern) + 1, exact };
}

function flagsOf(w: string | undefined): Map<string, string> {
  const flags = new Map<string, string>();
  if (!w) return flags;
  for (const f of w.replace(/^\[|\]$/g, "").split(",")) {
    const [k, v] = f.trim().split("=");
    flags.set(k.toUpperCase(), v ?? "");
  }
  return flags;
}

export function convertHtaccess(text: string, file: string): { plan: Plan; report: ReportEntry[] } {
  const plan = emptyPlan();
  const report: ReportEntry[] = [];
  const rep = (l: Line, status: ReportEntry["status"], note: string): void => void report.push({ file, line: l.line, directive: l.raw, status, note });
  let base = "/";
  let engine = false;
  let conds: Line[] = [];
  let filesMatch: { line: Line; ext?: string } | undefined;
  const hadNotFileRule = { v: false };

  for (const l of splitApacheLines(text)) {
    const [name0, ...a] = l.words;
    const name = name0.toLowerCase();
    if (/^<ifmodule\b/.test(name) || name === "</ifmodule>") {
      rep(l, "mapped", "module checks: the converted config loads the modules it needs");
      continue;
    }
    if (name === "<filesmatch" || name === "<files") {
      const re = (a[0] ?? "").replace(/>$/, "");
      const m = /^\\(\.[A-Za-z0-9]+)\$$/.exec(re) ?? /^"?\\(\.[A-Za-z0-9]+)\$"?$/.exec(re) ?? /^\.\+\\(\.[A-Za-z0-9]+)\$$/.exec(re);
      filesMatch = { line: l, ext: m?.[1] };
      continue;
    }
    if (name === "</filesmatch>" || name === "</files>") {
      filesMatch = undefined;
      continue;
    }
    switch (name) {
      case "rewriteengine":
        engine = (a[0] ?? "").toLowerCase() === "on";
        rep(l, "mapped", engine ? "mod_rewrite is loaded when a rule needs it" : "rules below are off");
        break;
      case "rewritebase":
        base = (a[0] ?? "/").endsWith("/") ? (a[0] ?? "/") : `${a[0]}/`;
        rep(l, "mapped", `relative substitutions are prefixed with ${base}`);
        break;
      case "rewritecond":
        conds.push(l);
        break;
      case "rewriterule":
        if (!engine) {
          rep(l, "mapped", "RewriteEngine is not on here: Apache ignores this rule, so nothing is emitted");
          for (const c of conds) rep(c, "mapped", "ignored with its rule");
        } else rewriteRule(l, a, conds);
        conds = [];
        break;
      case "directoryindex":
        plan.indexFiles = a;
        rep(l, "mapped", `index-file.names = (${a.map((x) => `"${x}"`).join(", ")})`);
        break;
      case "options":
        if (a.every((o) => /^[-+]?(Indexes|FollowSymLinks|SymLinksIfOwnerMatch|MultiViews)$/i.test(o) && (o.startsWith("-") || /FollowSymLinks/i.test(o))))
          rep(l, "mapped", "lighttpd lists no directories (mod_dirlist is off by default), follows symlinks (server.follow-symlink) and has no MultiViews");
        else rep(l, "unsupported", "these Options have no converter: Indexes = mod_dirlist (dir-listing.activate), ExecCGI = mod_cgi");
        break;
      case "sethandler":
      case "addhandler": {
        const h = a[0] ?? "";
        const m = /^proxy:(unix:[^|]+|fcgi:\/\/[^/]+\/?)(?:\|fcgi:\/\/[^/]*\/?)?$/.exec(h);
        const ext = name === "addhandler" ? (a[1]?.startsWith(".") ? a[1] : undefined) : filesMatch?.ext;
        const host = m ? parseAddress(m[1].startsWith("fcgi://") ? m[1].slice(7).replace(/\/$/, "") : m[1]) : undefined;
        if (!host || !ext) {
          rep(l, "unsupported", 'only `SetHandler "proxy:unix:/path|fcgi://localhost"` (or fcgi://host:port) inside <FilesMatch "\\.ext$"> converts: write fastcgi.server by hand');
          break;
        }
        plan.mounts.push({ kind: "fastcgi", key: ext, host, checkLocal: true });
        if (filesMatch) rep(filesMatch.line, "mapped", `files ending in ${ext}`);
        rep(
          l,
          "mapped",
          `fastcgi.server = ("${ext}" => ((${host.socket ? `"socket" => "${host.socket}"` : `"host" => "${host.host}", "port" => ${host.port}`}))): lighttpd splits SCRIPT_NAME/PATH_INFO after the existing ${ext} file and answers 404 when it does not exist, as Apache does`,
        );
        break;
      }
      case "errordocument":
        if (a[0] === "404" && a[1]?.startsWith("/")) {
          rep(l, "approximated", `lighttpd: server.error-handler-404 = "${a[1]}" — not emitted (it also applies to backend 404s in lighttpd)`);
        } else rep(l, "unsupported", "write server.errorfile-prefix or server.error-handler by hand");
        break;
      case "redirect":
      case "redirectmatch":
      case "redirectpermanent": {
        const status =
          name === "redirectpermanent" ? 301 : /^\d{3}$/.test(a[0] ?? "") ? Number(a.shift()) : a[0] === "permanent" ? (a.shift(), 301) : a[0] === "temp" ? (a.shift(), 302) : 302;
        const [from, to] = a;
        if (!from || !to || !from.startsWith(name === "redirectmatch" ? "^/" : "/")) {
          rep(l, "unsupported", "write url.redirect by hand");
          break;
        }
        // mod_alias Redirect: prefix match at a segment boundary, the rest is appended (query kept)
        const regex = name === "redirectmatch" ? from : `^${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(/[^?]*)?(\\?.*)?$`;
        const target = name === "redirectmatch" ? to : `${to}$1$2`;
        plan.redirects.push({ regex, target, status });
        rep(
          l,
          name === "redirectmatch" ? "approximated" : "mapped",
          `url.redirect = ("${regex}" => "${target}"), url.redirect-code = ${status}${name === "redirectmatch" ? "; lighttpd matches the url-encoded path plus query string, Apache the decoded path" : ""}`,
        );
        break;
      }
      default:
        rep(l, "unsupported", "no converter for this directive: find the lighttpd counterpart and add it by hand");
    }
  }
  return { plan, report: report.sort((x, y) => x.line - y.line) };

  function rewriteRule(l: Line, a: string[], cs: Line[]): void {
    const [pattern, subst, flagWord] = a;
    if (!pattern || !subst) return rep(l, "unsupported", "RewriteRule needs a pattern and a substitution");
    const flags = flagsOf(flagWord);
    let notFile = false;
    let notDir = false;
    const lookaheads: string[] = [];
    for (const c of cs) {
      const [, test, cond, cflags] = c.words;
      const cf = flagsOf(cflags);
      if (cf.has("OR")) return badCond(c, l, "[OR] conditions are not converted");
      if (/^%\{(REQUEST_FILENAME|DOCUMENT_ROOT}%\{REQUEST_URI|SCRIPT_FILENAME)\}$/.test(test ?? "") && cond === "!-f") {
        notFile = true;
        rep(c, "mapped", "url.rewrite-if-not-file: the rule applies only when the path is not a regular file");
      } else if (/^%\{(REQUEST_FILENAME|DOCUMENT_ROOT}%\{REQUEST_URI|SCRIPT_FILENAME)\}$/.test(test ?? "") && cond === "!-d") {
        notDir = true;
        rep(
          c,
          "approximated",
          'lighttpd 1.4\'s url.rewrite-if-not-file skips regular files only (mod_rewrite.c): existing directories are rewritten too, where Apache serves them (DirectoryIndex, or a 301 to add the slash). The document root "/" is kept out of the pattern, so it still gets index-file.names. Differs for URLs of other existing directories',
        );
      } else if (test === "%{REQUEST_FILENAME}" && cond === "!-l") {
        rep(c, "approximated", "lighttpd follows symlinks to files: a symlink to a file is served, not rewritten");
      } else if (test === "%{REQUEST_URI}" && cond?.startsWith("!^/") && !cf.has("NC")) {
        lookaheads.push(cond.slice(2));
        rep(c, "mapped", `a negative lookahead (?!${cond.slice(2)}) at the start of the rule's pattern`);
      } else
        return badCond(
          c,
          l,
          'only %{REQUEST_FILENAME} !-f / !-d / !-l and %{REQUEST_URI} !^/... conditions convert: write a lighttpd condition ($HTTP["url"], $HTTP["host"], ...) around url.rewrite by hand',
        );
    }
    if (cs.length && !notFile && notDir) return badCond(cs[0], l, "a !-d condition without !-f has no lighttpd counterpart");
    if (subst === "-") {
      if (notFile) return rep(l, "mapped", "no substitution: nothing to emit");
      return rep(
        l,
        "mapped",
        'no substitution ("-"): the request goes on unchanged — nothing to emit, later rules are not reached for it in Apache; lighttpd\'s url.rewrite-if-not-file never rewrites existing files either',
      );
    }
    const known = new Set(["L", "QSA", "NC", "END", "PT", "R", "NE", "QSD"]);
    const unknown = [...flags.keys()].filter((k) => !known.has(k));
    if (unknown.length) return rep(l, "unsupported", `flags ${unknown.join(",")} are not converted`);
    if (/%\d/.test(subst)) return rep(l, "unsupported", "back-references to RewriteCond (%1..%9) are not converted");
    if (/%\{/.test(subst)) return rep(l, "unsupported", "server variables in the substitution are not converted");
    const { regex: base0, queryGroup, exact } = perDirPattern(pattern, flags.has("NC"), notDir);
    let regex = lookaheads.length ? base0.replace("^/", `^(?!${lookaheads.map((x) => x.replace(/^\//, "\\/").replace(/^\\\//, "/")).join("|")})/`) : base0;
    const abs = /^[a-z]+:\/\//i.test(subst) || subst.startsWith("/");
    let target = abs ? subst : base + subst;
    const [path, query] = target.split("?", 2);
    const qs = flags.has("QSD") ? "" : `$${queryGroup}`;
    if (query !== undefined) target = flags.has("QSA") && !flags.has("QSD") ? `${path}?${query}&${qs}` : `${path}?${query}`;
    else target = flags.has("QSD") ? path : `${path}?${qs}`;
    if (target.endsWith("?")) target = target.slice(0, -1);
    const notes: string[] = [];
    // Apache tests -f on the file part of /index.php/extra (the rest is PATH_INFO); lighttpd 1.4
    // stats the whole path, finds no file and would rewrite again (/index.php/index.php/extra).
    // Keep the target script's own PATH_INFO URLs out of the pattern (the script exists, or
    // Apache's rule would not work either).
    const script = notFile ? /^(\/[^$?%]*?\.[A-Za-z0-9]+)(?=\/|\?|$)/.exec(path)?.[1] : undefined;
    if (script) regex = regex.replace(/^(\(\?i\))?\^/, (m) => `${m}(?!${reQuote(script)}/)`);
    if (!exact) notes.push("an unanchored pattern with groups: lighttpd's leading [^?]*? may capture differently");
    if (query !== undefined && flags.has("QSA")) notes.push('with an empty query string lighttpd\'s target ends in "&" (QUERY_STRING "a=b&" where Apache gives "a=b")');
    if (flags.has("R")) {
      const status = Number(flags.get("R") || 302);
      plan.redirects.push({ regex, target, status });
      const kind = `url.redirect = ("${regex}" => "${target}"), url.redirect-code = ${status}`;
      if (notFile) notes.push("the redirect applies whether or not the file exists (lighttpd has no file check for url.redirect)");
      return rep(l, notes.length ? "approximated" : "mapped", kind + (notes.length ? ". Differs: " + notes.join("; ") : ""));
    }
    if (!notFile && hadNotFileRule.v) notes.push("lighttpd runs url.rewrite-once before url.rewrite-if-not-file, whatever the order here");
    if (notFile) hadNotFileRule.v = true;
    plan.rewrites.push({ regex, target, ifNotFile: notFile });
    const what = `${notFile ? "url.rewrite-if-not-file" : "url.rewrite-once"} = ("${regex}" => "${target}")`;
    rep(
      l,
      notes.length ? "approximated" : "mapped",
      `${what}: the query string is kept as Apache keeps it${script ? `; ${script}/... (the script with its own PATH_INFO) is left alone, as Apache's -f test on ${script} does` : ""}${flags.has("QSA") ? " (QSA)" : ""}; REQUEST_URI stays the original request in both. ${notes.length ? "Differs: " + notes.join("; ") : ""}`.trim(),
    );
  }

  function badCond(c: Line, rule: Line, why: string): void {
    rep(c, "unsupported", why);
    rep(rule, "unsupported", "its conditions are not converted, so neither is the rule");
  }
}
