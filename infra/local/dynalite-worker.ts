/**
 * The worker thread dynalite runs in (stores.ts, `startDynamo`): its HTTP server, LevelDB and
 * request parsing off the main thread, which runs the functions, the bus and the SDK clients
 * (docs/benchmarks.md, "dynalite in a worker"). The main thread asks by message (`DynamoRequest`)
 * and gets one answer per request (`DynamoReply`); clients reach dynalite by HTTP as before.
 * Bundled as an entry of its own for `npm start` (bundle.ts); from source, dynalite-worker-tsx.js
 * loads it under tsx.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDynaliteIterators, type OpenIterators } from './dynalite-iterators.ts';
import { dynaliteServer } from './dynalite-server.ts';

export type DynamoAsk = { op: 'listen'; port: number } | { op: 'stop'; crash: boolean } | { op: 'iterators' };
export type DynamoRequest = { id: number } & DynamoAsk;
export type DynamoReply = { id: number } & ({ ok: true; value: number | OpenIterators } | { ok: false; message: string });

const port = parentPort;
if (!port) throw new Error('dynalite-worker.ts runs as a worker thread (stores.ts starts it)');
const server = dynaliteServer((workerData as { dir: string }).dir);
const handle = async (request: DynamoRequest): Promise<number | OpenIterators> => {
  switch (request.op) {
    case 'listen':
      return server.listen(request.port);
    case 'stop':
      await server.stop(request.crash);
      return 0;
    case 'iterators':
      return openDynaliteIterators();
  }
};
port.on('message', (request: DynamoRequest) => {
  handle(request).then(
    (value) => port.postMessage({ id: request.id, ok: true, value } satisfies DynamoReply),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies DynamoReply),
  );
});
