/**
 * `lighttpd-lint convert`: read an nginx, lighttpd2 or .htaccess file, emit lighttpd 1.4 config
 * text plus a mapping report (every source directive: mapped / approximated / unsupported), and
 * lint the emitted config with the target version before anyone uses it.
 */
import path from "node:path";
import type { Diagnostic } from "../ast/diagnostics.js";
import { lintText } from "../linter.js";
import { SourceText } from "../../grammar/tokens.js";
import { convertHtaccess } from "./htaccess.js";
import { convertLighttpd2 } from "./lighttpd2.js";
import { convertNginx, SourceSyntaxError } from "./nginx.js";
import { emit, type Plan, type ReportEntry } from "./plan.js";

export const SOURCES = ["nginx", "lighttpd2", "htaccess"] as const;
export type SourceLanguage = (typeof SOURCES)[number];

export interface ConvertOptions {
  from: SourceLanguage;
  /** A complete config (document root, port, modules, user) instead of a snippet to include. */
  full?: boolean;
  lighttpdVersion?: string;
  socketDir?: string;
}

export interface LintNote {
  ruleId: string;
  severity: Diagnostic["severity"];
  /** Line in the emitted config. */
  line: number;
  message: string;
}

export interface ConvertResult {
  config: string;
  report: ReportEntry[];
  lint: LintNote[];
  lighttpdVersion: string;
  counts: Record<ReportEntry["status"], number>;
  /** The source could not be read at all (syntax error): no config. */
  error?: { file: string; line: number; message: string };
  plan?: Plan;
}

/** Sources larger than this are refused: the converters are linear, and real sources are a few KB. */
export const MAX_SOURCE_BYTES = 1024 * 1024;

export function convertText(text: string, file: string, opts: ConvertOptions): ConvertResult {
  const counts = { mapped: 0, approximated: 0, unsupported: 0 };
  if (text.length > MAX_SOURCE_BYTES)
    return { config: "", report: [], lint: [], lighttpdVersion: opts.lighttpdVersion ?? "", counts, error: { file, line: 0, message: `larger than ${MAX_SOURCE_BYTES} bytes` } };
  let converted: { plan: Plan; report: ReportEntry[] };
  try {
    converted = opts.from === "nginx" ? convertNginx(text, file) : opts.from === "lighttpd2" ? convertLighttpd2(text, file) : convertHtaccess(text, file);
  } catch (e) {
    if (e instanceof SourceSyntaxError)
      return { config: "", report: [], lint: [], lighttpdVersion: opts.lighttpdVersion ?? "", counts, error: { file, line: e.line, message: e.message } };
    throw e;
  }
  const { plan, report } = converted;
  for (const r of report) counts[r.status]++;
  const config = emit(plan, { full: opts.full === true, source: `${opts.from} ${file === "-" ? "<stdin>" : path.basename(file)}` });
  // The emitted text is linted as lighttpd would read it; a virtual file next to the source.
  const virtual = path.resolve(path.dirname(file === "-" ? "stdin" : file), "converted.lighttpd.conf");
  const result = lintText(config, virtual, { project: { rules: {}, lighttpdVersion: opts.lighttpdVersion, socketDir: opts.socketDir }, snippet: opts.full !== true });
  const lines = new SourceText(config);
  // A snippet goes into a main config that sets (or not) server.username: not this snippet's finding.
  const mainOnly = new Set(opts.full ? [] : ["server-username-unset"]);
  const lint: LintNote[] = result.files.flatMap((f) =>
    f.diagnostics.filter((d) => !mainOnly.has(d.ruleId)).map((d) => ({ ruleId: d.ruleId, severity: d.severity, line: lines.position(d.start).line, message: d.message })),
  );
  return { config, report, lint, lighttpdVersion: result.settings.lighttpdVersion, counts, plan };
}

/** 1 when anything is unsupported or the emitted config has an error finding; else 0. */
export function exitCodeOf(r: ConvertResult): number {
  if (r.error) return 2;
  return r.counts.unsupported > 0 || r.lint.some((l) => l.severity === "error") ? 1 : 0;
}
