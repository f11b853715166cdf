/**
 * The CI integrations: .pre-commit-hooks.yaml and the GitHub Action (action.yml). Both files are
 * read (with a small YAML reader for the subset they use, cross-checked against PyYAML when it is
 * installed), the commands they name are run through the real binary, and the action's lint step
 * is executed with bash exactly as written.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { bin, ensureBuilt, repoRoot, runCli, tempDir } from "./cli-helpers.js";

beforeAll(ensureBuilt);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

/**
 * A YAML reader for block mappings, block sequences, `|` literal blocks, `[a, b]` flow lists,
 * quoted and plain scalars, and comments: what our two YAML files use. Anything else throws.
 */
function readYaml(text: string): Yaml {
  const lines = text.split("\n").map((raw) => ({ raw, indent: raw.length - raw.trimStart().length, text: stripComment(raw).trimEnd() }));
  let i = 0;
  const skipBlank = () => {
    while (i < lines.length && lines[i].text.trim() === "") i++;
  };
  function parseBlock(indent: number): Yaml {
    skipBlank();
    if (i >= lines.length) return null;
    return lines[i].text.trimStart().startsWith("- ") || lines[i].text.trim() === "-" ? parseSeq(lines[i].indent) : parseMap(lines[i].indent >= indent ? lines[i].indent : indent);
  }
  function parseSeq(indent: number): Yaml[] {
    const out: Yaml[] = [];
    for (skipBlank(); i < lines.length && lines[i].indent === indent && lines[i].text.trimStart().startsWith("-"); skipBlank()) {
      const rest = lines[i].text.slice(indent + 1).trimStart();
      if (/^[\w.-]+:(\s|$)/.test(rest)) {
        // "- key: value" starts a mapping whose keys line up with "key".
        const inner = indent + (lines[i].text.slice(indent).length - lines[i].text.slice(indent + 1).trimStart().length);
        lines[i] = { ...lines[i], indent: inner, text: " ".repeat(inner) + rest };
        out.push(parseMap(inner));
      } else {
        i++;
        out.push(scalar(rest));
      }
    }
    return out;
  }
  function parseMap(indent: number): { [k: string]: Yaml } {
    const out: { [k: string]: Yaml } = {};
    for (skipBlank(); i < lines.length && lines[i].indent === indent && !lines[i].text.trimStart().startsWith("- "); skipBlank()) {
      const m = /^([\w.-]+):(?:\s+(.*))?$/.exec(lines[i].text.trim());
      if (!m) throw new Error(`yaml: cannot read line ${i + 1}: ${lines[i].raw}`);
      const [, key, value] = m;
      i++;
      if (value === "|") {
        const block: string[] = [];
        let blockIndent = -1;
        while (i < lines.length && (lines[i].raw.trim() === "" || lines[i].indent > indent)) {
          if (blockIndent < 0 && lines[i].raw.trim() !== "") blockIndent = lines[i].indent;
          block.push(lines[i].raw.slice(Math.max(0, blockIndent)));
          i++;
        }
        while (block.length && block[block.length - 1].trim() === "") block.pop();
        out[key] = block.join("\n") + "\n";
      } else if (value === undefined || value === "") {
        skipBlank();
        out[key] = i < lines.length && (lines[i].indent > indent || (lines[i].indent === indent && lines[i].text.trimStart().startsWith("- "))) ? parseBlock(indent + 1) : null;
      } else out[key] = scalar(value);
    }
    return out;
  }
  const result = parseBlock(0);
  skipBlank();
  if (i < lines.length) throw new Error(`yaml: unexpected indentation at line ${i + 1}: ${lines[i].raw}`);
  return result;
}

function stripComment(line: string): string {
  let quote = "";
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (k === 0 || /\s/.test(line[k - 1]))) return line.slice(0, k);
  }
  return line;
}

