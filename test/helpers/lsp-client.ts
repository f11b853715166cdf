/**
 * A minimal LSP client for tests: starts `node bin/lighttpd-lint.js lsp --stdio` (the built CLI, so
 * `npx tsc` must have run) and talks JSON-RPC to it with vscode-jsonrpc. Every wait has a time bound.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import { repoRoot } from "./lighttpd.js";

export const cliPath = path.join(repoRoot, "bin/lighttpd-lint.js");
export const builtServer = path.join(repoRoot, "dist/src/lsp/server.js");

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  relatedInformation?: { location: { uri: string; range: LspDiagnostic["range"] }; message: string }[];
}

export interface StartOptions {
  /** The `lighttpd-lint` settings returned for workspace/configuration (and sent as initializationOptions). */
  settings?: Record<string, unknown>;
  rootPath?: string;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  /** Workspace folders (default: rootPath alone). */
  folders?: string[];
  /** Settings returned for workspace/configuration items with a scopeUri (by folder URI). */
  folderSettings?: Record<string, Record<string, unknown>>;
  /** Extra client capabilities: `textDocument` and `workspace` entries are merged into the defaults. */
  capabilities?: { textDocument?: Record<string, unknown>; workspace?: Record<string, unknown> };
}

export const uriOf = (file: string) => pathToFileURL(file).href;

export class LspClient {
  readonly diagnostics = new Map<string, { version?: number; diagnostics: LspDiagnostic[] }>();
  /** How many times diagnostics were published per URI. */
  readonly publishCount = new Map<string, number>();
  readonly messages: string[] = [];
  diagnosticRefreshes = 0;
  private listeners: (() => void)[] = [];
  private versions = new Map<string, number>();
  private stderr = "";

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
    public settings: Record<string, unknown>,
  ) {}

  static async start(options: StartOptions = {}): Promise<LspClient> {
    if (!fs.existsSync(builtServer)) throw new Error(`${builtServer} is missing: run 'npx tsc -p tsconfig.json' first`);
    const child = spawn(process.execPath, [cliPath, "lsp", "--stdio"], { cwd: options.rootPath ?? repoRoot, env: { ...process.env, ...options.env }, stdio: "pipe" });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection, options.settings ?? {});
    child.stderr.on("data", (d: Buffer) => {
      client.stderr += d.toString();
    });
    connection.onNotification("textDocument/publishDiagnostics", (p: { uri: string; version?: number; diagnostics: LspDiagnostic[] }) => {
      client.diagnostics.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
      client.publishCount.set(p.uri, (client.publishCount.get(p.uri) ?? 0) + 1);
      for (const l of client.listeners) l();
    });
    connection.onNotification("window/showMessage", (p: { message: string }) => {
      client.messages.push(p.message);
    });
    connection.onNotification("window/logMessage", (p: { message: string }) => {
      client.messages.push(p.message);
    });
    connection.onRequest("workspace/configuration", (p: { items: { section?: string; scopeUri?: string }[] }) =>
      p.items.map((i) => (i.section !== "lighttpd-lint" ? null : i.scopeUri && options.folderSettings?.[i.scopeUri] ? options.folderSettings[i.scopeUri] : client.settings)),
    );
    connection.onRequest("workspace/diagnostic/refresh", () => {
      client.diagnosticRefreshes++;
      return null;
    });
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest("window/workDoneProgress/create", () => null);
    connection.listen();
    const root = options.rootPath ?? repoRoot;
    await withTimeout(
      connection.sendRequest("initialize", {
        processId: process.pid,
        rootUri: uriOf(root),
        workspaceFolders: (options.folders ?? [root]).map((f, k) => ({ uri: uriOf(f), name: `folder${k}` })),
        initializationOptions: { "lighttpd-lint": options.settings ?? {} },
        capabilities: {
          workspace: {
            configuration: true,
            didChangeConfiguration: { dynamicRegistration: true },
            didChangeWatchedFiles: { dynamicRegistration: true },
            ...options.capabilities?.workspace,
          },
          textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true }, ...options.capabilities?.textDocument },
        },
      }),
      10_000,
      "initialize",
    );
    await connection.sendNotification("initialized", {});
    return client;
  }

  open(file: string, text: string): string {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    void this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "lighttpd", version: 1, text } });
    return uri;
  }

  /** Replaces the whole text (a full-content change). Returns the new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** Applies one ranged (incremental) change. Returns the new version. */
  edit(uri: string, range: LspDiagnostic["range"], text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  close(uri: string): void {
    void this.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  request<T>(method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
    return withTimeout(this.connection.sendRequest(method, params) as Promise<T>, timeoutMs, method);
  }

  /** Waits until the latest diagnostics of `uri` satisfy `ready` (checked now and at every publish). */
  waitForDiagnostics(uri: string, ready: (d: LspDiagnostic[], version?: number) => boolean, timeoutMs = 10_000): Promise<LspDiagnostic[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const got = this.diagnostics.get(uri);
        if (got && ready(got.diagnostics, got.version)) {
          resolve(got.diagnostics);
          return true;
        }
        return false;
      };
      if (check()) return;
      const listener = () => {
        if (check()) done();
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri))}; server stderr: ${this.stderr.slice(-2000)}`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
    });
  }

  /** Resolves with the next publish for `uri` (any content). */
  nextDiagnostics(uri: string, timeoutMs = 10_000): Promise<{ version?: number; diagnostics: LspDiagnostic[] }> {
    return new Promise((resolve, reject) => {
      const listener = () => {
        const got = this.diagnostics.get(uri);
        if (!got) return;
        done();
        resolve(got);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no diagnostics published for ${uri} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
    });
  }

  async stop(): Promise<void> {
    try {
      await withTimeout(this.connection.sendRequest("shutdown"), 3000, "shutdown");
      await this.connection.sendNotification("exit");
    } catch {
      // The server is gone or stuck: it is killed below either way.
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        resolve();
      }, 2000);
      this.child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Applies LSP text edits (one document's) to a text. */
export function applyEdits(text: string, edits: { range: LspDiagnostic["range"]; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => Math.min((lineStarts[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
