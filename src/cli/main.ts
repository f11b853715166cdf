/**
 * The command line: `lighttpd-lint [paths..]` and its sub-commands.
 * Exit codes: 0 no error (warnings within --max-warnings), 1 findings, 2 usage, I/O or internal error.
 *
 * Start-up time matters (editors and pre-commit run us per file): a plain lint invocation is parsed
 * with node's parseArgs (options.ts) and never loads yargs; sub-command code is imported lazily.
 */
import { printable } from "../format/printable.js";
import { ConfigError } from "../config/errors.js";
import { UsageError } from "./errors.js";
import { OutputClosed } from "./stdout.js";
import { addLintOptions, fastParse, LINT_OPTIONS, toLintArgs, YARGS_PARSER_CONFIG } from "./options.js";
import { packageVersion } from "./paths.js";
import { closest } from "../util/suggest.js";
import { probeInstalledVersion } from "../util/version.js";

export async function main(argv: string[]): Promise<number> {
  try {
    const fast = fastParse(argv);
    if (fast?.kind === "version") {
      process.stdout.write(packageVersion + "\n");
      return 0;
    }
    if (fast?.kind === "lint") {
      // Without --lighttpd-version the target is what `lighttpd -v` says: start it now, so that it
      // runs while the lint code loads (run-lint awaits it only if no config file names a version).
      if (!fast.args.lighttpdVersion) void probeInstalledVersion();
      return await (await import("./run-lint.js")).runLint(fast.args);
    }
    if (fast?.kind === "dump") {
      // `lighttpd -v` (when no version is given) runs while the dump code loads; both are awaited.
      const [commands] = await Promise.all([import("./commands.js"), fast.lighttpdVersion ? undefined : probeInstalledVersion()]);
      return await commands.dumpCommand(fast.file, { lighttpdVersion: fast.lighttpdVersion, allowIncludeShell: fast.allowIncludeShell });
    }
    return await runYargs(argv);
  } catch (e) {
    // A closed pipe is not an error (as for the stream errors in standalone.ts): stop quietly.
    if (e instanceof OutputClosed) return 0;
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`lighttpd-lint: ${printable(e.message)}\n${e instanceof UsageError ? "Run 'lighttpd-lint --help' for usage.\n" : ""}`);
      return 2;
    }
    process.stderr.write(`lighttpd-lint: internal error (please report this bug): ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

/** yargs' "Unknown argument: selcet" → "; did you mean --select?" */
function suggestOption(msg: string): string {
  const m = /^Unknown arguments?: (.+)$/.exec(msg);
  if (!m) return "";
  const names = LINT_OPTIONS.flatMap((o) => [o.name, ...(o.alias ? [o.alias] : [])]).concat(["help", "version"]);
  for (const word of m[1].split(", ")) {
    const c = closest(word.replace(/^-+/, ""), names);
    if (c) return `; did you mean --${c}?`;
  }
  return "";
}

async function runYargs(argv: string[]): Promise<number> {
  const { default: yargs } = await import("yargs");
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName("lighttpd-lint")
    .parserConfiguration(YARGS_PARSER_CONFIG)
    .usage("$0 [paths..]\n\nLint lighttpd 1.4 configuration files the way lighttpd reads them.")
    .command(
      "$0 [paths..]",
      "lint configs: each file as a main config with its includes (a directory means its lighttpd.conf, else every *.conf in it)",
      (y) => addLintOptions(y),
      async (a) => {
        exitCode = await (await import("./run-lint.js")).runLint(toLintArgs(a as Record<string, unknown>, ((a.paths as unknown[]) ?? []).map(String)));
      },
    )
    .command(
      "rules",
      "list every rule (id, severity, fixable, effect, description)",
      (y) => y.option("format", { alias: "f", type: "string", choices: ["text", "json"], default: "text", describe: "text table or JSON" }),
      async (a) => {
        exitCode = (await import("./commands.js")).listRules(a.format === "json" ? "json" : "text");
      },
    )
    .command(
      "upgrade <file>",
      "what changes when this config moves to another lighttpd release (syntax, keys, modules, defaults)",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true })
          .option("to", { type: "string", demandOption: true, describe: "the release to move to, e.g. 1.4.79" })
          .option("lighttpd-version", { type: "string", describe: "the release it runs on now (default: lighttpd -v, else 1.4.69)" })
          .option("allow-include-shell", { type: "boolean", default: false, describe: "run include_shell commands" }),
      async (a) => {
        exitCode = await (
          await import("./commands.js")
        ).upgradeCommand(String(a.file), { to: String(a.to), lighttpdVersion: a["lighttpd-version"] as string | undefined, allowIncludeShell: a["allow-include-shell"] === true });
      },
    )
    .command(
      "versions",
      "list the lighttpd releases lighttpd-lint knows (and those checked against their binary)",
      (y) => y,
      async () => {
        exitCode = (await import("./commands.js")).listVersions();
      },
    )
    .command(
      "explain <id>",
      "print a rule's documentation",
      (y) => y.positional("id", { type: "string", demandOption: true }),
      async (a) => {
        exitCode = (await import("./commands.js")).explainRule(String(a.id));
      },
    )
    .command(
      "parse <file>",
      "print the lossless syntax tree as JSON",
      (y) => y.positional("file", { type: "string", demandOption: true }).option("lighttpd-version", { type: "string", describe: "target lighttpd version" }),
      async (a) => {
        exitCode = (await import("./commands.js")).printParseTree(String(a.file), a["lighttpd-version"] as string | undefined);
      },
    )
    // --- fmt (src/fmt/) ---
    .command(
      "fmt [paths..]",
      "reformat configs in place in lighttpd's own -p layout, never changing what lighttpd reads ('-' or no path: stdin to stdout)",
      (y) =>
        y
          .positional("paths", { type: "string", array: true, default: [] as string[], describe: "config files, directories (every *.conf below) or '-'" })
          .option("check", { type: "boolean", describe: "write nothing; exit 1 when a file would change" })
          .option("diff", { type: "boolean", describe: "write nothing; print the changes as a unified diff" })
          .option("lighttpd-version", { type: "string", requiresArg: true, describe: "target lighttpd version (decides e.g. whether a trailing comma may be added)" })
          .option("indent", { type: "number", requiresArg: true, describe: "spaces per level (default 4, as lighttpd -p)" })
          .option("max-blank-lines", { type: "number", requiresArg: true, describe: "cap runs of blank lines at this many (default 1)" })
          .option("print-width", { type: "number", requiresArg: true, describe: "a one-line list longer than this is split, one element per line (default 100)" })
          .option("align-arrows", { type: "boolean", describe: "line up the '=>' of a list's elements" })
          .option("no-config", { type: "boolean", describe: "ignore .lighttpd-lint.json (its lighttpdVersion)" }),
      async (a) => {
        const num = (k: string) => {
          if (a[k] === undefined) return undefined;
          const n = Number(a[k]);
          if (!Number.isInteger(n) || n < 0 || n > 1000) throw new UsageError(`--${k} must be a whole number from 0 to 1000`);
          return n;
        };
        exitCode = (await import("./fmt.js")).runFmt({
          paths: ((a.paths as unknown[]) ?? []).map(String),
          check: a.check === true,
          diff: a.diff === true,
          lighttpdVersion: a["lighttpd-version"] as string | undefined,
          indent: num("indent"),
          maxBlankLines: num("max-blank-lines"),
          printWidth: num("print-width"),
          alignArrows: a["align-arrows"] === true,
          noConfig: a["no-config"] === true,
        });
      },
    )
    // --- LSP (src/lsp/) ---
    .command(
      "lsp",
      "start the language server for editors (LSP over stdio)",
      (y) =>
        y
          .option("stdio", { type: "boolean", default: true, describe: "talk LSP over stdin/stdout (the default)" })
          .option("node-ipc", { type: "boolean", hidden: true })
          .option("socket", { type: "number", hidden: true })
          .option("clientProcessId", { type: "number", hidden: true }),
      async () => {
        const { startServer } = await import("../lsp/server.js");
        startServer();
      },
    )
    .command(
      "dump <file>",
      "print the configuration as lighttpd sees it (like lighttpd -p), or why lighttpd would refuse it",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true })
          .option("lighttpd-version", { type: "string", describe: "target lighttpd version" })
          .option("allow-include-shell", { type: "boolean", describe: "run include_shell commands" }),
      async (a) => {
        exitCode = await (
          await import("./commands.js")
        ).dumpCommand(String(a.file), { lighttpdVersion: a["lighttpd-version"] as string | undefined, allowIncludeShell: a["allow-include-shell"] === true });
      },
    )
    // Sub-commands of other features go here, one .command(...) each; add the name to SUBCOMMANDS (subcommands.ts) too.
    // --- convert (src/convert/): nginx / lighttpd2 / .htaccess -> lighttpd 1.4 ---
    .command(
      "convert <file>",
      "convert an nginx, lighttpd2 or .htaccess file (- for stdin) to lighttpd config (stdout) with a mapping report (stderr)",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true })
          .option("from", { type: "string", choices: ["nginx", "lighttpd2", "htaccess"], demandOption: true, describe: "source language" })
          .option("full", { type: "boolean", describe: "a complete config (document root, port, modules, user) instead of a snippet" })
          .option("report", { type: "string", choices: ["text", "json"], default: "text", describe: "text: config on stdout, report on stderr; json: one JSON object on stdout" })
          .option("lighttpd-version", { type: "string", describe: "target lighttpd version for linting the output" })
          .option("socket-dir", { type: "string", describe: "where backend sockets belong (default /run/lighttpd)" }),
      async (a) => {
        // yargs reads a lone "-" (stdin) as an empty positional
        const file = String(a.file ?? "") === "" && argv.includes("-") ? "-" : String(a.file);
        exitCode = (await import("../convert/cli.js")).runConvert({
          from: a.from as "nginx",
          file,
          full: a.full === true,
          report: a.report === "json" ? "json" : "text",
          lighttpdVersion: a["lighttpd-version"] as string | undefined,
          socketDir: a["socket-dir"] as string | undefined,
        });
      },
    )
    .completion("completion", "print a bash/zsh completion script")
    .example("$0 /etc/lighttpd/lighttpd.conf", "lint a config and everything it includes")
    .example("$0 --fix lighttpd.conf", "apply safe fixes in place")
    .example("$0 --diff lighttpd.conf", "show the fixes as a unified diff, change nothing")
    .example("$0 --format sarif conf/ > lighttpd-lint.sarif", "SARIF for GitHub code scanning")
    .example("$0 --format github lighttpd.conf", "annotations in a GitHub Actions log")
    .example("$0 --stdin --stdin-filename /etc/lighttpd/lighttpd.conf < edited.conf", "lint text from an editor")
    .example("$0 --snippet conf.d/fastcgi.conf", "lint a fragment of a larger config")
    .example("$0 fmt --check conf/", "exit 1 when a config is not formatted")
    .example("$0 explain socket-in-tmp", "why a rule matters and how to fix it")
    .epilog(
      "Exit codes: 0 no errors, 1 findings (errors, or more warnings than --max-warnings), 2 usage, I/O or internal error.\nDocs: https://github.com/lighttpd-lint/lighttpd-lint/blob/main/docs/cli.md",
    )
    .version(packageVersion)
    .strict()
    .help()
    .alias("h", "help")
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err instanceof UsageError || err instanceof ConfigError || !msg) throw err;
      throw new UsageError(msg + suggestOption(msg));
    });
  await parser.parseAsync();
  return exitCode;
}