function scalar(s: string): Yaml {
  s = s.trim();
  if (s.startsWith('"')) return JSON.parse(s) as string;
  if (s.startsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  if (s.startsWith("[")) return s.slice(1, -1).split(",").map((x) => x.trim()).filter(Boolean).map(scalar);
  if (s === "true" || s === "false") return s === "true";
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (/^[{&*!%@`]/.test(s)) throw new Error(`yaml: unsupported scalar ${s}`);
  return s;
}

/** PyYAML's reading of a file, when python3 with yaml is installed (else undefined). */
function pyYaml(file: string): unknown {
  const r = spawnSync("python3", ["-c", "import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", file], { encoding: "utf8" });
  return r.status === 0 ? JSON.parse(r.stdout) : undefined;
}
const hasPyYaml = pyYaml(path.join(repoRoot, "action.yml")) !== undefined;

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { bin: Record<string, string> };

describe("the YAML reader", () => {
  it("reads a sample of every construct it supports", () => {
    expect(readYaml("a: 1\nb:\n  c: 'x'\n  d: [p, q]\nl:\n  - id: x # comment\n    n: \"y#\"\n  - plain\nt: |\n  line 1\n    line 2\nz: true\n")).toEqual({
      a: 1,
      b: { c: "x", d: ["p", "q"] },
      l: [{ id: "x", n: "y#" }, "plain"],
      t: "line 1\n  line 2\n",
      z: true,
    });
  });

  it.skipIf(!hasPyYaml)("agrees with PyYAML on our files [skipped when python3-yaml is not installed]", () => {
    for (const f of ["action.yml", ".pre-commit-hooks.yaml"]) expect(readYaml(fs.readFileSync(path.join(repoRoot, f), "utf8")), f).toEqual(pyYaml(path.join(repoRoot, f)));
  });
});

describe(".pre-commit-hooks.yaml", () => {
  const hooks = readYaml(fs.readFileSync(path.join(repoRoot, ".pre-commit-hooks.yaml"), "utf8")) as Record<string, Yaml>[];

  it("declares node hooks whose entry is this package's command", () => {
    expect(hooks.map((h) => h.id)).toEqual(["lighttpd-lint", "lighttpd-lint-fix"]);
    for (const h of hooks) {
      expect(h).toMatchObject({ language: "node", types: ["text"] });
      expect(typeof h.name).toBe("string");
      expect(Object.keys(pkg.bin)).toContain(String(h.entry).split(" ")[0]);
    }
  });

  it("selects lighttpd configs by name", () => {
    for (const h of hooks) {
      const re = new RegExp(String(h.files));
      for (const yes of ["lighttpd.conf", "etc/lighttpd/lighttpd.conf", "conf/lighttpd-prod.conf"]) expect(re.test(yes), yes).toBe(true);
      for (const no of ["nginx.conf", "lighttpd.conf.bak", "lighttpd/conf.d/fastcgi.conf.orig"]) expect(re.test(no), no).toBe(false);
    }
  });

  it("each hook's command works as pre-commit runs it (entry + file names)", () => {
    const d = tempDir({ "lighttpd.conf": 'server.document-root = "/tmp"\nserver.username = "www-data"\nserver.groupname = "www-data"\nserver.modules = ( "mod_access" "mod_alias" )\n' });
    dirs.push(d);
    const lint = hooks.find((h) => h.id === "lighttpd-lint")!;
    expect(runCli([...String(lint.entry).split(" ").slice(1), "lighttpd.conf"], { cwd: d }).status).toBe(1);
    const fix = hooks.find((h) => h.id === "lighttpd-lint-fix")!;
    expect(runCli([...String(fix.entry).split(" ").slice(1), "lighttpd.conf"], { cwd: d }).status).toBe(0);
    expect(fs.readFileSync(path.join(d, "lighttpd.conf"), "utf8")).toContain('( "mod_access", "mod_alias" )');
  });
});

describe("action.yml", () => {
  const action = readYaml(fs.readFileSync(path.join(repoRoot, "action.yml"), "utf8")) as any;
  const steps = action.runs.steps as Record<string, any>[];

  it("is a composite action: set up node, run lighttpd-lint with --format sarif, upload the SARIF", () => {
    expect(action.runs.using).toBe("composite");
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual(["actions/setup-node@v4", "github/codeql-action/upload-sarif@v3"]);
    const lint = steps.find((s) => s.id === "lint")!;
    expect(lint.shell).toBe("bash");
    expect(lint.run).toMatch(/npx --yes lighttpd-lint@/);
    expect(lint.run).toContain("--format sarif");
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"))!;
    expect(upload.with.sarif_file).toBe("${{ inputs.sarif-file }}");
  });

  it("uses only inputs it declares", () => {
    const used = new Set([...fs.readFileSync(path.join(repoRoot, "action.yml"), "utf8").matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]));
    expect([...used].filter((u) => !(u in action.inputs))).toEqual([]);
  });

  function runLintStep(inputs: Record<string, string>, cwd: string): { status: number | null; output: string; sarif?: any; stderr: string; stdout: string } {
    const lint = steps.find((s) => s.id === "lint")!;
    const outputFile = path.join(cwd, "github-output");
    fs.writeFileSync(outputFile, "");
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: outputFile, LIGHTTPD_LINT: `${process.execPath} ${bin}` };
    for (const [k, v] of Object.entries(lint.env as Record<string, string>)) {
      const m = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(v);
      env[k] = m ? (inputs[m[1]] ?? String(action.inputs[m[1]].default ?? "")) : v;
    }
    const r = spawnSync("bash", ["-e", "-c", lint.run], { cwd, env, encoding: "utf8" });
    const sarifPath = path.join(cwd, env.INPUT_SARIF_FILE!);
    const text = fs.existsSync(sarifPath) ? fs.readFileSync(sarifPath, "utf8") : "";
    return { status: r.status, output: fs.readFileSync(outputFile, "utf8"), sarif: text ? JSON.parse(text) : undefined, stderr: r.stderr, stdout: r.stdout };
  }

  it("its lint step writes SARIF and records the exit code without failing on findings", () => {
    const d = tempDir({});
    dirs.push(d);
    fs.copyFileSync(path.join(repoRoot, "examples/broken-fastcgi.conf"), path.join(d, "broken.conf"));
    fs.copyFileSync(path.join(repoRoot, "examples/good.conf"), path.join(d, "good.conf"));
    const broken = runLintStep({ paths: "broken.conf", args: "--lighttpd-version 1.4.69" }, d);
    expect(broken.status).toBe(0);
    expect(broken.output).toBe("exit-code=1\n");
    expect(broken.sarif.version).toBe("2.1.0");
    expect(broken.sarif.runs[0].results.length).toBeGreaterThan(0);
    const good = runLintStep({ paths: "good.conf", args: "--lighttpd-version 1.4.69", "sarif-file": "out.sarif" }, d);
    expect(good.output).toBe("exit-code=0\n");
    expect(good.sarif.runs[0].results).toEqual([]);
  });

  it("its lint step fails when lighttpd-lint cannot run (exit 2)", () => {
    const d = tempDir({});
    dirs.push(d);
    const r = runLintStep({ paths: "missing.conf" }, d);
    expect(r.status).toBe(2);
    expect(r.output).toBe("exit-code=2\n");
    expect(r.stdout).toContain("::error title=lighttpd-lint::");
  });
});
