/**
 * The `convert` sub-command: reads FILE (or - for stdin), prints the lighttpd config on stdout and
 * the mapping report on stderr; `--report json` prints one JSON object (config, report, lint) on
 * stdout instead. Exit: 0 all mapped or approximated, 1 something unsupported (or the emitted
 * config has an error finding), 2 unreadable input.
 */
import fs from "node:fs";
import { readStdin } from "../util/read-file.js";
import { printable } from "../format/printable.js";
import { convertText, exitCodeOf, MAX_SOURCE_BYTES, type ConvertResult, type SourceLanguage } from "./index.js";

export interface ConvertArgs {
  from: SourceLanguage;
  file: string;
  full: boolean;
  report: "text" | "json";
  lighttpdVersion?: string;
  socketDir?: string;
}

function readInput(file: string): Buffer {
  if (file !== "-") {
    const st = fs.statSync(file);
    if (!st.isFile()) throw Object.assign(new Error("not a regular file"), { code: "EISDIR" });
    if (st.size > MAX_SOURCE_BYTES) throw Object.assign(new Error(`larger than ${MAX_SOURCE_BYTES} bytes`), { code: "EFBIG" });
    return fs.readFileSync(file);
  }
  return readStdin(MAX_SOURCE_BYTES);
}

export function formatTextReport(r: ConvertResult, from: string): string {
  const out: string[] = [];
  const c = r.counts;
  out.push(`mapping report (${from} -> lighttpd ${r.lighttpdVersion}): ${c.mapped} mapped, ${c.approximated} approximated, ${c.unsupported} unsupported`);
  for (const e of r.report) out.push(`${printable(e.file)}:${e.line}: ${e.status}: ${printable(e.directive)}\n    ${printable(e.note)}`);
  if (r.lint.length) {
    out.push(`lint of the converted config (lighttpd ${r.lighttpdVersion}):`);
    for (const l of r.lint) out.push(`  line ${l.line}: ${l.severity} ${l.ruleId}: ${printable(l.message)}`);
  }
  return out.join("\n") + "\n";
}

export function runConvert(args: ConvertArgs): number {
  const name = args.file === "-" ? "<stdin>" : args.file;
  let bytes: Buffer;
  try {
    bytes = readInput(args.file);
  } catch (e) {
    process.stderr.write(`lighttpd-lint: cannot read ${printable(name)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  const text = bytes.toString("utf8");
  const r = convertText(text, args.file === "-" ? "-" : args.file, { from: args.from, full: args.full, lighttpdVersion: args.lighttpdVersion, socketDir: args.socketDir });
  if (r.error) {
    process.stderr.write(`${printable(name)}:${r.error.line}: cannot read this ${args.from} file: ${printable(r.error.message)}\n`);
    return 2;
  }
  for (const e of r.report) if (e.file === "-") e.file = "<stdin>";
  if (args.report === "json") {
    const { plan: _plan, ...rest } = r;
    process.stdout.write(JSON.stringify({ from: args.from, ...rest }, null, 2) + "\n");
  } else {
    process.stdout.write(r.config);
    process.stderr.write(formatTextReport(r, args.from));
  }
  return exitCodeOf(r);
}
