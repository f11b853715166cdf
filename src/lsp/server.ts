/**
 * `lighttpd-lint lsp --stdio`: the language server. It owns no rule logic: diagnostics, fixes and
 * values all come from the engine (lint, fixConfig) and the evaluator; this file only wires LSP
 * requests to them (see workspace.ts for which main config a file is linted in).
 */
import path from "node:path";
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  StreamMessageReader,
  StreamMessageWriter,
  createConnection,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type Location,
  type DocumentSymbol,
  MessageType,
  ShowMessageNotification,
  type Range,
  type TextEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { FileResult } from "../engine/lint.js";
import { codeActions, FIX_ALL_KIND } from "./actions.js";
import { completeAt } from "./completion.js";
import { Positions, documentPath, pathToUri, toLspDiagnostic, uriToPath, type FileLookup } from "./convert.js";
import { foldingRanges, includeStatements, semanticTokens, SEMANTIC_TOKEN_TYPES } from "./editor-features.js";
import { formattingEdits } from "./formatting.js";
import { hoverAt } from "./hover.js";
import { definition, references, type Place } from "./navigation.js";
import { readClientSettings, type ClientSettings } from "./settings.js";
import { outline, type OutlineSymbol } from "./symbols.js";
import { Workspace, type MainLint } from "./workspace.js";
import { lossless } from "../parse/parse.js";

export const DEFAULT_DEBOUNCE_MS = 150;
const SECTION = "lighttpd-lint";

export interface ServerOptions {
  /** Defaults to a connection over stdio (`--stdio`) or whatever the command line asks for. */
  connection?: Connection;
}

