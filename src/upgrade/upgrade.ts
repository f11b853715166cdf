/**
 * `lighttpd-lint upgrade --to X.Y.Z FILE`: what changes when this config moves from the target
 * version to release X. Two sources, each stated once:
 *  - the language and schema: the config is linted as each release reads it (the same code the oracle
 *    tier proves against each release's binary), and findings present under one release and not the
 *    other are reported (syntax that starts/stops being accepted, keys and modules removed or renamed);
 *  - behaviour changes of defaults, which no `-p` shows: BEHAVIOUR_CHANGES below, each from upstream NEWS.
 */
import { refusedOnLoad } from "../ast/diagnostics.js";
import type { Diagnostic } from "../ast/diagnostics.js";
import { lint, type LintOptions } from "../linter.js";
import type { EvaluatedConfig } from "../eval/model.js";
import { SourceText } from "../../grammar/tokens.js";
import { compareVersions } from "../util/version.js";

export interface BehaviourChange {
  release: string;
  /** The upstream NEWS line of that release. */
  source: string;
  what: string;
  todo: string;
  /** Keys whose presence makes the change matter; empty: it matters for every config. */
  keys: string[];
  /** Keys that, when set, mean the config already chose explicitly (the new default does not apply). */
  unlessKeys?: string[];
}

export const BEHAVIOUR_CHANGES: readonly BehaviourChange[] = [
  {
    release: "1.4.59",
    source: "NEWS 1.4.59: [core] enable HTTP/2 by default",
    what: "HTTP/2 is enabled by default",
    todo: 'to keep HTTP/1.1 only, set server.feature-flags += ("server.h2proto" => "disable")',
    keys: [],
    unlessKeys: ["server.h2proto", "server.feature-flags"],
  },
  {
    release: "1.4.75",
    source: "NEWS 1.4.75: [mod_redirect] url.redirect-code = 308 new default",
    what: "url.redirect answers 308 by default (was 301)",
    todo: "set url.redirect-code = 301 to keep permanent redirects that clients may turn into GET",
    keys: ["url.redirect"],
    unlessKeys: ["url.redirect-code"],
  },
  {
    release: "1.4.77",
    source: "NEWS 1.4.77: [TLS] modify TLS defaults to MinProtocol TLSv1.3",
    what: "TLS clients older than TLS 1.3 are refused by default",
    todo: 'if old clients must connect, set ssl.openssl.ssl-conf-cmd = ("MinProtocol" => "TLSv1.2")',
    keys: ["ssl.engine"],
    unlessKeys: ["ssl.openssl.ssl-conf-cmd"],
  },
  {
    release: "1.4.77",
    source: "NEWS 1.4.77: [core] server.error-handler-404 handles only 404",
    what: "server.error-handler-404 no longer handles other errors (403 ...)",
    todo: "use server.error-handler for all error codes",
    keys: ["server.error-handler-404"],
  },
  {
    release: "1.4.80",
    source: "NEWS 1.4.80: [mod_staticfile] reject pathinfo on static files",
    what: "requests with a path after a static file name (/file.html/extra) get 404",
    todo: "check that no static URL relies on trailing path info",
    keys: [],
  },
];

export interface UpgradeItem {
  kind: "refused" | "accepted" | "finding-new" | "finding-gone" | "behaviour";
  release: string;
  file: string;
  line: number;
  message: string;
  source?: string;
}

const keyOf = (d: Diagnostic) => `${d.file}\u0000${d.start}\u0000${d.ruleId}`;

/** Where a key is assigned anywhere in the evaluated config (first site). */
function firstSite(config: EvaluatedConfig, key: string): { file: string; start: number } | undefined {
  for (const c of config.contexts) {
    for (const s of c.settings.values()) if (s.key.toLowerCase() === key && s.sites.length) return { file: s.sites[0].file, start: s.sites[0].node.start };
  }
  return undefined;
}

export function upgradeReport(file: string, from: string, to: string, options: LintOptions = {}): UpgradeItem[] {
  const at = (v: string) => lint(file, { ...options, project: { ...(options.project ?? { rules: {} }), lighttpdVersion: v } });
  const before = at(from);
  const after = at(to);
  const items: UpgradeItem[] = [];
  const lines = new Map<string, SourceText>();
  const lineOf = (f: string, start: number, text?: string): number => {
    if (!lines.has(f)) lines.set(f, new SourceText(text ?? before.config.files.get(f)?.text ?? after.config.files.get(f)?.text ?? ""));
    return lines.get(f)!.position(start).line;
  };
  const all = (r: typeof before) => r.files.flatMap((f) => f.diagnostics.map((d) => ({ d, text: f.text })));
  const old = new Map(all(before).map((x) => [keyOf(x.d), x]));
  const neu = new Map(all(after).map((x) => [keyOf(x.d), x]));
  const newer = compareVersions(to, from) > 0;
  // "X accepts it" is a claim about the whole file: only when X has no other refusing error.
  const refusedAfter = all(after).some(({ d }) => d.severity === "error" && refusedOnLoad(d));
  for (const [k, { d, text }] of neu) {
    if (old.has(k) || d.severity === "info") continue;
    const refused = d.severity === "error" && refusedOnLoad(d);
    items.push({
      kind: refused ? "refused" : "finding-new",
      release: to,
      file: d.file,
      line: lineOf(d.file, d.start, text),
      message: `${refused ? `lighttpd ${to} refuses this` : `with lighttpd ${to}`}: ${d.message} [${d.ruleId}]`,
    });
  }
  for (const [k, { d, text }] of old) {
    if (neu.has(k) || d.severity === "info") continue;
    const refused = d.severity === "error" && refusedOnLoad(d);
    const message =
      refused && !refusedAfter
        ? `lighttpd ${from} refuses this, ${to} accepts it`
        : refused
          ? `lighttpd ${from} refuses this, ${to} not for this reason (it refuses the file for another)`
          : `no longer applies with lighttpd ${to}`;
    items.push({
      kind: refused && !refusedAfter ? "accepted" : "finding-gone",
      release: to,
      file: d.file,
      line: lineOf(d.file, d.start, text),
      message: `${message}: ${d.message} [${d.ruleId}]`,
    });
  }
  const [lo, hi] = newer ? [from, to] : [to, from];
  for (const b of BEHAVIOUR_CHANGES) {
    // A change in release R matters when R is in (lo, hi].
    if (!(compareVersions(b.release, lo) > 0 && compareVersions(b.release, hi) <= 0)) continue;
    if (b.unlessKeys?.some((k) => firstSite(after.config, k))) continue;
    const site = b.keys.length ? b.keys.map((k) => firstSite(after.config, k)).find((s) => s) : { file: after.config.main, start: 0 };
    if (!site) continue;
    items.push({
      kind: "behaviour",
      release: b.release,
      file: site.file,
      line: lineOf(site.file, site.start),
      message: `${newer ? "" : "(downgrade) "}from lighttpd ${b.release}: ${b.what}; ${b.todo}`,
      source: b.source,
    });
  }
  return items.sort((a, b) => compareVersions(a.release, b.release) || a.file.localeCompare(b.file) || a.line - b.line);
}
