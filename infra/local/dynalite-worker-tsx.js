// Plain JavaScript: a worker thread from source (tests, tsx scripts) starts here, as Node 20
// gives a worker no loader of its own for .ts (execArgv's --import is not applied to workers).
/**
 * Registers tsx in this worker thread, then loads the worker entry named in workerData
 * (stores.ts: dynalite-worker.ts). The bundle (`npm start`) runs its compiled entry directly.
 */
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(/** @type {{ entry: string }} */ (workerData).entry);
