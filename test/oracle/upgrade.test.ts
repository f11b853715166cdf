/**
 * `upgrade` makes no false syntax claim on the corpus: every "X refuses this" / "X accepts it" item
 * of `upgrade 1.4.59 -> 1.4.85` is checked against both releases' binaries (`-p`).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { upgradeReport } from "../../src/upgrade/upgrade.js";
import { corpusDir, describeWithOracle, listSharedFiles, oracleBinaries, runOracle } from "../helpers/lighttpd.js";

const FROM = "1.4.59";
const TO = "1.4.85";
const files = [...listSharedFiles(path.join(corpusDir, "upstream")), ...listSharedFiles(path.join(corpusDir, "wild"))]
  .filter((f) => !fs.readFileSync(f, "latin1").includes("include_shell"))
  .map((f) => fs.realpathSync(f));
const [from, to] = [FROM, TO].map((v) => oracleBinaries().find((o) => o.version === v)!);
// Skipped (or failed under REQUIRE_LIGHTTPD=1) through whichever of the two is missing.
const both = !from.bin ? from : to;

describeWithOracle(both, `upgrade ${FROM} -> ${TO} on the corpus`, () => {
  it("claims a refusal or an acceptance only where the binaries show it", () => {
    let claims = 0;
    const wrong: string[] = [];
    for (const file of files) {
      const items = upgradeReport(file, FROM, TO, { cwd: path.dirname(file), env: {}, project: { rules: {} } });
      const syntax = items.filter((i) => i.kind === "refused" || i.kind === "accepted");
      if (syntax.length === 0) continue;
      claims += syntax.length;
      const okFrom = runOracle(from.bin!, "-p", file).status === 0;
      const okTo = runOracle(to.bin!, "-p", file).status === 0;
      for (const i of syntax) {
        if (i.kind === "refused" && okTo) wrong.push(`${file}:${i.line}: says ${TO} refuses, it accepts: ${i.message}`);
        if (i.kind === "accepted" && (okFrom || !okTo))
          wrong.push(`${file}:${i.line}: says ${FROM} refuses and ${TO} accepts; binaries: ${FROM} ${okFrom ? "accepts" : "refuses"}, ${TO} ${okTo ? "accepts" : "refuses"}`);
      }
    }
    console.log(`upgrade ${FROM} -> ${TO}: ${files.length} corpus files, ${claims} syntax claims, ${wrong.length} wrong`);
    expect(wrong).toEqual([]);
    expect(claims, "the corpus has configs whose syntax 1.4.59 refuses and 1.4.85 accepts").toBeGreaterThan(0);
  }, 600_000);
});
