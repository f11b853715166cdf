/** Worker thread entry (pool.ts) when run from the compiled sources; the package's is start-worker.ts. */
import { parentPort } from "node:worker_threads";
import { serveLintJobs } from "./lint-job.js";

if (parentPort) serveLintJobs(parentPort);