export function startServer(options: ServerOptions = {}): Connection {
  const connection = options.connection ?? defaultConnection();
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace();
  let initSettings: ClientSettings = {};
  let canPullConfiguration = false;
  let canWatchFiles = false;
  let canRegisterConfiguration = false;
  /** The client pulls diagnostics (LSP 3.17): then none are pushed. */
  let pullDiagnostics = false;
  let canRefreshDiagnostics = false;
  let timer: NodeJS.Timeout | undefined;
  /** Changed files (their mains are found when linting) and mains to re-lint. */
  const pending = new Set<string>();
  const pendingMains = new Set<string>();
  /** Which main config last published diagnostics for a file (path → main). */
  const publishedBy = new Map<string, string>();
  const reportedProblems = new Set<string>();

  const debounceMs = () => workspace.client.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const uriOf = (file: string) => workspace.docs.get(file)?.uri ?? pathToUri(file);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    canPullConfiguration = caps.workspace?.configuration === true;
    canWatchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canRegisterConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    pullDiagnostics = caps.textDocument?.diagnostic !== undefined;
    canRefreshDiagnostics = caps.workspace?.diagnostics?.refreshSupport === true;
    const roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (!roots.length && params.rootUri) {
      const root = uriToPath(params.rootUri);
      if (root) roots.push(root);
    }
    workspace.roots = roots;
    const init = params.initializationOptions as Record<string, unknown> | undefined;
    initSettings = readClientSettings(init?.[SECTION] ?? init).settings;
    workspace.client = initSettings;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', "$", ".", "["], resolveProvider: false },
        documentSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [] }, full: true },
        documentLinkProvider: { resolveProvider: false },
        diagnosticProvider: { identifier: "lighttpd-lint", interFileDependencies: true, workspaceDiagnostics: false },
      },
      serverInfo: { name: "lighttpd-lint" },
    };
  });

  connection.onInitialized(async () => {
    if (canRegisterConfiguration) await connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }).catch(() => undefined);
    if (canWatchFiles) {
      await connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: "**/*.conf" }, { globPattern: "**/.lighttpd-lint.json" }],
        })
        .catch(() => undefined);
    }
    await refreshSettings();
  });

  async function refreshSettings(pushed?: unknown): Promise<void> {
    let raw: unknown = pushed;
    const perFolder: unknown[] = [];
    if (canPullConfiguration) {
      try {
        // The workspace's section, then each folder's (scopeUri): multi-root workspaces may set
        // another lighttpdVersion or mainConfig per folder.
        const items = [{ section: SECTION }, ...workspace.roots.map((r) => ({ section: SECTION, scopeUri: pathToUri(r) }))];
        const answers = (await connection.workspace.getConfiguration(items)) as unknown[];
        raw = answers[0];
        perFolder.push(...answers.slice(1));
      } catch {
        raw = undefined;
      }
    }
    const { settings, problems } = readClientSettings(raw);
    workspace.client = { ...initSettings, ...settings };
    for (const p of problems) showProblem(p);
    workspace.folderSettings.clear();
    workspace.roots.forEach((root, k) => {
      if (perFolder[k] === undefined || perFolder[k] === null) return;
      const folder = readClientSettings(perFolder[k]);
      for (const p of folder.problems) showProblem(`${p} (workspace folder ${root})`);
      workspace.folderSettings.set(root, { ...workspace.client, ...folder.settings });
    });
    workspace.touch(true);
    relintAll();
  }

  function showProblem(message: string): void {
    if (reportedProblems.has(message)) return;
    reportedProblems.add(message);
    warn(`lighttpd-lint: ${message}`);
  }

  /**
   * A window/showMessage notification. (connection.window.showWarningMessage sends a
   * showMessageRequest in vscode-languageserver 10: a client without it answers with an error,
   * which rejected unhandled and stopped the server.)
   */
  function warn(message: string): void {
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }).catch(() => undefined);
  }

  // --- diagnostics ---------------------------------------------------------------------------

  /** Counts schedule calls: a wait for idle (below) that sees a later call leaves the lint to it. */
  let scheduled = 0;

  /**
   * Lints after the debounce delay (typing), or at once (opening a file: nobody is typing yet).
   * "At once" is as soon as the messages already received are handled (a timer would wait a
   * millisecond): vscode-jsonrpc handles one message per setImmediate and queues the next after the
   * handler, behind ours, so waiting two turns lets a queued change come first and a burst of
   * changes is linted once, after the last.
   */
  function schedule(file?: string, delay = debounceMs()): void {
    if (file) pending.add(file);
    if (timer) clearTimeout(timer);
    timer = undefined;
    const call = ++scheduled;
    if (delay > 0) timer = setTimeout(flush, delay);
    else
      setImmediate(() =>
        setImmediate(() => {
          if (call === scheduled) flush();
        }),
      );
  }

  function relintAll(): void {
    for (const f of workspace.docs.keys()) pending.add(f);
    schedule(undefined, 0);
  }

  /** Lints what changed now (also called before answering a request, so answers see the latest text). */
  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending.size && !pendingMains.size) return;
    const files = [...pending];
    const mains = new Set<string>(pendingMains);
    pending.clear();
    pendingMains.clear();
    try {
      for (const f of files) for (const m of workspace.affectedMains(f)) mains.add(m);
      for (const main of mains) publish(workspace.lintMain(main));
      workspace.prune();
    } catch (e) {
      // A bug of ours: keep serving (the next change lints again) and tell the editor's log.
      connection.console.error(`lighttpd-lint: linting failed: ${(e as Error).stack ?? e}`);
    }
  }

  function lookupFor(lint: MainLint): FileLookup {
    const cache = new Map<string, Positions | undefined>();
    return {
      uri: uriOf,
      positions(file) {
        const key = path.resolve(file);
        if (!cache.has(key)) {
          const text = lint.byFile.get(key)?.text ?? workspace.textOf(key);
          // The parse's line index: the next re-parse of an edited buffer reads lines from it too.
          cache.set(key, text === undefined ? undefined : new Positions(text, lint.result.config.files.get(key)?.parse.source));
        }
        return cache.get(key);
      },
    };
  }

  function convert(lint: MainLint, fr: FileResult, lookup = lookupFor(lint)) {
    if (!fr.diagnostics.length) return [];
    const positions = lookup.positions(fr.filePath) ?? new Positions(fr.text);
    return fr.diagnostics.map((d) => ({ engine: d, lsp: toLspDiagnostic(d, positions, lookup, fr.includeChain) }));
  }

  function publish(lint: MainLint): void {
    for (const p of lint.settingsProblems) showProblem(p);
    if (pullDiagnostics) {
      // The client asks for diagnostics itself (textDocument/diagnostic); tell it to ask again,
      // since a change in one file can change another's findings.
      if (canRefreshDiagnostics) void connection.sendRequest("workspace/diagnostic/refresh").catch(() => undefined);
      return;
    }
    const lookup = lookupFor(lint);
    for (const [file, fr] of lint.byFile) {
      // An open file belongs to one main config; another main including it does not speak for it.
      if (workspace.docs.has(file) && workspace.mainFor(file) !== lint.main) continue;
      publishedBy.set(file, lint.main);
      const version = workspace.docs.get(file)?.version;
      void connection.sendDiagnostics({ uri: uriOf(file), version, diagnostics: convert(lint, fr, lookup).map((d) => d.lsp) });
    }
    for (const [file, main] of publishedBy) {
      if (main === lint.main && !lint.byFile.has(file)) clear(file);
    }
  }

  function clear(file: string): void {
    publishedBy.delete(file);
    void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
  }

  documents.onDidOpen((e) => {
    const file = documentPath(e.document.uri);
    workspace.open({ path: file, uri: e.document.uri, text: e.document.getText(), version: e.document.version });
    schedule(file, 0);
  });

  documents.onDidChangeContent((e) => {
    const file = documentPath(e.document.uri);
    // TextDocuments reports an open as a change too: that version is linted already.
    if (workspace.docs.get(file)?.version === e.document.version) return;
    workspace.change(file, e.document.getText(), e.document.version);
    schedule(file);
  });

  documents.onDidClose((e) => {
    const file = documentPath(e.document.uri);
    const affected = workspace.affectedMains(file);
    workspace.close(file);
    const active = new Set(workspace.activeMains());
    // Diagnostics of a closed file stay only while an open file's config includes it.
    if (![...active].some((m) => workspace.lastLint(m)?.byFile.has(file))) clear(file);
    // Configs that read the buffer now read the file on disk.
    for (const m of affected) if (active.has(m)) pendingMains.add(m);
    if (pendingMains.size) schedule();
  });

  connection.onDidChangeConfiguration(async (change) => {
    const pushed = (change.settings as Record<string, unknown> | undefined)?.[SECTION];
    await refreshSettings(pushed);
  });

  connection.onDidChangeWatchedFiles(() => {
    workspace.touch(true);
    relintAll();
  });

  // --- requests ------------------------------------------------------------------------------

  /** The file's current lint and parse, after linting any pending change. */
  function current(uri: string) {
    const file = documentPath(uri);
    flush();
    const { lint, file: fr } = workspace.lintFor(file);
    const source = [...lint.result.config.files.values()].find((s) => path.resolve(s.path) === file);
    if (!source || !fr) return undefined;
    return { file, lint, fr, source, positions: new Positions(source.text) };
  }

  const toLocation = (p: Place): Location => {
    const text = workspace.textOf(p.file) ?? "";
    return { uri: uriOf(p.file), range: new Positions(text).range(p.start, p.end) };
  };

  connection.onCodeAction((params) => {
    const c = current(params.textDocument.uri);
    if (!c) return [];
    const start = c.positions.offset(params.range.start);
    const end = c.positions.offset(params.range.end);
    const all = convert(c.lint, c.fr);
    const touching = all.filter(({ engine }) => engine.start <= end && engine.end >= start);
    return codeActions({
      uri: params.textDocument.uri,
      text: c.source.text,
      positions: c.positions,
      diagnostics: touching,
      only: params.context.only,
      hasFixable: c.fr.diagnostics.some((d) => d.fix),
      fixAll: () => {
        const result = workspace.fixAll(c.file);
        const changed = result.changed.find((f) => path.resolve(f.path) === c.file);
        return changed ? changed.fixed : c.source.text;
      },
    });
  });

  connection.onHover((params) => {
    const c = current(params.textDocument.uri);
    if (!c) return null;
    const answer = hoverAt({
      config: c.lint.result.config,
      version: c.lint.result.settings.lighttpdVersion,
      file: c.file,
      parse: c.source.parse,
      offset: c.positions.offset(params.position),
    });
    if (!answer) return null;
    return { contents: { kind: "markdown", value: answer.markdown }, range: c.positions.range(answer.start, answer.end) };
  });

  connection.onCompletion((params) => {
    const file = documentPath(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const text = doc.getText();
    const positions = new Positions(text);
    // The last lint (possibly a keystroke old) is good enough for the list of variables.
    const lint = workspace.lastLint(workspace.mainFor(file));
    const variables: string[] = [];
    for (const ctx of lint?.result.config.contexts ?? []) for (const s of ctx.settings.values()) if (/^var\./i.test(s.key)) variables.push(s.key);
    return completeAt({ text, offset: positions.offset(params.position), version: lint?.result.settings.lighttpdVersion ?? versionFallback(workspace), positions, variables });
  });

  connection.onDocumentSymbol((params) => {
    const c = current(params.textDocument.uri);
    if (!c) return [];
    const toSymbol = (s: OutlineSymbol): DocumentSymbol => ({
      name: s.name,
      detail: s.detail,
      kind: s.kind,
      range: c.positions.range(s.start, s.end),
      selectionRange: c.positions.range(s.selectionStart, s.selectionEnd),
      children: s.children.map(toSymbol),
    });
    return outline(c.source.parse.tree.body, c.source.text).map(toSymbol);
  });

  connection.onDefinition((params) => {
    const c = current(params.textDocument.uri);
    if (!c) return [];
    return definition({ config: c.lint.result.config, file: c.file, tree: lossless(c.source.parse), offset: c.positions.offset(params.position) }).map(toLocation);
  });

  connection.onReferences((params) => {
    const c = current(params.textDocument.uri);
    if (!c) return [];
    return references(
      { config: c.lint.result.config, file: c.file, tree: lossless(c.source.parse), offset: c.positions.offset(params.position) },
      params.context.includeDeclaration,
    ).map(toLocation);
  });

  // --- folding, semantic tokens, links, pulled diagnostics ----------------------------------

  connection.onFoldingRanges((params) => {
    const c = current(params.textDocument.uri);
    if (!c) return [];
    return foldingRanges(c.source.parse).map((f) => ({ startLine: f.startLine, endLine: f.endLine, ...(f.kind ? { kind: f.kind } : {}) }));
  });

  connection.languages.semanticTokens.on((params) => {
    const c = current(params.textDocument.uri);
    return { data: c ? semanticTokens(c.source.parse) : [] };
  });

  connection.onDocumentLinks((params) => {
    const c = current(params.textDocument.uri);
    if (!c) return [];
    const links = [];
    for (const inc of includeStatements(lossless(c.source.parse))) {
      const targets = definition({ config: c.lint.result.config, file: c.file, tree: lossless(c.source.parse), offset: inc.arg!.start });
      // A link has one target: a glob that matched several files is left to go-to-definition.
      if (targets.length !== 1) continue;
      links.push({ range: c.positions.range(inc.arg!.start, inc.arg!.end), target: uriOf(targets[0].file), tooltip: targets[0].file });
    }
    return links;
  });

  connection.languages.diagnostics.on((params) => {
    const c = current(params.textDocument.uri);
    return { kind: "full" as const, items: c ? convert(c.lint, c.fr).map((d) => d.lsp) : [] };
  });

  // --- formatting (src/fmt) -------------------------------------------------------------------

  /**
   * The editor's tabSize is not used: the layout is lighttpd's own (`-p` indents by 4); the
   * `lighttpd-lint.format` settings change it. A file the formatter must leave alone gets no edit
   * and one message saying why.
   */
  function format(uri: string, range?: Range): TextEdit[] {
    const doc = documents.get(uri);
    if (!doc) return [];
    const file = documentPath(uri);
    const version = workspace.lastLint(workspace.mainFor(file))?.result.settings.lighttpdVersion ?? versionFallback(workspace);
    const answer = formattingEdits(doc.getText(), { version, ...workspace.client.format }, range);
    if (answer.ok) return answer.edits;
    warn(`lighttpd-lint: not formatted (line ${answer.line + 1}): ${answer.reason}`);
    return [];
  }

  connection.onDocumentFormatting((params) => format(params.textDocument.uri));
  connection.onDocumentRangeFormatting((params) => format(params.textDocument.uri, params.range));

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** stdio unless the command line names another transport (`--node-ipc`, `--socket=N`, `--pipe=NAME`). */
function defaultConnection(): Connection {
  const otherTransport = process.argv.some((a) => /^--(node-ipc|socket|pipe)\b/.test(a));
  if (otherTransport) return createConnection(ProposedFeatures.all);
  return createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
}

function versionFallback(workspace: Workspace): string {
  return workspace.client.lighttpdVersion ?? "1.4.69";
}
