/**
 * Which files --fix may change: only files under the fix root (the directory of the config named
 * on the command line, or --fix-root), reached without a symlink that leaves it, and that read as
 * lighttpd configuration. `include "/etc/profile"` must never get a shell script "fixed".
 */
import fs from "node:fs";
import path from "node:path";

export interface FixScope {
  root: string;
  /** Why the file must not be changed, or undefined when it may be. */
  refusal(file: string, text: string): string | undefined;
}

function within(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function realOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Text that is clearly not lighttpd configuration: a script (`#!`), or shell syntax lighttpd never has. */
export function notConfigReason(file: string, text: string): string | undefined {
  if (text.startsWith("#!")) return "it is a script (starts with #!), not lighttpd configuration";
  if (/(^|\n)\s*(export|unset|fi|then|esac|done)\b(?!\s*[=+:])/.test(text) || /(^|\n)\s*if\s*\[/.test(text)) return "it looks like a shell script, not lighttpd configuration";
  if (!/\.(conf|inc|include|lighttpd)$|(^|\/)lighttpd[^/]*$/i.test(file) && /\.(sh|bash|py|pl|rb|js|php|ini|json|ya?ml|service)$/i.test(file))
    return `its name (${path.basename(file)}) is not a lighttpd configuration file's`;
  return undefined;
}

export function fixScope(rootDir: string): FixScope {
  const root = path.resolve(rootDir);
  const realRoot = realOr(root);
  return {
    root,
    refusal(file, text) {
      const abs = path.resolve(file);
      if (!within(root, abs) && !within(realRoot, abs)) return `it is outside ${root} (the directory of the config named on the command line; widen it with --fix-root)`;
      const real = realOr(abs);
      if (!within(realRoot, real)) return `it is a symlink to ${real}, outside ${root}`;
      return notConfigReason(abs, text);
    },
  };
}
