/**
 * The lint command's options, declared once. Two parsers read this table: node's own `parseArgs`
 * (the fast path, ~50 ms cheaper at start-up than loading yargs) and yargs (help, sub-commands and
 * every error message). The fast path only accepts what it fully understands; anything else goes to
 * yargs, so both always agree on valid input.
 */
import { parseArgs } from "node:util";
import type { Argv } from "yargs";

export const FORMATS = ["stylish", "json", "sarif", "github", "compact", "gitlab", "junit", "checkstyle"] as const;
export const THRESHOLDS = ["error", "warning", "info"] as const;
export type FormatName = (typeof FORMATS)[number];

interface OptionSpec {
  name: string;
  type: "boolean" | "string" | "number" | "strings";
  describe: string;
  short?: string;
  /** A second long name (`--diff` for `--fix-dry-run`). */
  alias?: string;
  choices?: readonly string[];
  hidden?: boolean;
}

export const LINT_OPTIONS: OptionSpec[] = [
  { name: "format", short: "f", type: "string", choices: FORMATS, describe: "output format (default stylish)" },
  { name: "fix", type: "boolean", describe: "apply safe fixes in place (atomically, keeping the file mode)" },
  { name: "fix-dry-run", alias: "diff", type: "boolean", describe: "print the fixes as a unified diff instead of writing them" },
  { name: "fix-suggestions", type: "boolean", describe: "with --fix or --diff: also apply suggestions (fixes that may change behaviour)" },
  { name: "fix-root", type: "string", describe: "with --fix or --diff: change files only under this directory (default: each named config's directory)" },
  { name: "socket-dir", type: "string", describe: "where backend sockets belong (default /run/lighttpd)" },
  { name: "lighttpd-version", type: "string", describe: "target lighttpd version, e.g. 1.4.69 (default: lighttpd -v, else 1.4.69)" },
  { name: "config", short: "c", type: "string", describe: "use this .lighttpd-lint.json instead of searching for one" },
  { name: "no-config", type: "boolean", describe: "ignore .lighttpd-lint.json files" },
  { name: "select", type: "strings", describe: "run only these rules: ids, effects (refused, ignored, misread, runtime, risk) or tags, comma-separated or repeated" },
  { name: "ignore", type: "strings", describe: "do not run these rules: ids, effects or tags (wins over --select)" },
  { name: "rule", type: "strings", describe: "set a rule's severity: id:error|warning|info|off (repeatable)" },
  { name: "disable", type: "strings", describe: "turn a rule off (repeatable)" },
  { name: "check-fs", type: "boolean", describe: "also check sockets, bin-path, docroot and certificates on this machine" },
  { name: "root", type: "string", describe: "with --check-fs: a mounted image to check instead of /" },
  { name: "allow-include-shell", type: "boolean", describe: "run include_shell commands (never done otherwise)" },
  { name: "snippet", type: "boolean", describe: "lint each file as a fragment of a larger config" },
  { name: "stdin", type: "boolean", describe: "read the config from standard input" },
  { name: "stdin-filename", type: "string", describe: "with --stdin: the file name to report and resolve includes against" },
  { name: "exclude", type: "strings", describe: "skip files and directories matching this glob (relative to the working directory; repeatable)" },
  { name: "output-file", short: "o", type: "string", describe: "write the report to this file instead of standard output" },
  { name: "statistics", type: "boolean", describe: "print how many findings each rule has instead of the findings" },
  { name: "exit-zero", type: "boolean", describe: "exit 0 even when there are findings (2 still means a usage or I/O error)" },
  { name: "failure-threshold", type: "string", choices: THRESHOLDS, describe: "the lowest severity that makes the exit code 1 (default error)" },
  { name: "baseline", type: "string", describe: "report only findings not recorded in this baseline file" },
  { name: "write-baseline", type: "string", describe: "record every current finding in this baseline file (exit 0)" },
  { name: "print-config", type: "string", describe: "print the effective settings for this config file as JSON, lint nothing" },
  { name: "quiet", short: "q", type: "boolean", describe: "report errors only" },
  { name: "max-warnings", type: "number", describe: "exit 1 when there are more warnings than this" },
  { name: "jobs", short: "j", type: "number", describe: "worker threads for many files (default: one per core from 50 files on, on 3 cores or more; 1 = none)" },
  { name: "color", type: "boolean", describe: "force colour in stylish output" },
  { name: "no-color", type: "boolean", describe: "no colour (also: NO_COLOR=1)" },
];

