/**
 * The server's view of the files: open buffers over the disk, which main config each file belongs
 * to, and the last lint of each main config. No LSP types here, so it can be tested directly.
 *
 * Multi-file: lighttpd reads a file in the context of the main config that includes it (variables,
 * loaded modules, enclosing conditions), so an included file is linted as part of its main config:
 * the `mainConfig` setting when it includes the file, else the nearest `lighttpd.conf` upward that
 * includes it, else the file on its own.
 */
import { defaultReadFile } from "../util/read-file.js";
import fs from "node:fs";
import path from "node:path";
import { lint, type FileResult, type LintResult } from "../linter.js";
import { fixConfig, type FixResult } from "../fix/fix-files.js";
import { parseConfig, type ParseResult } from "../parse/parse.js";
import { encodeText } from "../parse/source.js";
import { reparse } from "../parse/incremental.js";
import { projectFor, type ClientSettings } from "./settings.js";

export const MAIN_CONFIG_NAME = "lighttpd.conf";

export interface OpenDocument {
  path: string;
  uri: string;
  text: string;
  version: number;
}

export interface MainLint {
  main: string;
  result: LintResult;
  /** The workspace generation this lint saw (stale when the generation moved on). */
  generation: number;
  byFile: Map<string, FileResult>;
  /** Problems with the settings (bad .lighttpd-lint.json), for the client to show. */
  settingsProblems: string[];
}

export class Workspace {
  readonly docs = new Map<string, OpenDocument>();
  client: ClientSettings = {};
  /** Workspace folders, for resolving a relative `mainConfig`. */
  roots: string[] = [];
  /** Settings of one workspace folder (workspace/configuration with its scopeUri), over `client`. */
  readonly folderSettings = new Map<string, ClientSettings>();

