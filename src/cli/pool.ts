/**
 * Many files: lint them on every core with worker_threads. Each worker takes the next job when it
 * is done with one, so a few big configs do not leave a core idle. Results come back in job order.
 */
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { workerThreads } from "../util/lazy-node.js";
import { runJob, type JobResult, type LintJob } from "./lint-job.js";

/** Below this many main configs, starting workers (~100 ms each) costs more than it saves. */
export const WORKER_THRESHOLD = 50;

const workerFile = fileURLToPath(new URL("./lint-worker.js", import.meta.url));

/** How many workers to use: 0 means lint in this thread. */
export function workerCount(jobs: number, requested: number | undefined): number {
  if (requested !== undefined && requested > 0) return requested === 1 ? 0 : Math.min(requested, jobs);
  if (jobs < WORKER_THRESHOLD) return 0;
  // Running from TypeScript sources (vitest) there is no compiled worker file: stay in-process.
  if (!fs.existsSync(workerFile)) return 0;
  return Math.min(os.availableParallelism(), 8, Math.ceil(jobs / 25));
}

export async function runJobs(jobs: LintJob[], workers: number, onProgress?: (done: number) => void): Promise<JobResult[]> {
  if (workers === 0) {
    return jobs.map((job, i) => {
      const r = runJob(job);
      onProgress?.(i + 1);
      return r;
    });
  }
  // Loaded only here: worker_threads costs start-up time that a run on a few files would not use.
  const { Worker } = workerThreads();
  const results: JobResult[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(workerFile);
          let finished = false;
          const feed = () => {
            if (next >= jobs.length) {
              finished = true;
              void worker.terminate().then(() => resolve());
              return;
            }
            // Batches cut the messages (each costs a thread hand-over); small ones near the end keep every core busy.
            const size = Math.max(1, Math.min(16, Math.floor((jobs.length - next) / (workers * 4))));
            const first = next;
            next += size;
            worker.postMessage({ first, jobs: jobs.slice(first, first + size) });
          };
          worker.on("message", (msg: { first: number; results: JobResult[] }) => {
            msg.results.forEach((r, k) => (results[msg.first + k] = r));
            done += msg.results.length;
            onProgress?.(done);
            feed();
          });
          worker.on("error", reject);
          worker.on("exit", (code) => {
            if (!finished) reject(new Error(`a lint worker stopped (exit code ${code})`));
          });
          feed();
        }),
    ),
  );
  return results;
}
