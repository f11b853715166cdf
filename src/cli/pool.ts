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

/**
 * On this many cores or fewer the default is one thread: the workers' start-up and the copying of
 * their results back cost more than they save (measured on 2 cores, against `--jobs 1`: 60 small
 * configs took 1.36× as long on workers, 60 configs of 500 KB 1.11×, the 177 of the shared corpus the same).
 */
export const MIN_CORES_FOR_WORKERS = 3;

/** How many workers to use: 0 means lint in this thread. */
export function workerCount(jobs: number, requested: number | undefined): number {
  if (requested !== undefined && requested > 0) return requested === 1 ? 0 : Math.min(requested, jobs);
  // Running from TypeScript sources (vitest) there is no compiled worker file: stay in-process.
  if (!fs.existsSync(workerFile)) return 0;
  return defaultWorkerCount(jobs, os.availableParallelism());
}

/** Without --jobs: the workers for `jobs` main configs on `cores` cores (0: lint in this thread). */
export function defaultWorkerCount(jobs: number, cores: number): number {
  if (jobs < WORKER_THRESHOLD || cores < MIN_CORES_FOR_WORKERS) return 0;
  return Math.min(cores, 8, Math.ceil(jobs / 25));
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
