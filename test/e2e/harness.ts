/**
 * End-to-end harness: runs the real lighttpd (and its FastCGI backend) on 127.0.0.1 in a temp
 * dir, sends HTTP requests, and runs the real `lighttpd-lint --fix` CLI on a copy of a config.
 *
 * Safety: every process is started in its own process group and remembered; `stopAll()` (called
 * from afterEach) ends each group by its id, and a process "exit" hook kills whatever is left.
 * As root, lighttpd, spawn-fcgi and their children run as the unprivileged user "nobody" (setpriv).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { lighttpdVersion, repoRoot, requireLighttpd } from "../helpers/lighttpd.js";

export const scenariosDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "scenarios");

// ---------------------------------------------------------------------------------------------
// Binaries and users

export function findBinary(name: string): string | undefined {
  // System directories first, then absolute PATH entries: `npm test` puts node_modules/.bin first
  // on PATH, and a program there is not the system's lighttpd (src/util/version.ts does the same).
  const dirs = [
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
    "/usr/local/sbin",
    "/usr/local/bin",
    ...(process.env.PATH ?? "").split(":").filter((d) => path.isAbsolute(d) && !d.includes("node_modules")),
  ];
  for (const d of dirs) {
    if (!d) continue;
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export type Needed = "lighttpd" | "fcgiwrap" | "spawn-fcgi" | "php-cgi" | "setpriv" | "python3";
const bins: Record<Needed, string | undefined> = {
  // the system's python3 (the server user cannot run a per-user interpreter like pyenv's shims under /root)
  python3: ["/usr/bin/python3", "/usr/local/bin/python3"].find((p) => fs.existsSync(p)),
  lighttpd: findBinary("lighttpd"),
  fcgiwrap: findBinary("fcgiwrap"),
  "spawn-fcgi": findBinary("spawn-fcgi"),
  "php-cgi": findBinary("php-cgi"),
  setpriv: findBinary("setpriv"),
};

/** Absolute path of a binary this suite needs (describeE2E made sure it exists). */
export function bin(name: Needed): string {
  const p = bins[name];
  if (!p) throw new Error(`${name} is not installed`);
  return p;
}

export const isRoot = process.getuid?.() === 0;

