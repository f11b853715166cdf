/** Worker thread entry: runs lint jobs sent by the pool (see pool.ts) and posts the results back. */
import { parentPort } from "node:worker_threads";
import { runJob, type LintJob } from "./lint-job.js";

parentPort?.on("message", (msg: { id: number; job: LintJob }) => {
  parentPort?.postMessage({ id: msg.id, result: runJob(msg.job) });
});
