/**
 * Runs the GitHub Action (action.yml) locally the way the runner does: its bash steps in order, with
 * `${{ inputs.* }}`, `${{ steps.*.outputs.* }}`, `${{ github.action_ref }}` and `${{ runner.* }}`
 * replaced, GITHUB_OUTPUT per step, and a step's `if:` honoured for the expressions the action uses.
 * Steps that `uses:` another action (setup-node, cache, upload-sarif) are recorded, not run.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./lighttpd.js";

export interface ActionStep {
  id?: string;
  name: string;
  if?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

export interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; steps: ActionStep[] };
}

export const action = parse(fs.readFileSync(path.join(repoRoot, "action.yml"), "utf8")) as Action;

export interface ActionRun {
  /** The step that failed (a non-zero exit), if any. */
  failedStep?: string;
  status: number;
  log: string;
  outputs: Record<string, Record<string, string>>;
  /** `uses:` steps that would have run, with their resolved `with:`. */
  used: { uses: string; with: Record<string, string> }[];
}

export function runAction(inputs: Record<string, string>, opts: { cwd: string; actionRef: string; runnerTemp: string; env?: NodeJS.ProcessEnv }): ActionRun {
  const outputs: Record<string, Record<string, string>> = {};
  const input = (name: string) => inputs[name] ?? action.inputs[name]?.default ?? "";
  const expr = (e: string): string => {
    e = e.trim();
    let m = /^inputs\.([\w-]+)$/.exec(e);
    if (m) return input(m[1]);
    m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
    if (m) return outputs[m[1]]?.[m[2]] ?? "";
    if (e === "github.action_ref") return opts.actionRef;
    if (e === "runner.temp") return opts.runnerTemp;
    if (e === "runner.os") return "Linux";
    throw new Error(`action.yml: expression not understood by the test runner: ${e}`);
  };
  const subst = (s: string) => s.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => expr(e));
  /** The `if:` forms action.yml uses: comparisons joined by && / ||, always(), parentheses. */
  const condition = (c: string, failed: boolean): boolean => {
    const js = c
      .replace(/^\$\{\{|\}\}$/g, "")
      .replace(/always\(\)/g, "true")
      .replace(/((?:inputs|steps)\.[\w.-]+)/g, (_, e: string) => JSON.stringify(expr(e)))
      .replace(/'([^']*)'/g, (_, s: string) => JSON.stringify(s));
    if (!/^[\s"\w.\-/=!&|()]*$/.test(js)) throw new Error(`action.yml: condition not understood: ${c}`);
    // Safe to evaluate: our own action.yml, reduced above to quoted strings, comparisons and && / ||.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return !failed || /always\(\)/.test(c) ? Boolean(new Function(`return (${js});`)()) : false;
  };
  let log = "";
  const used: ActionRun["used"] = [];
  let failedStep: string | undefined;
  let status = 0;
  for (const step of action.runs.steps) {
    if (step.if !== undefined ? !condition(step.if, failedStep !== undefined) : failedStep !== undefined) continue;
    if (step.uses) {
      used.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, subst(String(v))])) });
      continue;
    }
    const outputFile = path.join(opts.runnerTemp, `output-${step.id ?? "step"}`);
    fs.writeFileSync(outputFile, "");
    const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: opts.runnerTemp };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = subst(String(v));
    // The runner's `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`.
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run ?? ""], { cwd: opts.cwd, env, encoding: "utf8", timeout: 300_000 });
    log += r.stdout + r.stderr;
    if (step.id)
      outputs[step.id] = Object.fromEntries(
        fs
          .readFileSync(outputFile, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      );
    if (r.status !== 0) {
      failedStep ??= step.id ?? step.name;
      status = r.status ?? 1;
    }
  }
  return { failedStep, status, log, outputs, used };
}
