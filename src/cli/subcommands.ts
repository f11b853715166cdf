/**
 * Every sub-command's name, in one place: a lint path that does not exist but looks like one of
 * these (`lighttpd-lint complet`) is a mistyped command, not a missing file.
 * Adding a sub-command to main.ts: add its name here too (test/cli-options.test.ts checks --help).
 */
export const SUBCOMMANDS = ["rules", "explain", "parse", "lsp", "dump", "fmt", "convert", "versions", "upgrade", "completion"];
