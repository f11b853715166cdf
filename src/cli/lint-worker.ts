/** Worker thread entry: runs batches of lint jobs sent by the pool (see pool.ts) and posts the results back. */
import { parentPort } from "node:worker_threads";
import { runJob, type LintJob } from "./lint-job.js";

parentPort?.on("message", (msg: { first: number; jobs: LintJob[] }) => {
  parentPort?.postMessage({ first: msg.first, results: msg.jobs.map(runJob) });
});
