/** A bad .lighttpd-lint.json or rule setting: reported as a usage error (exit 2), never as a crash. Its own module so that the CLI entry can recognise it without loading the config code. */
export class ConfigError extends Error {}