/** The lint command's arguments, as both parsers deliver them (kebab-case keys). */
export interface LintArgs {
  paths: string[];
  format: FormatName;
  fix: boolean;
  fixDryRun: boolean;
  fixSuggestions: boolean;
  fixRoot?: string;
  socketDir?: string;
  lighttpdVersion?: string;
  config?: string;
  noConfig: boolean;
  select: string[];
  ignore: string[];
  rule: string[];
  disable: string[];
  checkFs: boolean;
  root?: string;
  allowIncludeShell: boolean;
  snippet: boolean;
  stdin: boolean;
  stdinFilename?: string;
  exclude: string[];
  outputFile?: string;
  statistics: boolean;
  exitZero: boolean;
  failureThreshold: (typeof THRESHOLDS)[number];
  baseline?: string;
  writeBaseline?: string;
  printConfig?: string;
  quiet: boolean;
  maxWarnings?: number;
  jobs?: number;
  color?: boolean;
}

/** Adds the table's options to a yargs command. */
export function addLintOptions<T>(y: Argv<T>): Argv<T> {
  let out = y.positional("paths", { type: "string", array: true, default: [] as string[], describe: "config files or directories" }) as unknown as Argv<T>;
  for (const o of LINT_OPTIONS) {
    const aliases = [o.short, o.alias].filter((a): a is string => a !== undefined);
    out = out.option(o.name, {
      type: o.type === "strings" ? "string" : o.type,
      array: o.type === "strings" ? true : undefined,
      alias: aliases.length ? aliases : undefined,
      choices: o.choices as string[] | undefined,
      describe: o.describe,
      hidden: o.hidden,
      requiresArg: o.type === "string" || o.type === "number" || o.type === "strings" ? true : undefined,
    }) as unknown as Argv<T>;
  }
  return out;
}

/**
 * yargs' parser settings that make it read the command line as `parseArgs` does: `--no-config` is
 * its own option (not `config=false`, which would clash with `--config FILE`), `--rule x a.conf`
 * does not swallow `a.conf`, and a file named `123` stays a string.
 */
export const YARGS_PARSER_CONFIG = {
  "boolean-negation": false,
  "greedy-arrays": false,
  "parse-positional-numbers": false,
  "dot-notation": false,
} as const;

/** Reads yargs' or parseArgs' result (kebab-case keys) into LintArgs. */
export function toLintArgs(v: Record<string, unknown>, paths: string[]): LintArgs {
  const bool = (k: string) => v[k] === true;
  const str = (k: string) => (v[k] === undefined ? undefined : String(v[k]));
  const strs = (k: string) => (v[k] === undefined ? [] : (Array.isArray(v[k]) ? v[k] : [v[k]]).map(String));
  const num = (k: string) => (v[k] === undefined ? undefined : Number(v[k]));
  return {
    paths,
    format: (str("format") ?? "stylish") as FormatName,
    fix: bool("fix"),
    fixDryRun: bool("fix-dry-run") || bool("diff"),
    fixSuggestions: bool("fix-suggestions"),
    fixRoot: str("fix-root"),
    socketDir: str("socket-dir"),
    lighttpdVersion: str("lighttpd-version"),
    config: str("config"),
    noConfig: bool("no-config"),
    select: strs("select"),
    ignore: strs("ignore"),
    rule: strs("rule"),
    disable: strs("disable"),
    checkFs: bool("check-fs"),
    root: str("root"),
    allowIncludeShell: bool("allow-include-shell"),
    snippet: bool("snippet"),
    stdin: bool("stdin"),
    stdinFilename: str("stdin-filename"),
    exclude: strs("exclude"),
    outputFile: str("output-file"),
    statistics: bool("statistics"),
    exitZero: bool("exit-zero"),
    failureThreshold: (str("failure-threshold") ?? "error") as LintArgs["failureThreshold"],
    baseline: str("baseline"),
    writeBaseline: str("write-baseline"),
    printConfig: str("print-config"),
    quiet: bool("quiet"),
    maxWarnings: num("max-warnings"),
    jobs: num("jobs"),
    color: bool("no-color") ? false : bool("color") ? true : undefined,
  };
}

