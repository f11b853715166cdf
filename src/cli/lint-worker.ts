/** Worker thread entry: runs batches of lint jobs sent by the pool (see pool.ts) and posts the results back. */
import { parentPort } from "node:worker_threads";
import { runJob, type JobResult, type LintJob } from "./lint-job.js";

parentPort?.on("message", (msg: { first: number; jobs: LintJob[] }) => {
  parentPort?.postMessage({ first: msg.first, results: msg.jobs.map(runJob).map(withoutTrees) });
});

/** Syntax trees stay in the worker: copying them to the main thread costs more than a formatter's parse there. */
function withoutTrees(result: JobResult): JobResult {
  return { ...result, files: result.files.map(({ tree: _tree, ...file }) => file) };
}