function numericId(flag: "-u" | "-g", user: string): number | undefined {
  const r = spawnSync("id", [flag, user], { encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
}

/** Who runs the servers: "nobody" when we are root (never run a web server as root), else ourselves. */
export const serverUser = isRoot
  ? { name: "nobody", uid: numericId("-u", "nobody") ?? 65534, gid: numericId("-g", "nobody") ?? 65534 }
  : { name: process.env.USER ?? "me", uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

/** A user who is neither us nor the server user, to own a stale socket. */
export const otherUser = isRoot ? { uid: numericId("-u", "daemon") ?? 0, gid: numericId("-g", "daemon") ?? 0 } : undefined;

/**
 * `describe` for a scenario: skipped with a visible reason when a binary is missing, failing
 * instead when REQUIRE_LIGHTTPD=1. `rootOnly` scenarios are skipped (with the reason) when not root.
 */
export function describeE2E(name: string, needs: Needed[], body: () => void, opts: { rootOnly?: string } = {}): void {
  const all: Needed[] = isRoot ? [...needs, "setpriv"] : needs;
  const missing = all.filter((n) => !bins[n]);
  if (opts.rootOnly && !isRoot) {
    describe.skip(`${name} [skipped: not root; ${opts.rootOnly}]`, body);
  } else if (missing.length === 0) {
    describe(name, body);
  } else if (requireLighttpd) {
    describe(name, () => {
      it(`needs ${missing.join(", ")} (REQUIRE_LIGHTTPD=1)`, () => {
        throw new Error(`missing ${missing.join(", ")} but REQUIRE_LIGHTTPD=1: apt-get install -y lighttpd fcgiwrap spawn-fcgi php-cgi python3`);
      });
    });
  } else {
    describe.skip(`${name} [skipped: ${missing.join(", ")} not found; apt-get install -y lighttpd fcgiwrap spawn-fcgi php-cgi]`, body);
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

export interface Proc {
  label: string;
  child: ChildProcess;
  pid: number;
  /** stdout+stderr so far */
  output(): string;
  /** exit code once exited (null: killed by a signal), undefined while running */
  exitCode(): number | null | undefined;
  exited: Promise<number | null>;
}

const running = new Set<Proc>();

process.once("exit", () => {
  for (const p of running) {
    const spawned = descendants(p.pid);
    killGroup(p.pid, "SIGKILL");
    spawned.forEach(killStraggler);
  }
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // the process group we created with detached: true
  } catch {
    /* already gone */
  }
}

/** Prefix a command so that it runs as the server user (setpriv execs: the pid stays the program's). */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  if (!isRoot) return [cmd, args];
  return [bin("setpriv"), ["--reuid", String(serverUser.uid), "--regid", String(serverUser.gid), "--clear-groups", "--", cmd, ...args]];
}

export function startProcess(label: string, cmd: string, args: string[], opts: { cwd: string; asServer?: boolean }): Proc {
  const [c, a] = opts.asServer === false ? [cmd, args] : asServerUser(cmd, args);
  const child = spawn(c, a, {
    cwd: opts.cwd,
    detached: true, // own process group, stopped by its id (bin-path backends: see stopAll)
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C" },
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (c) => {
      code = c;
      resolve(c);
    });
    child.on("error", (e) => {
      out += String(e);
      code = -1;
      resolve(-1);
    });
  });
  if (child.pid === undefined) throw new Error(`${label}: could not start ${c}`);
  const proc: Proc = { label, child, pid: child.pid, output: () => out, exitCode: () => code, exited };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** A process as /proc shows it: pid, parent, start time (to never kill a reused pid). */
interface ProcEntry {
  pid: number;
  ppid: number;
  start: string;
}

function procEntry(pid: number): ProcEntry | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the 3rd on
    return { pid, ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined; // exited
  }
}

/** A process's descendants (lighttpd's spawned backends and their children). */
export function descendants(pid: number): ProcEntry[] {
  const all = fs
    .readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .map((e) => procEntry(Number(e)))
    .filter((e): e is ProcEntry => e !== undefined);
  const found: ProcEntry[] = [];
  const walk = (p: number) => {
    for (const e of all)
      if (e.ppid === p) {
        found.push(e);
        walk(e.pid);
      }
  };
  walk(pid);
  return found;
}

/** Kills a remembered descendant by pid, if it is still the same process. */
function killStraggler(e: ProcEntry): void {
  if (procEntry(e.pid)?.start !== e.start) return;
  try {
    process.kill(e.pid, "SIGKILL");
  } catch {
    /* gone */
  }
}

/**
 * Stops every process this worker started (TERM, then KILL after 2 s), each by its group id.
 * lighttpd starts its bin-path backends in a new session (their own group), so those are
 * remembered by pid first and killed by pid if lighttpd did not stop them itself.
 */
export async function stopAll(): Promise<void> {
  const procs = [...running];
  const spawned = procs.flatMap((p) => descendants(p.pid));
  for (const p of procs) killGroup(p.pid, "SIGTERM");
  await Promise.all(
    procs.map(async (p) => {
      const done = await Promise.race([p.exited.then(() => true), sleep(2000).then(() => false)]);
      if (!done) killGroup(p.pid, "SIGKILL");
      await Promise.race([p.exited, sleep(1000)]);
    }),
  );
  for (const e of spawned) killStraggler(e); // normally lighttpd stopped them already
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Network

/** A free TCP port on 127.0.0.1 (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path: socketPath });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(300, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

/**
 * Waits until the target is serving (true) or the process exits / time runs out (false). A port
 * counts only once an HTTP request got an answer: lighttpd listens before it spawns its backends,
 * and exits afterwards when spawning fails.
 */
export async function waitUntilListening(proc: Proc, target: { port: number } | { path: string }, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc.exitCode() !== undefined) return false;
    const up =
      "port" in target
        ? await httpGet(target.port, "/", 1000).then(
            () => true,
            () => false,
          )
        : await canConnect(target.path);
    if (up) return proc.exitCode() === undefined;
    await sleep(50);
  }
  return false;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** GET http://127.0.0.1:port<urlPath> (the path is sent verbatim), with a time bound. */
export function httpGet(port: number, urlPath: string, timeoutMs = 3000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, method: "GET", agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${urlPath}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

/** The KEY=value lines the test backends print, as an object. */
export function cgiVars(body: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of body.split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.replace(/\r$/, ""));
    if (m) vars[m[1]] = m[2];
  }
  return vars;
}

// ---------------------------------------------------------------------------------------------
// The linter CLI

const cli = path.join(repoRoot, "bin/lighttpd-lint.js");

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!fs.existsSync(path.join(repoRoot, "dist/src/cli/main.js"))) {
    throw new Error("dist/ is missing: build first (npx tsc -p tsconfig.json); the e2e suite runs the real CLI");
  }
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 20_000 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

let ruleIds: Set<string> | undefined;
/** The rule ids `lighttpd-lint rules` lists. */
export function availableRules(): Set<string> {
  if (!ruleIds) {
    const out = runCli(["rules"]).stdout;
    ruleIds = new Set(
      out
        .split("\n")
        .slice(1)
        .map((l) => l.split(/\s+/)[0])
        .filter(Boolean),
    );
  }
  return ruleIds;
}

interface Finding {
  ruleId: string;
  message: string;
  fix?: unknown;
}

function commonArgs(): string[] {
  return ["--no-config", "--lighttpd-version", lighttpdVersion ?? "1.4.69"];
}

/** `lighttpd-lint --format json FILE`: the findings. */
export function lintFindings(file: string, extra: string[] = []): Finding[] {
  const r = runCli(["--format", "json", ...commonArgs(), ...extra, file]);
  try {
    const parsed = JSON.parse(r.stdout) as { diagnostics: Finding[] }[];
    return parsed.flatMap((f) => f.diagnostics);
  } catch {
    throw new Error(`lighttpd-lint --format json failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  }
}

export interface FixResult {
  path: string;
  before: string;
  text: string;
  /** the lines the fix removed (-) and added (+) */
  changes: string[];
}

/**
 * Copies `file` to `<name>.fixed.conf` and runs the real `lighttpd-lint --fix` on the copy. Only
 * `ruleId`'s fixes are applied: every other rule reported on the file is disabled, so the
 * behaviour change after the fix is this rule's doing. Throws a clear error when the rule does not
 * exist yet, was not reported, or its fix did not change the config.
 */
export function applyFix(ruleId: string, file: string, extra: string[] = [], opts: { allowUnchanged?: boolean } = {}): FixResult {
  const before = fs.readFileSync(file, "utf8");
  const copy = file.replace(/\.conf$/, "") + ".fixed.conf";
  fs.writeFileSync(copy, before, { mode: 0o644 });
  const findings = lintFindings(
    file,
    extra.filter((a) => a !== "--fix-suggestions"),
  );
  const others = [...new Set(findings.map((f) => f.ruleId).filter((id) => id !== ruleId))];
  const r = runCli(["--fix", ...commonArgs(), ...extra, ...others.flatMap((id) => ["--disable", id]), copy]);
  if (r.status === 2) throw new Error(`lighttpd-lint --fix failed: ${r.stderr || r.stdout}`);
  const text = fs.readFileSync(copy, "utf8");
  const reported = findings.some((f) => f.ruleId === ruleId);
  if (!availableRules().has(ruleId)) {
    throw new Error(`rule "${ruleId}" not found in \`lighttpd-lint rules\` (waiting for rules/${ruleId}.ts): fix ${text === before ? "did not change" : "changed"} the config`);
  }
  if (!reported) throw new Error(`lighttpd-lint did not report ${ruleId} on ${path.basename(file)} (it reported: ${[...others].join(", ") || "nothing"})`);
  if (text === before && !opts.allowUnchanged) throw new Error(`${ruleId}: lighttpd-lint --fix did not change the config`);
  fs.chmodSync(copy, 0o644);
  return { path: copy, before, text, changes: lineChanges(before, text) };
}

function lineChanges(a: string, b: string): string[] {
  const al = a.split("\n");
  const bl = b.split("\n");
  const bs = new Set(bl);
  const as = new Set(al);
  return [...al.filter((l) => !bs.has(l)).map((l) => `- ${l}`), ...bl.filter((l) => !as.has(l)).map((l) => `+ ${l}`)];
}

// ---------------------------------------------------------------------------------------------
// A scenario: its temp dir, config, port and servers

export class Scenario {
  readonly vars: Record<string, string>;

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly port: number,
  ) {
    this.vars = {
      DIR: dir,
      WWW: path.join(dir, "www"),
      CGI: path.join(dir, "cgi"),
      RUN: path.join(dir, "run"),
      PORT: String(port),
    };
    for (const [k, b] of Object.entries(bins)) if (b) this.vars[k.toUpperCase().replace("-", "_")] = b;
  }

  /**
   * A fresh dir under /tmp (the socket-in-tmp rule is about /tmp), readable by the server user:
   * www/ (document root), cgi/ (the backend's scripts), run/ (sockets; owned by the server user).
   */
  static async create(name: string): Promise<Scenario> {
    const dir = fs.mkdtempSync(path.join("/tmp", `lighttpd-lint-e2e-${name}-`));
    fs.chmodSync(dir, 0o755);
    for (const sub of ["www", "cgi", "run"]) fs.mkdirSync(path.join(dir, sub), { mode: 0o755 });
    fs.chownSync(path.join(dir, "run"), serverUser.uid, serverUser.gid);
    return new Scenario(name, dir, await freePort());
  }

  /** Writes a file into the scenario dir (mode 0644 unless given). */
  write(rel: string, text: string, mode = 0o644): string {
    const p = path.join(this.dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
    fs.writeFileSync(p, text);
    fs.chmodSync(p, mode);
    return p;
  }

  /** Copies test/e2e/scenarios/<from> into the scenario dir. */
  install(from: string, rel: string, mode = 0o644): string {
    return this.write(rel, fs.readFileSync(path.join(scenariosDir, from), "utf8"), mode);
  }

  /** The fcgiwrap test script, as cgi/<name>. */
  installCgiApp(name = "app"): string {
    return this.install("app.cgi", path.join("cgi", name), 0o755);
  }

  /** Renders test/e2e/scenarios/<template> (@DIR@, @WWW@, @CGI@, @RUN@, @PORT@, @FCGIWRAP@, ... and `extra`). */
  render(template: string, rel: string, extra: Record<string, string> = {}): string {
    const vars = { ...this.vars, ...extra };
    const text = fs.readFileSync(path.join(scenariosDir, template), "utf8").replace(/@([A-Z_]+)@/g, (m, k: string) => {
      if (!(k in vars)) throw new Error(`${template}: no value for ${m}`);
      return vars[k];
    });
    return this.write(rel, text);
  }

  /** `lighttpd -tt -f conf` as the server user: does lighttpd accept the config? */
  check(conf: string): { ok: boolean; output: string } {
    const [c, a] = asServerUser(bin("lighttpd"), ["-tt", "-f", conf]);
    const r = spawnSync(c, a, { cwd: this.dir, encoding: "utf8", timeout: 10_000 });
    return { ok: r.status === 0, output: (r.stdout ?? "") + (r.stderr ?? "") };
  }

  /** Starts `lighttpd -D -f conf`; `started` is false when it exited (or never listened) instead. */
  async startLighttpd(conf: string): Promise<{ started: boolean; proc: Proc }> {
    const proc = startProcess(`lighttpd ${path.basename(conf)}`, bin("lighttpd"), ["-D", "-f", conf], { cwd: this.dir });
    const started = await waitUntilListening(proc, { port: this.port });
    return { started, proc };
  }

  /** Like startLighttpd, but a failure to start fails the test with lighttpd's own output. */
  async start(conf: string): Promise<Proc> {
    const { started, proc } = await this.startLighttpd(conf);
    if (!started) throw new Error(`lighttpd did not start with ${path.basename(conf)}:\n${proc.output()}`);
    return proc;
  }

  get(urlPath: string): Promise<Reply> {
    return httpGet(this.port, urlPath);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Prints what a request returned when E2E_VERBOSE=1 (the observed values for reports). */
export function observe(scenario: string, phase: string, urlPath: string, r: Reply, keys: string[] = []): void {
  if (process.env.E2E_VERBOSE !== "1") return;
  const vars = cgiVars(r.body);
  const shown = keys.map((k) => `${k}=${JSON.stringify(r.headers[k.toLowerCase()] ?? vars[k] ?? "(absent)")}`);
  console.log(`[e2e] ${scenario} ${phase}: GET ${urlPath} -> ${r.status} ${shown.join(" ")}`);
}

/** Prints the lines a fix changed when E2E_VERBOSE=1. */
export function observeFix(scenario: string, fixed: FixResult): void {
  if (process.env.E2E_VERBOSE !== "1") return;
  console.log(`[e2e] ${scenario} fix:\n${fixed.changes.map((l) => `    ${l.trim()}`).join("\n")}`);
}

// ---------------------------------------------------------------------------------------------
// Backends started outside lighttpd

/** The unix socket of the (single) FastCGI backend a config names. */
export function socketOf(configText: string): string {
  const m = /"socket"\s*=>\s*"([^"]+)"/.exec(configText);
  if (!m) throw new Error("the config names no backend socket");
  return m[1];
}

/**
 * fcgiwrap started by spawn-fcgi (in the foreground, -n: the pid is fcgiwrap's) as the server
 * user, listening on `socket`. `listening` is false when spawn-fcgi gave up instead.
 */
export async function startFcgiwrap(sc: Scenario, socket: string): Promise<{ listening: boolean; proc: Proc }> {
  const proc = startProcess("spawn-fcgi fcgiwrap", bin("spawn-fcgi"), ["-n", "-s", socket, "--", bin("fcgiwrap")], { cwd: sc.dir });
  const listening = await waitUntilListening(proc, { path: socket }, 3000);
  return { listening, proc };
}

/**
 * php-cgi started by spawn-fcgi (foreground, -n) as the server user on `socket`: how a PHP site
 * runs when lighttpd does not spawn PHP itself (`spawn-fcgi -s /tmp/php.sock -- /usr/bin/php-cgi`).
 */
export async function startPhpCgi(sc: Scenario, socket: string): Promise<{ listening: boolean; proc: Proc }> {
  const proc = startProcess("spawn-fcgi php-cgi", bin("spawn-fcgi"), ["-n", "-s", socket, "--", bin("php-cgi")], { cwd: sc.dir });
  const listening = await waitUntilListening(proc, { path: socket }, 5000);
  return { listening, proc };
}

/**
 * test/e2e/fcgi_app.py and the protocol module it imports, copied into the scenario (readable by the
 * server user); returns the app's path.
 */
export function writePythonApp(sc: Scenario): string {
  const e2eDir = path.dirname(scenariosDir);
  sc.write("py/fcgi_protocol.py", fs.readFileSync(path.join(e2eDir, "fcgi_protocol.py"), "utf8"));
  return sc.write("py/fcgi_app.py", fs.readFileSync(path.join(e2eDir, "fcgi_app.py"), "utf8"), 0o755);
}

/** The guides' separately started Python FastCGI app (test/e2e/fcgi_app.py, stdlib only) on `socket` (flup's bindAddress). */
export async function startPythonApp(sc: Scenario, socket: string): Promise<{ listening: boolean; proc: Proc }> {
  const app = writePythonApp(sc);
  const proc = startProcess("python fcgi_app.py", bin("python3"), [app, socket], { cwd: sc.dir });
  const listening = await waitUntilListening(proc, { path: socket }, 5000);
  return { listening, proc };
}

/**
 * Leaves a stale unix socket at `socketPath` (a process binds it and is killed, so nothing
 * listens and the file stays), owned by `owner`.
 */
export function leaveStaleSocket(socketPath: string, owner: { uid: number; gid: number }): void {
  const script = `require("net").createServer().listen(process.argv[1], () => process.kill(process.pid, "SIGKILL"))`;
  spawnSync(process.execPath, ["-e", script, socketPath], { timeout: 10_000 });
  if (!fs.statSync(socketPath).isSocket()) throw new Error(`no stale socket at ${socketPath}`);
  fs.chownSync(socketPath, owner.uid, owner.gid);
}
