/**
 * Every sub-command's name, in one place: a lint path that does not exist but looks like one of
 * these (`lighttpd-lint complet`) is a mistyped command, not a missing file.
 * Adding a sub-command to main.ts: add its name here too (test/cli-options.test.ts checks --help).
 */
export const SUBCOMMANDS = ["rules", "explain", "parse", "lsp", "dump", "fmt", "convert", "versions", "upgrade", "completion"];

/**
 * Which command a command line runs, as far as its first word tells: a sub-command's name, else
 * "lint". The CLI keeps V8's code of each apart (code-cache.ts), as each runs different code.
 */
export function commandOf(argv: readonly string[]): string {
  return argv.length > 0 && SUBCOMMANDS.includes(argv[0]) ? argv[0] : "lint";
}
