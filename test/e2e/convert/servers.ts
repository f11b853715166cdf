/**
 * The convert e2e tests' servers: the same FastCGI backend (fcgi_echo.py, stdlib Python) behind the
 * source server (Debian's nginx or apache2, in a temp dir, on 127.0.0.1 and a free port) and behind
 * lighttpd with the converted config; a request's observable outcome on both, for comparison.
 * Processes go through harness.ts (own process groups, stopped by stopAll).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { repoRoot, requireLighttpd } from "../../helpers/lighttpd.js";
import { findBinary, freePort, httpGet, isRoot, startProcess, waitUntilListening, type Proc, type Reply, type Scenario } from "../harness.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const echoBackend = path.join(here, "fcgi_echo.py");

export const tools = {
  lighttpd: findBinary("lighttpd"),
  nginx: findBinary("nginx"),
  apache2: findBinary("apache2"),
  python3: findBinary("python3"),
  setpriv: findBinary("setpriv"),
};
type Tool = keyof typeof tools;

/** `describe` that needs these programs: skipped with a visible reason, failing under REQUIRE_LIGHTTPD=1. */
export function describeConvertE2E(name: string, needs: Tool[], body: () => void): void {
  const missing = [...needs, ...(isRoot ? (["setpriv"] as Tool[]) : [])].filter((t) => !tools[t]);
  if (missing.length === 0) describe(name, body);
  else if (requireLighttpd)
    describe(name, () =>
      it(`needs ${missing.join(", ")} (REQUIRE_LIGHTTPD=1)`, () => {
        throw new Error(`missing ${missing.join(", ")}: apt-get install -y lighttpd nginx-light apache2 python3`);
      }),
    );
  else describe.skip(`${name} [skipped: ${missing.join(", ")} not found; apt-get install -y lighttpd nginx-light apache2 python3]`, body);
}

export interface ConvertJson {
  from: string;
  config: string;
  report: { file: string; line: number; directive: string; status: "mapped" | "approximated" | "unsupported"; note: string }[];
  lint: { ruleId: string; severity: string; line: number; message: string }[];
  counts: Record<string, number>;
}

/** The real CLI: `lighttpd-lint convert --from X --report json FILE`. */
export function convertCli(from: string, file: string, extra: string[] = []): { status: number | null; json: ConvertJson; stderr: string } {
  const cli = path.join(repoRoot, "bin/lighttpd-lint.js");
  if (!fs.existsSync(path.join(repoRoot, "dist/src/cli/main.js"))) throw new Error("dist/ is missing: npm run build first");
  const r = spawnSync(process.execPath, [cli, "convert", "--from", from, "--report", "json", "--lighttpd-version", "1.4.69", ...extra, file], {
    encoding: "utf8",
    timeout: 20_000,
  });
  try {
    return { status: r.status, json: JSON.parse(r.stdout) as ConvertJson, stderr: r.stderr };
  } catch {
    throw new Error(`convert failed (exit ${r.status}): ${r.stderr}${r.stdout}`);
  }
}

/** fcgi_echo.py on `unix:/path` or `127.0.0.1:port`, as the server user. */
export async function startEcho(sc: Scenario, addr: string, protocol: "fastcgi" | "scgi" | "http" = "fastcgi"): Promise<Proc> {
  const proc = startProcess(`echo ${protocol}`, tools.python3!, [echoBackend, ...(protocol === "fastcgi" ? [] : [`--${protocol}`]), addr], { cwd: sc.dir });
  const target = addr.startsWith("unix:") ? { path: addr.slice(5) } : { port: Number(addr.split(":").pop()) };
  // waitUntilListening probes ports with HTTP: a FastCGI port answers nothing, so wait for the line it prints.
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !proc.output().includes("listening")) {
    if (proc.exitCode() !== undefined) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!proc.output().includes("listening")) throw new Error(`fcgi_echo did not start on ${addr}:\n${proc.output()}`);
  void target;
  return proc;
}

/**
 * Debian's nginx with `serverBlock` (a file holding `server { ... }`) in a minimal main config:
 * foreground, no master process, pid/logs/temp paths in the scenario dir. `fastcgi_params` is
 * copied from /etc/nginx next to the config, so `include fastcgi_params;` reads Debian's file.
 */
export async function startNginx(sc: Scenario, serverBlock: string, port: number): Promise<Proc> {
  const dir = path.join(sc.dir, "nginx");
  fs.mkdirSync(path.join(dir, "tmp"), { recursive: true });
  for (const f of ["fastcgi_params", "scgi_params", "mime.types"]) if (fs.existsSync(`/etc/nginx/${f}`)) fs.copyFileSync(`/etc/nginx/${f}`, path.join(dir, f));
  const tmp = (n: string) => `${n}_temp_path ${path.join(dir, "tmp", n)};`;
  const conf = [
    "daemon off;",
    "master_process off;",
    `pid ${path.join(dir, "nginx.pid")};`,
    `error_log ${path.join(dir, "error.log")} warn;`,
    "events { worker_connections 64; }",
    "http {",
    "  include mime.types;",
    "  access_log off;",
    `  ${tmp("client_body")} ${tmp("fastcgi")} ${tmp("proxy")} ${tmp("scgi")} ${tmp("uwsgi")}`,
    `  include ${serverBlock};`,
    "}",
    "",
  ].join("\n");
  const confPath = path.join(dir, "nginx.conf");
  fs.writeFileSync(confPath, conf);
  // As root nginx keeps root here (no master, no workers to switch user): it only reads files and connects.
  const proc = startProcess("nginx", tools.nginx!, ["-p", dir, "-e", path.join(dir, "error.log"), "-c", confPath], { cwd: dir, asServer: false });
  if (!(await waitUntilListening(proc, { port }, 8000))) throw new Error(`nginx did not start:\n${proc.output()}\n${readIf(path.join(dir, "error.log"))}`);
  return proc;
}

