/** lighttpd-lint's own failures: the engine reports them, so the rule lives in src/engine/internal-error.ts. */
export { internalError as default } from "../src/engine/internal-error.js";
