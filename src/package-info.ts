/**
 * Facts about the package itself: its version and its home, from which every help link is derived.
 * The bundles get them at build time (tools/bundle.mjs defines LIGHTTPD_LINT_PACKAGE), so the
 * single-file bundle needs no package.json beside it; compiled sources (tests) read package.json.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface PackageInfo {
  version: string;
  homepage: string;
}

declare const LIGHTTPD_LINT_PACKAGE: PackageInfo | undefined;

function isOurPackage(file: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string }).name === "lighttpd-lint";
  } catch {
    return false;
  }
}

function findPackageRoot(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isOurPackage(path.join(dir, "package.json"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The folder holding package.json and docs/ (undefined for the single-file bundle on its own). */
export const packageRoot: string | undefined = findPackageRoot();

function readPackageInfo(): PackageInfo {
  if (typeof LIGHTTPD_LINT_PACKAGE !== "undefined") return LIGHTTPD_LINT_PACKAGE;
  const json = JSON.parse(fs.readFileSync(path.join(packageRoot ?? ".", "package.json"), "utf8")) as Partial<PackageInfo>;
  return { version: json.version ?? "0.0.0", homepage: (json.homepage ?? "").replace(/#.*$/, "") };
}

export const packageInfo: PackageInfo = readPackageInfo();

/** The page of a rule in the documentation (also shipped in the package: `lighttpd-lint explain <id>`). */
export function docsUrl(ruleId: string): string {
  return `${packageInfo.homepage}/blob/v${packageInfo.version}/docs/rules/${ruleId}.md`;
}