/** A word that may be a sub-command (`rules`, `explain`, `lsp`, ...): left to yargs. */
const COMMAND_LIKE = /^[a-z][a-z0-9-]*$/;

export type FastParse = { kind: "lint"; args: LintArgs } | { kind: "version" } | { kind: "dump"; file: string; lighttpdVersion?: string; allowIncludeShell: boolean } | undefined;

/** The fast path: a plain lint invocation, a plain `dump` or `--version`; undefined means "ask yargs". */
export function fastParse(argv: string[]): FastParse {
  if (argv.length === 1 && argv[0] === "--version") return { kind: "version" };
  if (argv[0] === "dump") return fastDump(argv.slice(1));
  const options: Record<string, { type: "boolean" | "string"; short?: string; multiple?: boolean }> = {};
  for (const o of LINT_OPTIONS) {
    // parseArgs rejects keys set to undefined: add only what applies.
    options[o.name] = { type: o.type === "boolean" ? "boolean" : "string", ...(o.short ? { short: o.short } : {}), ...(o.type === "strings" ? { multiple: true } : {}) };
    if (o.alias) options[o.alias] = { type: options[o.name].type };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch {
    return undefined;
  }
  const values = parsed.values as Record<string, unknown>;
  for (const o of LINT_OPTIONS) {
    const v = values[o.name];
    if (v === undefined) continue;
    // Repeating a single-valued option: parseArgs keeps the last, yargs makes an array. Let yargs decide.
    if (o.choices && !o.choices.includes(v as string)) return undefined;
    if (o.type === "number" && (v === "" || !Number.isFinite(Number(v)))) return undefined;
    if (
      (o.type === "string" || o.type === "number") &&
      argv.filter((a) => a === `--${o.name}` || a.startsWith(`--${o.name}=`) || (o.short && a.startsWith(`-${o.short}`))).length > 1
    )
      return undefined;
  }
  if (parsed.positionals.length > 0 && COMMAND_LIKE.test(parsed.positionals[0]) && !argv.includes("--")) return undefined;
  return { kind: "lint", args: toLintArgs(values, parsed.positionals) };
}

/**
 * `dump FILE [--lighttpd-version V] [--allow-include-shell]`, as scripts and the benchmark (against
 * `lighttpd -p`) run it, without loading yargs. Anything else (help, a repeated or empty option, `--`,
 * a second file, `-`, `--opt=value` for the boolean) is left to yargs, which reads it as before.
 */
function fastDump(argv: string[]): FastParse {
  if (argv.includes("--")) return undefined;
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { "lighttpd-version": { type: "string" }, "allow-include-shell": { type: "boolean" } }, allowPositionals: true, strict: true });
  } catch {
    return undefined;
  }
  const [file, ...more] = parsed.positionals;
  if (file === undefined || file === "" || file.startsWith("-") || more.length > 0) return undefined;
  const given = (name: string) => argv.filter((a) => a === `--${name}` || a.startsWith(`--${name}=`)).length;
  if (given("lighttpd-version") > 1 || given("allow-include-shell") > 1) return undefined;
  const version = parsed.values["lighttpd-version"];
  if (version === "") return undefined;
  return { kind: "dump", file, lighttpdVersion: typeof version === "string" ? version : undefined, allowIncludeShell: parsed.values["allow-include-shell"] === true };
}
