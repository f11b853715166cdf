/** .lighttpd-lint.json: JSONC, the shipped schema, "warn", unknown ids with a suggestion; LSP settings too. */
import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../src/config/config-file.js";
import { ConfigError } from "../src/config/errors.js";
import { configSchema } from "../src/config/schema.js";
import { projectFor } from "../src/lsp/settings.js";
import { rules } from "../rules/index.js";
import { repoRoot, useTempDirs } from "./cli-helpers.js";

const tmp = useTempDirs();
const shipped = JSON.parse(fs.readFileSync(path.join(repoRoot, "schema/lighttpd-lint.schema.json"), "utf8"));
const problem = (text: string): string => {
  try {
    parseConfigText(text, "x.json");
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return "";
};

describe("the shipped JSON schema", () => {
  it("is what the registry gives (run `npm run schema` after adding a rule) and is shipped in the package", () => {
    expect(shipped).toEqual(configSchema());
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    expect(pkg.files).toContain("schema");
    expect(Object.keys(shipped.properties.rules.properties).sort()).toEqual(rules.map((r) => r.meta.id).sort());
  });

  it("is a valid draft-07 schema that accepts the documented example and rejects a typo", () => {
    const validate = new Ajv({ strict: false }).compile(shipped);
    expect(
      validate({
        $schema: "./schema.json",
        lighttpdVersion: "1.4.69",
        socketDir: "/run/lighttpd",
        checkFs: false,
        rules: { "debug-enabled": "off", "socket-in-tmp": "warn", "missing-comma": ["error"] },
      }),
    ).toBe(true);
    expect(validate({ rules: { "debug-enabld": "off" } })).toBe(false);
    expect(validate({ socketDir: "run" })).toBe(false);
  });
});

describe("reading .lighttpd-lint.json", () => {
  it('accepts comments, trailing commas and "warn"', () => {
    const c = parseConfigText('{\n  // target\n  "lighttpdVersion": "1.4.59", /* block */\n  "rules": { "debug-enabled": "warn", },\n}\n', "x.json");
    expect(c.lighttpdVersion).toBe("1.4.59");
    expect(c.rules["debug-enabled"]).toEqual({ severity: "warning" });
  });

  it("unknown rule ids and settings are errors that suggest the closest name", () => {
    expect(problem('{ "rules": { "socket-in-tm": "off" } }')).toMatch(/unknown rule "socket-in-tm"; did you mean "socket-in-tmp"\?/);
    expect(problem('{ "lighttpdVersio": "1.4.69" }')).toMatch(/unknown setting "lighttpdVersio"; did you mean "lighttpdVersion"\?/);
    expect(problem('{ "rules": { "debug-enabled": "eror" } }')).toMatch(/did you mean "error"/);
    expect(problem('{ "checkFs": "yes" }')).toMatch(/checkFs/);
    expect(problem('{ "lighttpdVersion": 1.4 }')).toMatch(/lighttpdVersion/);
    expect(problem('{ "rules": { "debug-enabled": ["error", { "x": 1 }] } }')).toMatch(/no options|rules/);
    expect(problem('{ "rules": ')).toMatch(/x\.json:1:\d+: invalid JSON/);
  });

  it("the CLI reports a bad config file (exit 2) and reads a good JSONC one", async () => {
    const { runCli, ensureBuilt } = await import("./cli-helpers.js");
    ensureBuilt();
    const clean = 'server.document-root = "/tmp"\nserver.port = 8080\nserver.username = "www-data"\nserver.groupname = "www-data"\ndebug.log-request-handling = "enable"\n';
    const bad = tmp({ ".lighttpd-lint.json": '{ "rules": { "debug-enabld": "off" } }', "x.conf": clean });
    const r = runCli(["x.conf"], { cwd: bad });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('did you mean "debug-enabled"');
    const good = tmp({ ".lighttpd-lint.json": '// quiet\n{ "rules": { "debug-enabled": "warn" } }', "x.conf": clean });
    const g = runCli(["-f", "compact", "--failure-threshold", "warning", "x.conf"], { cwd: good });
    expect(g.stdout).toContain("warning");
    expect(g.status).toBe(1);
  });
});

describe("LSP settings", () => {
  it("unknown rule ids in the client's settings become problems with a suggestion; warn is accepted", () => {
    const d = tmp({ "lighttpd.conf": "" });
    const { project, problems } = projectFor(path.join(d, "lighttpd.conf"), { rules: { "socket-in-tm": "off", "debug-enabled": "warn" } });
    expect(problems.join("\n")).toMatch(/did you mean "socket-in-tmp"/);
    expect(project.rules["debug-enabled"]).toEqual({ severity: "warning" });
  });
});
