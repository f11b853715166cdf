/** The output formats, loaded on demand (sarif pulls in the rule registry). */
import type { Formatter } from "./types.js";

export type { Formatter } from "./types.js";

export async function loadFormatter(name: string): Promise<Formatter> {
  switch (name) {
    case "stylish":
      return (await import("./stylish.js")).formatStylish;
    case "json":
      return (await import("./json.js")).formatJson;
    case "sarif":
      return (await import("./sarif.js")).formatSarif;
    case "github":
      return (await import("./github.js")).formatGithub;
    case "compact":
      return (await import("./compact.js")).formatCompact;
    case "gitlab":
      return (await import("./gitlab.js")).formatGitlab;
    case "junit":
      return (await import("./junit.js")).formatJunit;
    case "checkstyle":
      return (await import("./checkstyle.js")).formatCheckstyle;
    default:
      throw new Error(`unknown format ${name}`);
  }
}
