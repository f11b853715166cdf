import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: run files in parallel, but not more than the machine has.
    maxWorkers: 2,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    // A rule that breaks its meta's promises (a fix without `fixable`) throws in tests (src/engine/lint.ts).
    env: { LIGHTTPD_LINT_STRICT: "1" },
  },
});
