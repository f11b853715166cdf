/**
 * `lighttpd-lint fmt [paths..]`: reformat configs in place (src/fmt), or with `--check` / `--diff`
 * only report. `-` (or no path) formats standard input to standard output.
 * Exit codes: 0 done (or nothing to change), 1 a file would change under --check, or a file was left
 * alone (syntax errors, dropped tokens), 2 usage or I/O error.
 */
import fs from "node:fs";
import { readStdin } from "../util/read-file.js";
import path from "node:path";
import { findConfigFile } from "../config/config.js";
import { loadConfigFile } from "../config/config-file.js";
import { formatText, type FormatOptions } from "../fmt/format.js";
import { displayPath } from "../format/position.js";
import { printable } from "../format/printable.js";
import { decodeSource, encodeSource, looksBinary, MAX_CONFIG_BYTES } from "../parse/source.js";
import { SourceText } from "../../grammar/tokens.js";
import { resolveTargetVersion } from "../util/version.js";
import { unifiedDiff } from "./diff.js";
import { writeFileAtomic } from "../fix/write.js";

export interface FmtArgs {
  paths: string[];
  check: boolean;
  diff: boolean;
  lighttpdVersion?: string;
  indent?: number;
  maxBlankLines?: number;
  printWidth?: number;
  alignArrows: boolean;
  noConfig: boolean;
}

const SKIP_DIRS = new Set(["node_modules", ".git"]);

/** The files a path stands for: a file itself, or every *.conf below a directory (sorted). */
function expand(p: string): string[] {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return [p];
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 32) return;
    for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) {
        if (!SKIP_DIRS.has(d.name)) walk(full, depth + 1);
      } else if (d.isFile() && d.name.endsWith(".conf")) out.push(full);
    }
  };
  walk(p, 0);
  return out;
}

function targetVersion(args: FmtArgs, file: string | undefined): string {
  if (args.lighttpdVersion) return args.lighttpdVersion;
  if (!args.noConfig) {
    const cfg = findConfigFile(file ? path.dirname(path.resolve(file)) : process.cwd());
    if (cfg) {
      const v = loadConfigFile(cfg).lighttpdVersion;
      if (v) return v;
    }
  }
  return resolveTargetVersion().version;
}

export function runFmt(args: FmtArgs, io: { stdin: () => Buffer; out: (s: string) => void; err: (s: string) => void } = defaultIo): number {
  if (!args.paths.length && io === defaultIo && process.stdin.isTTY) {
    io.err("lighttpd-lint fmt: give files or directories, or '-' (or a pipe) for standard input\n");
    return 2;
  }
  const paths = args.paths.length ? args.paths : ["-"];
  let status = 0;
  const options = (file: string | undefined): FormatOptions => ({
    version: targetVersion(args, file),
    indent: args.indent,
    maxBlankLines: args.maxBlankLines,
    printWidth: args.printWidth,
    alignArrows: args.alignArrows,
  });
  const one = (name: string, bytes: Buffer, file: string | undefined): void => {
    const shown = printable(name);
    if (bytes.length >= MAX_CONFIG_BYTES || looksBinary(bytes)) {
      io.err(`${shown}: not a config (binary or too large), left alone\n`);
      status = Math.max(status, 1);
      return;
    }
    const src = decodeSource(bytes);
    const r = formatText(src.text, options(file));
    if (!r.ok) {
      const { line, column } = new SourceText(src.text).position(r.offset);
      io.err(`${shown}:${line}:${column}: left alone: ${printable(r.reason)}\n`);
      status = Math.max(status, 1);
      if (!file && !args.check && !args.diff) io.out(src.text); // a filter must not eat its input
      return;
    }
    if (args.diff) io.out(unifiedDiff(name, src.text, r.text));
    if (args.check) {
      if (r.changed) {
        if (!args.diff) io.err(`${shown}: would be reformatted\n`);
        status = Math.max(status, 1);
      }
      return;
    }
    if (args.diff) return;
    if (!file) {
      io.out(r.text);
      return;
    }
    if (r.changed) {
      writeFileAtomic(file, encodeSource(r.text, src.encoding), bytes);
      io.err(`${shown}: reformatted\n`);
    }
  };
  for (const p of paths) {
    if (p === "-") {
      one("<stdin>", io.stdin(), undefined);
      continue;
    }
    let files: string[];
    try {
      files = expand(p);
    } catch (e) {
      io.err(`lighttpd-lint: cannot read ${printable(p)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      status = 2;
      continue;
    }
    for (const f of files) {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(f);
      } catch (e) {
        io.err(`lighttpd-lint: cannot read ${printable(f)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        status = 2;
        continue;
      }
      try {
        one(displayPath(f, process.cwd()), bytes, f);
      } catch (e) {
        io.err(`lighttpd-lint: cannot write ${printable(f)}: ${(e as Error).message}\n`);
        status = 2;
      }
    }
  }
  return status;
}

const defaultIo = {
  stdin: () => readStdin(),
  out: (s: string) => {
    process.stdout.write(s);
  },
  err: (s: string) => {
    process.stderr.write(s);
  },
};