  /** The folder holding a file (the deepest, folders may nest), if any. */
  folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const r of this.roots) {
      const rel = path.relative(r, file);
      if (!rel.startsWith("..") && !path.isAbsolute(rel) && (!best || r.length > best.length)) best = r;
    }
    return best;
  }

  /** The client settings that apply to a file: its folder's, else the workspace's. */
  clientFor(file: string): ClientSettings {
    const folder = this.folderOf(file);
    return (folder && this.folderSettings.get(folder)) || this.client;
  }
  /** Bumped on every change of a buffer, a setting or a watched file. */
  generation = 0;
  private readonly lints = new Map<string, MainLint>();
  /** The main config chosen for a file, until something may have changed the include graph. */
  private readonly assigned = new Map<string, string>();

  /** The last parse of each open buffer: after an edit, only the edited statements are parsed again. */
  private readonly parses = new Map<string, ParseResult>();

  /** The parse of an open buffer's text (for the evaluator); undefined for other files and texts. */
  parseFor = (file: string, text: string, version: string): ParseResult | undefined => {
    const key = path.resolve(file);
    const doc = this.docs.get(key);
    if (!doc || doc.text !== text) return undefined;
    const previous = this.parses.get(key);
    if (previous && previous.text === text && previous.version === version) return previous;
    // The previous parse is only kept for this: it may be consumed. (The last lint still refers
    // to it, but a lint of an older generation is not read for positions.)
    const result = previous && previous.version === version ? reparse(previous, text, { consumePrevious: true }) : parseConfig(text, { version });
    this.parses.set(key, result);
    return result;
  };

  /** An open buffer's text (the evaluator reads it as text: EvaluateOptions.readText). */
  readText = (file: string): string | undefined => this.docs.get(path.resolve(file))?.text;

  readFile = (file: string): Uint8Array | undefined => {
    const doc = this.docs.get(path.resolve(file));
    if (doc) return encodeText(doc.text);
    // Bounded and non-blocking (src/util/read-file.ts): `/dev/stdin` here is the LSP pipe itself.
    return defaultReadFile(file);
  };

  /** The text of a file as the engine sees it (buffer, else disk). */
  textOf(file: string): string | undefined {
    const doc = this.docs.get(path.resolve(file));
    if (doc) return doc.text;
    for (const l of this.lints.values()) {
      const fr = l.byFile.get(file);
      if (fr && l.generation === this.generation) return fr.text;
    }
    let bytes: Uint8Array | undefined;
    try {
      bytes = this.readFile(file);
    } catch {
      return undefined;
    }
    return bytes ? Buffer.from(bytes).toString("utf8") : undefined;
  }

  open(doc: OpenDocument): void {
    this.docs.set(doc.path, doc);
    this.touch(false);
  }

  change(file: string, text: string, version: number): void {
    const doc = this.docs.get(file);
    if (!doc) return;
    doc.text = text;
    doc.version = version;
    this.touch(false);
  }

  close(file: string): void {
    this.docs.delete(file);
    this.parses.delete(file);
    this.touch(true);
  }

  /** Something changed: cached lints are stale; `includesMayChange` also forgets main assignments. */
  touch(includesMayChange: boolean): void {
    this.generation++;
    if (includesMayChange) this.assigned.clear();
  }

  configuredMain(file?: string): string | undefined {
    const folder = file ? this.folderOf(file) : undefined;
    const m = (file ? this.clientFor(file) : this.client).mainConfig;
    if (!m) return undefined;
    if (path.isAbsolute(m)) return path.normalize(m);
    return path.resolve(folder ?? this.roots[0] ?? process.cwd(), m);
  }

  /** Lints a main config (or returns the lint of the current generation). */
  lintMain(main: string): MainLint {
    const cached = this.lints.get(main);
    if (cached && cached.generation === this.generation) return cached;
    const { project, problems } = projectFor(main, this.clientFor(main));
    const result = lint(main, { project, readText: this.readText, readFile: this.readFile, cwd: path.dirname(main), parse: this.parseFor });
    const byFile = new Map<string, FileResult>();
    for (const fr of result.files) {
      const key = path.resolve(fr.filePath);
      const prev = byFile.get(key);
      // The engine may add a second entry for findings it could not place: merge them.
      if (prev) byFile.set(key, { ...prev, diagnostics: [...prev.diagnostics, ...fr.diagnostics] });
      else byFile.set(key, { ...fr, filePath: key });
    }
    if (cached && !sameKeys(cached.byFile, byFile)) this.assigned.clear();
    const entry: MainLint = { main, result, generation: this.generation, byFile, settingsProblems: problems };
    this.lints.set(main, entry);
    return entry;
  }

  /** The main config a file is linted in. */
  mainFor(file: string): string {
    const known = this.assigned.get(file);
    if (known) return known;
    const main = this.findMain(file);
    this.assigned.set(file, main);
    return main;
  }

  private findMain(file: string): string {
    const configured = this.configuredMain(file);
    if (configured) {
      if (configured === file || this.lintMain(configured).byFile.has(file)) return configured;
    }
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, MAIN_CONFIG_NAME);
      if (candidate === file) return file;
      if (candidate !== configured && (this.docs.has(candidate) || fs.existsSync(candidate)) && this.lintMain(candidate).byFile.has(file)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
    return file;
  }

  /** The mains to re-lint after `file` changed: its own, and every main whose last lint read it. */
  affectedMains(file: string): string[] {
    const mains = new Set<string>([this.mainFor(file)]);
    for (const l of this.lints.values()) if (l.byFile.has(file)) mains.add(l.main);
    return [...mains];
  }

  /** The mains the open documents belong to (what the server keeps linted). */
  activeMains(): string[] {
    return [...new Set([...this.docs.keys()].map((f) => this.mainFor(f)))];
  }

  /** The current lint of the file's main config, and the file's part of it. */
  lintFor(file: string): { lint: MainLint; file: FileResult | undefined } {
    const l = this.lintMain(this.mainFor(file));
    return { lint: l, file: l.byFile.get(file) };
  }

  /** Applies every safe fix of the file's main config in memory (several passes, like --fix). */
  fixAll(file: string): FixResult {
    const main = this.mainFor(file);
    const { project } = projectFor(main, this.clientFor(main));
    return fixConfig(main, { project, readFile: this.readFile, cwd: path.dirname(main) });
  }

  /** Forgets lints no open document needs any more. */
  prune(): void {
    const keep = new Set(this.activeMains());
    for (const main of [...this.lints.keys()]) if (!keep.has(main)) this.lints.delete(main);
  }

  lastLint(main: string): MainLint | undefined {
    return this.lints.get(main);
  }
}

function sameKeys(a: Map<string, unknown>, b: Map<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}
