/**
 * What a report may show (docs/ci.md, trust model). In CI the config comes from a pull request:
 * - the value of an environment variable the config reads (`env.NAME`) is never quoted: it may be a
 *   token; messages show `<env.NAME>` instead;
 * - a file outside the project root (the directory of the config named on the command line, or the
 *   editor's) may be anything readable on the runner (`.git/config` holds the checkout token,
 *   `~/.git-credentials`, ...): its text never reaches code frames, messages, fixes or annotations.
 *   Its findings name the file and the rule, with a generic message; strings it defines are not
 *   quoted in the messages of other files either.
 */
import path from "node:path";
import type { Diagnostic } from "../ast/diagnostics.js";
import type { EvaluatedConfig } from "../eval/model.js";
import { StringLit } from "../../grammar/tokens.js";

/** Secrets shorter than this are not redacted (they would mangle messages, and hide nothing). */
const MIN_SECRET = 4;
/** Beyond this many distinct strings from outside files, messages of inside files are replaced wholesale. */
const MAX_SECRETS = 20_000;

export interface RedactionFile {
  filePath: string;
  text: string;
  diagnostics: Diagnostic[];
}

export function insideRoot(file: string, root: string): boolean {
  if (file.startsWith("include_shell:") || /^<[^>]*>$/.test(file)) return true;
  // The common case without path arithmetic (10,000 files from one glob).
  const prefix = root.endsWith("/") ? root : `${root}/`;
  if (file.startsWith(prefix) && !/\/\.\.?(\/|$)|\/\.git(\/|$)|\/\//.test(file.slice(prefix.length - 1))) return true;
  const rel = path.relative(root, path.resolve(root, file));
  if (rel.split(path.sep).includes(".git")) return false; // .git/config holds the checkout's token
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The text with every character but line breaks blanked: positions stay right, nothing is shown. */
export function blank(text: string): string {
  return text.replace(/[^\n\r]/g, " ");
}

/** Redacts `files` in place (see the module comment). `root` undefined: no file is outside. */
export function redact(files: RedactionFile[], config: EvaluatedConfig, root: string | undefined): void {
  const secrets: [string, string][] = [];
  for (const [name, value] of config.envRead ?? []) if (value.length >= MIN_SECRET) secrets.push([value, `<env.${name}>`]);
  let tooMany = false;
  const outside = new Set<string>();
  if (root !== undefined) {
    const seen = new Set<string>();
    for (const [file, source] of config.files) {
      if (insideRoot(file, root)) continue;
      outside.add(file);
      for (const t of source.parse.tokens) {
        if (t.tokenType !== StringLit) continue;
        const s = t.image.slice(1, t.image.endsWith('"') && t.image.length > 1 ? -1 : undefined);
        if (s.length < MIN_SECRET || seen.has(s)) continue;
        seen.add(s);
        if (seen.size > MAX_SECRETS) {
          tooMany = true;
          break;
        }
        secrets.push([s, `<text from ${file}>`]);
      }
    }
  }
  if (secrets.length === 0 && outside.size === 0) return;
  // Longest first, so a secret that contains another is replaced whole.
  secrets.sort((a, b) => b[0].length - a[0].length);
  const clean = (s: string): string => {
    for (const [secret, label] of secrets) if (s.includes(secret)) s = s.split(secret).join(label);
    return s;
  };
  for (const f of files) {
    const isOutside = outside.has(f.filePath) || (root !== undefined && !config.files.has(f.filePath) && !insideRoot(f.filePath, root));
    if (isOutside) f.text = blank(f.text);
    if (f.diagnostics.length === 0) continue;
    f.diagnostics = f.diagnostics.map((d) => {
      if (isOutside) {
        return {
          ruleId: d.ruleId,
          severity: d.severity,
          file: d.file,
          start: d.start,
          end: d.end,
          message: `${d.ruleId} in ${f.filePath}, a file outside the project root ${root}: its text is not shown (see docs/ci.md, trust model)`,
        };
      }
      const out: Diagnostic = {
        ...d,
        message: tooMany && outside.size ? `${d.ruleId}: the message is not shown, it may quote files outside the project root ${root}` : clean(d.message),
      };
      if (d.related) out.related = d.related.map((r) => ({ ...r, message: clean(r.message) }));
      if (d.fix) out.fix = { ...d.fix, description: clean(d.fix.description) };
      if (d.suggestions) out.suggestions = d.suggestions.map((x) => ({ ...x, description: clean(x.description) }));
      return out;
    });
  }
}
