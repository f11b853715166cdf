/** A mistake on the command line: reported with a hint to --help, exit code 2. */
export class UsageError extends Error {}
