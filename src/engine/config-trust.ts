/**
 * Settings that reach outside the checkout (`checkFs` stats sockets, binaries, certificates on this
 * machine; `root` points it at any directory) come only from the command line or the editor's
 * settings, never from a `.lighttpd-lint.json`: in CI that file is part of the pull request, and it
 * could make the report disclose the modes and owners of files like /etc/shadow. See docs/ci.md.
 */
import type { ProjectConfig } from "./types.js";

/** Keys a config file may not set, with what to use instead. */
const COMMAND_LINE_ONLY: [keyof ProjectConfig, string][] = [
  ["checkFs", "--check-fs (or the editor setting lighttpd-lint.checkFs)"],
  ["root", "--root"],
];

/** `project` (read from `file`) without the settings a repository may not choose, and a warning for each one it set. */
export function dropUntrustedSettings(project: ProjectConfig, file: string): { project: ProjectConfig; warnings: string[] } {
  const warnings: string[] = [];
  const out: ProjectConfig = { ...project };
  for (const [key, instead] of COMMAND_LINE_ONLY) {
    if (out[key] === undefined) continue;
    delete out[key];
    warnings.push(`${file}: "${key}" is ignored: it reaches outside the checkout, so only the command line or editor settings may set it (use ${instead}); see docs/ci.md`);
  }
  return { project: out, warnings };
}
