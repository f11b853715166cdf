/**
 * The command line: `lighttpd-lint [paths..]` and its sub-commands.
 * Exit codes: 0 no error (warnings within --max-warnings), 1 findings, 2 usage, I/O or internal error.
 *
 * Start-up time matters (editors and pre-commit run us per file): a plain lint invocation is parsed
 * with node's parseArgs (options.ts) and never loads yargs; sub-command code is imported lazily.
 */
import { ConfigError } from "../engine/config.js";
import { UsageError } from "./errors.js";
import { addLintOptions, fastParse, toLintArgs, YARGS_PARSER_CONFIG } from "./options.js";
import { packageVersion } from "./paths.js";

export async function main(argv: string[]): Promise<number> {
  try {
    const fast = fastParse(argv);
    if (fast?.kind === "version") {
      process.stdout.write(packageVersion + "\n");
      return 0;
    }
    if (fast?.kind === "lint") return await (await import("./run-lint.js")).runLint(fast.args);
    return await runYargs(argv);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`lighttpd-lint: ${e.message}\n${e instanceof UsageError ? "Run 'lighttpd-lint --help' for usage.\n" : ""}`);
      return 2;
    }
    process.stderr.write(`lighttpd-lint: internal error (please report this bug): ${(e as Error).stack ?? e}\n`);
    return 2;
  }
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
    .command("rules", "list every rule (id, severity, fixable, description)", (y) => y, async () => {
      exitCode = (await import("./commands.js")).listRules();
    })
    .command(
      "upgrade <file>",
      "what changes when this config moves to another lighttpd release (syntax, keys, modules, defaults)",
      (y) => y.positional("file", { type: "string", demandOption: true })
        .option("to", { type: "string", demandOption: true, describe: "the release to move to, e.g. 1.4.79" })
        .option("lighttpd-version", { type: "string", describe: "the release it runs on now (default: lighttpd -v, else 1.4.69)" })
        .option("allow-include-shell", { type: "boolean", default: false, describe: "run include_shell commands" }),
      async (a) => {
        exitCode = await (await import("./commands.js")).upgradeCommand(String(a.file), { to: String(a.to), lighttpdVersion: a["lighttpd-version"] as string | undefined, allowIncludeShell: a["allow-include-shell"] === true });
      },
    )
    .command("versions", "list the lighttpd releases lighttpd-lint knows (and those checked against their binary)", (y) => y, async () => {
      exitCode = (await import("./commands.js")).listVersions();
    })
    .command("explain <id>", "print a rule's documentation", (y) => y.positional("id", { type: "string", demandOption: true }), async (a) => {
      exitCode = (await import("./commands.js")).explainRule(String(a.id));
    })
    .command(
      "parse <file>",
      "print the lossless syntax tree as JSON",
      (y) => y.positional("file", { type: "string", demandOption: true }).option("lighttpd-version", { type: "string", describe: "target lighttpd version" }),
      async (a) => {
        exitCode = (await import("./commands.js")).printParseTree(String(a.file), a["lighttpd-version"] as string | undefined);
      },
    )
    // --- LSP (src/lsp/) ---
    .command("lsp", "start the language server for editors (LSP over stdio)", (y) => y
      .option("stdio", { type: "boolean", default: true, describe: "talk LSP over stdin/stdout (the default)" })
      .option("node-ipc", { type: "boolean", hidden: true })
      .option("socket", { type: "number", hidden: true })
      .option("clientProcessId", { type: "number", hidden: true }), async () => {
      const { startServer } = await import("../lsp/server.js");
      startServer();
    })
    .command(
      "dump <file>",
      "print the configuration as lighttpd sees it (like lighttpd -p), or why lighttpd would refuse it",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true })
          .option("lighttpd-version", { type: "string", describe: "target lighttpd version" })
          .option("allow-include-shell", { type: "boolean", describe: "run include_shell commands" }),
      async (a) => {
        exitCode = await (await import("./commands.js")).dumpCommand(String(a.file), { lighttpdVersion: a["lighttpd-version"] as string | undefined, allowIncludeShell: a["allow-include-shell"] === true });
      },
    )
    .example("$0 /etc/lighttpd/lighttpd.conf", "lint a config and everything it includes")
    .example("$0 --fix lighttpd.conf", "apply safe fixes in place")
    .example("$0 --diff lighttpd.conf", "show the fixes as a unified diff, change nothing")
    .example("$0 --format sarif conf/ > lighttpd-lint.sarif", "SARIF for GitHub code scanning")
    .example("$0 --format github lighttpd.conf", "annotations in a GitHub Actions log")
    .example("$0 --stdin --stdin-filename /etc/lighttpd/lighttpd.conf < edited.conf", "lint text from an editor")
    .example("$0 --snippet conf.d/fastcgi.conf", "lint a fragment of a larger config")
    .example("$0 explain socket-in-tmp", "why a rule matters and how to fix it")
    .epilog("Exit codes: 0 no errors, 1 findings (errors, or more warnings than --max-warnings), 2 usage, I/O or internal error.\nDocs: https://github.com/lighttpd-lint/lighttpd-lint/blob/main/docs/cli.md")
    .version(packageVersion)
    .strict()
    .help()
    .alias("h", "help")
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err instanceof UsageError || err instanceof ConfigError || !msg) throw err;
      throw new UsageError(msg);
    });
  await parser.parseAsync();
  return exitCode;
}
