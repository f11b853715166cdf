/**
 * One finding model (issue 11): every id a stage can emit (parser, silent drops, evaluator, engine)
 * is a registered rule with a docs page and fixtures; every rule declares its effect; a rule that
 * breaks its meta's promises throws in tests; a rule that crashes becomes an internal-error finding.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintText, RuleContractError } from "../src/linter.js";
import { SILENT_RULE_IDS } from "../src/engine/silent.js";
import type { Rule } from "../src/engine/types.js";
import { EVAL_RULE_IDS } from "../src/eval/model.js";
import { PARSE_RULE_IDS } from "../src/parse/parse.js";
import { rules } from "../rules/index.js";
import { loadFixtures } from "./helpers/fixtures.js";
import { repoRoot } from "./helpers/lighttpd.js";

const ENGINE_IDS = ["internal-error", "unused-suppression"];
const NO_FIXTURE = new Set(["internal-error", "input-too-large", "include-too-deep"]);
const stageIds = [...new Set([...PARSE_RULE_IDS, ...SILENT_RULE_IDS, ...EVAL_RULE_IDS, ...ENGINE_IDS])].sort();
const registered = new Map(rules.map((r) => [r.meta.id, r]));
const fixtures = loadFixtures();

describe.each(stageIds)("stage id %s", (id) => {
  it("is a registered rule with a docs page", () => {
    expect(registered.has(id)).toBe(true);
    expect(fs.existsSync(path.join(repoRoot, "docs/rules", `${id}.md`))).toBe(true);
  });
  it.skipIf(NO_FIXTURE.has(id))("has a fixture that reports it", () => {
    expect(fixtures.some((f) => f.expected.some((e) => e.endsWith(`:${id}`)))).toBe(true);
  });
});

describe("rule metas", () => {
  it("ids are unique and every rule declares an effect", () => {
    expect(new Set(rules.map((r) => r.meta.id)).size).toBe(rules.length);
    for (const r of rules) expect(["refused", "ignored", "misread", "runtime", "risk"], r.meta.id).toContain(r.meta.effect);
  });
  it("only refused rules say when lighttpd refuses", () => {
    for (const r of rules) if (r.meta.refusedAt) expect(r.meta.effect, r.meta.id).toBe("refused");
  });
});

const TEXT = 'server.document-root = "/tmp"\n';
const fixing = (fixable: Rule["meta"]["fixable"]): Rule => ({
  meta: { id: "test-fixer", description: "test", severity: "warning", fixable, effect: "risk" },
  check(context) {
    context.report({ message: "m", file: context.config.main, start: 0, end: 1, fix: { description: "d", edits: [{ range: [0, 1], text: "" }] } });
  },
});

describe("rule contracts", () => {
  it("a fix from a rule whose meta says fixable: false throws in strict mode", () => {
    expect(() => lintText(TEXT, "/tmp/x.conf", { rules: [fixing(false)], strict: true })).toThrow(RuleContractError);
  });
  it("tests run in strict mode", () => {
    expect(process.env.LIGHTTPD_LINT_STRICT).toBe("1");
  });
  it("outside strict mode the fix is dropped, the finding kept", () => {
    const r = lintText(TEXT, "/tmp/x.conf", { rules: [fixing(false)], strict: false });
    const [d] = r.files[0].diagnostics;
    expect(d.ruleId).toBe("test-fixer");
    expect(d.fix).toBeUndefined();
  });
  it("a fixable rule keeps its fix", () => {
    const r = lintText(TEXT, "/tmp/x.conf", { rules: [fixing("fix")], strict: true });
    expect(r.files[0].diagnostics[0].fix).toBeDefined();
  });
  it("a rule that throws becomes an internal-error finding, not a crash", () => {
    const broken: Rule = {
      meta: { id: "test-broken", description: "t", severity: "warning", fixable: false, effect: "risk" },
      check() {
        throw new Error("boom");
      },
    };
    const r = lintText(TEXT, "/tmp/x.conf", { rules: [broken] });
    const d = r.files.flatMap((f) => f.diagnostics).find((x) => x.ruleId === "internal-error");
    expect(d?.message).toMatch(/rule test-broken failed: boom/);
    expect(d?.severity).toBe("error");
  });
});