/** lighttpd with the converted snippet included from a main config that sets port and mime types only. */
export async function startLighttpdWith(sc: Scenario, converted: string): Promise<Proc> {
  sc.write("converted.conf", converted);
  const main = sc.write(
    "lighttpd.conf",
    [
      `server.port = ${sc.port}`,
      `server.bind = "127.0.0.1"`,
      `server.document-root = "${sc.vars.WWW}"`,
      `mimetype.assign = (".txt" => "text/plain", ".html" => "text/html", ".css" => "text/css")`,
      `include "converted.conf"`,
      "",
    ].join("\n"),
  );
  return sc.start(main);
}

export function readIf(p: string): string {
  try {
    return fs.readFileSync(p, "utf8");
  } catch {
    return "";
  }
}

export interface Outcome {
  status: number;
  /** The backend's JSON (SCRIPT_NAME, PATH_INFO, ...) when the backend answered. */
  app?: Record<string, string | null>;
  /** A static body (2xx not from the backend). */
  body?: string;
  /** A redirect's Location, as a path (nginx makes it absolute: scheme and host are dropped). */
  location?: string;
}

export function outcome(r: Reply): Outcome {
  const o: Outcome = { status: r.status };
  if (String(r.headers["content-type"] ?? "").startsWith("application/json")) o.app = JSON.parse(r.body) as Record<string, string | null>;
  else if (r.status >= 200 && r.status < 300) o.body = r.body;
  if (r.status >= 300 && r.status < 400) o.location = String(r.headers.location ?? "").replace(/^https?:\/\/[^/]+/, "");
  return o;
}

/** The parameters the issue compares: SCRIPT_NAME, PATH_INFO, QUERY_STRING, REQUEST_URI. */
export function routing(app: Record<string, string | null> | undefined): Record<string, string | null> | undefined {
  if (!app) return undefined;
  // nginx's fastcgi_params sends QUERY_STRING always; an absent PATH_INFO and an empty one look the same to WSGI.
  return { SCRIPT_NAME: app.SCRIPT_NAME, PATH_INFO: app.PATH_INFO ?? "", QUERY_STRING: app.QUERY_STRING ?? "", REQUEST_URI: app.REQUEST_URI };
}

export function comparable(o: Outcome): Omit<Outcome, "app"> & { app?: Record<string, string | null> } {
  return { ...o, app: routing(o.app) };
}

export async function get(port: number, url: string): Promise<Outcome> {
  return outcome(await httpGet(port, url));
}

export { freePort };

/** E2E_VERBOSE=1: one line per URL with both servers' outcomes (the numbers for reports). */
export function show(label: string, url: string, a: Outcome, b: Outcome): void {
  if (process.env.E2E_VERBOSE !== "1") return;
  const f = (o: Outcome) =>
    `${o.status}${o.location !== undefined ? ` -> ${o.location}` : ""}${o.app ? ` ${JSON.stringify(routing(o.app))}` : ""}${o.body !== undefined ? ` body=${JSON.stringify(o.body.slice(0, 40))}` : ""}`;
  console.log(`[convert-e2e] ${label} GET ${url}\n    source:  ${f(a)}\n    lighttpd: ${f(b)}`);
}

/**
 * Debian's apache2 in one process (-X) with a minimal config of our own: mod_rewrite, mod_dir,
 * mod_mime and mod_proxy_fcgi from /usr/lib/apache2/modules, `AllowOverride All` on the document
 * root so the .htaccess there is read. As root its child runs as the server user.
 */
export async function startApache(sc: Scenario, port: number, user?: { uid: number; gid: number }): Promise<Proc> {
  const dir = path.join(sc.dir, "apache");
  fs.mkdirSync(dir, { recursive: true });
  const mods = "/usr/lib/apache2/modules";
  const load = (m: string, f = `mod_${m}.so`) => `LoadModule ${m}_module ${mods}/${f}`;
  const conf = [
    `ServerRoot ${dir}`,
    load("mpm_prefork"),
    load("authz_core"),
    load("dir"),
    load("mime"),
    load("rewrite"),
    load("proxy"),
    load("proxy_fcgi"),
    `Listen 127.0.0.1:${port}`,
    "ServerName localhost",
    ...(user ? [`User #${user.uid}`, `Group #${user.gid}`] : []),
    `PidFile ${path.join(dir, "httpd.pid")}`,
    `ErrorLog ${path.join(dir, "error.log")}`,
    "LogLevel warn",
    fs.existsSync("/etc/mime.types") ? "TypesConfig /etc/mime.types" : "",
    `DocumentRoot ${sc.vars.WWW}`,
    `<Directory ${sc.vars.WWW}>`,
    "  AllowOverride All",
    "  Require all granted",
    "</Directory>",
    "",
  ].join("\n");
  const confPath = path.join(dir, "httpd.conf");
  fs.writeFileSync(confPath, conf);
  const proc = startProcess("apache2", tools.apache2!, ["-X", "-f", confPath], { cwd: dir, asServer: false });
  if (!(await waitUntilListening(proc, { port }, 8000))) throw new Error(`apache2 did not start:\n${proc.output()}\n${readIf(path.join(dir, "error.log"))}`);
  return proc;
}
