/**
 * A project configuration that cannot be used (exit 2). Its own module: main() tests for it on
 * every command, and importing config.ts would load the JSON schema validator (ajv) at every start.
 */
export class ConfigError extends Error {}
