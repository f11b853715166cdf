/** Where the package's own files are, whether run from source (vitest) or from dist/. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

export const packageRoot = findPackageRoot();
export const docsDir = path.join(packageRoot, "docs");
export const packageVersion: string = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")).version;
