/**
 * override-after-use's claim, checked with `lighttpd -p` of every oracle release: a use of a key
 * written before a later `:=` / `+=` keeps the old value (configparser.y copies the value where it
 * is read), and the rule reports exactly those uses. The cases where it stays silent print the
 * final value in the use (or the same value either way).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { HEAD, oracleCases } from "../helpers/oracle-cases.js";
import { describeWithOracle, oracleBinaries, runOracle } from "../helpers/lighttpd.js";

const { tmp, write, findings } = oracleCases("override-after-use");

interface Case {
  name: string;
  body: string;
  /** What `lighttpd -p` prints for the use. */
  use: RegExp;
  reported: boolean;
  /** For a reported case: what `-p` prints for the overridden key itself (the override took effect). */
  changed?: RegExp;
}

const cases: Case[] = [
  {
    name: "var.y = server.port, then server.port :=",
    body: "var.y = server.port\nserver.port := 8081\n",
    use: /\bvar\.y\s+= 8080\n/,
    reported: true,
    changed: /\bserver\.port\s+= 8081\n/,
  },
  {
    name: '$SERVER["socket"] == "[::]:" + server.port, then server.port := (Pi-hole)',
    body: '$SERVER["socket"] == "[::1]:" + server.port { }\nserver.port := 8081\n',
    use: /\$SERVER\["socket"\] == "\[::1\]:8080"/,
    reported: true,
    changed: /\bserver\.port\s+= 8081\n/,
  },
  {
    name: "a path built from var.dir, then var.dir :=",
    body: 'var.dir = "/a"\nvar.log = var.dir + "/log"\nvar.dir := "/b"\n',
    use: /\bvar\.log\s+= "\/a\/log"\n/,
    reported: true,
    changed: /\bvar\.dir\s+= "\/b"\n/,
  },
  {
    name: "a list copied, then the list +=",
    body: 'var.l = ( "a" )\nvar.m = var.l\nvar.l += ( "b" )\n',
    use: /\bvar\.m\s+= \(\s*"a",?\s*\)/,
    reported: true,
    changed: /\bvar\.l\s+= \(\s*"a",\s*"b",?\s*\)/,
  },
  {
    name: "server.port := in an included file",
    body: 'var.y = server.port\ninclude "override-include.inc"\n',
    use: /\bvar\.y\s+= 8080\n/,
    reported: true,
    changed: /\bserver\.port\s+= 8081\n/,
  },
  {
    name: "a block's += copies the list, then a global +=",
    body: 'alias.url = ( "/a" => "/a" )\n$HTTP["host"] == "x" { alias.url += ( "/b" => "/b" ) }\nalias.url += ( "/c" => "/c" )\n',
    use: /\{\s*# block 1\s*alias\.url = \(\s*"\/a" => "\/a",\s*"\/b" => "\/b",?\s*(# \d+\s*)?\)/,
    reported: true,
    changed: /alias\.url\s+= \(\s*"\/a" => "\/a",\s*"\/c" => "\/c",?\s*(# \d+\s*)?\)/,
  },
  { name: "server.port := before the use", body: "server.port := 8081\nvar.y = server.port\n", use: /\bvar\.y\s+= 8081\n/, reported: false },
  {
    name: "var.dir := var.dir + ... (its own old value)",
    body: 'var.dir = "/a"\nvar.dir := var.dir + "/b"\nvar.log = var.dir + "/log"\n',
    use: /\bvar\.log\s+= "\/a\/b\/log"\n/,
    reported: false,
  },
  { name: "reassigned to the same value", body: 'var.n = "x"\nvar.t = var.n\nvar.n := "x"\n', use: /\bvar\.t\s+= "x"\n/, reported: false },
];

fs.writeFileSync(path.join(tmp, "override-include.inc"), "server.port := 8081\n");
fs.chmodSync(path.join(tmp, "override-include.inc"), 0o644);
const files = cases.map((c) => ({ ...c, text: `${HEAD}${c.body}`, file: write(`${HEAD}${c.body}`) }));

for (const oracle of oracleBinaries()) {
  describeWithOracle(oracle, "override-after-use: lighttpd -p prints the old value in an earlier use", (bin) => {
    for (const c of files) {
      it(`${c.name}: ${c.reported ? "the use keeps the old value, and the rule reports it" : "not reported"}`, () => {
        const r = runOracle(bin, "-p", c.file);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toMatch(c.use);
        if (c.changed) expect(r.stdout).toMatch(c.changed);
        expect(findings(c.text, "override-after-use").length > 0).toBe(c.reported);
      });
    }
  });
}
