/** Where the package's own files are, whether run from source (vitest), dist/ or the single-file bundle. */
import path from "node:path";
import { packageInfo, packageRoot } from "../package-info.js";

/** docs/ of the package; undefined when the single-file bundle runs without it. */
export const docsDir: string | undefined = packageRoot === undefined ? undefined : path.join(packageRoot, "docs");
export const packageVersion: string = packageInfo.version;
