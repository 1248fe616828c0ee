/**
 * dynalite's HTTP server on LevelDB under `dir`, in whichever thread imports this: the main
 * thread (stores.ts, when a fault hook or a meter is given) or a worker of its own
 * (dynalite-worker.ts, `npm start` and the tests). Loading it patches dynalite's modules in
 * this thread: expression parses memoised (dynalite-tuning.ts) and LevelDB iterators closed
 * when a Query or Scan is done with them (dynalite-iterators.ts).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import './dynalite-tuning.ts'; // dynalite's expression parses memoised (local only; docs/benchmarks.md, "The pipeline after the claim")
import { closeDynaliteIteratorsWhenDone } from './dynalite-iterators.ts';
import { waitAtMost } from './wait.ts';

/** Answers a request itself (true) or lets dynalite answer it (false): the fault hook (faults.ts). */
export type DynamoIntercept = (req: IncomingMessage, res: ServerResponse) => boolean;
/** dynalite's own request listener, which a meter (meter.ts) may wrap. */
export type DynamoAnswer = (req: IncomingMessage, res: ServerResponse) => void;
export interface DynamoHooks {
  intercept?: DynamoIntercept;
  wrapAnswer?: (answer: DynamoAnswer) => DynamoAnswer;
}

/**
 * `listen(port)` opens the server (and its database) and answers the port it listens on;
 * `stop(crash)` closes them: requests that arrive from then on get their connection dropped;
 * those under way are answered (an orderly stop) or have their connections dropped at once, as
 * a crash looks to the clients; either way dynalite finishes them before its close shuts the
 * database, and `listen` may open the same port and path again.
 */
export function dynaliteServer(dir: string, hooks: DynamoHooks = {}) {
  // Else every Query and Scan leaves a LevelDB iterator open, holding memory, until the database closes.
  closeDynaliteIteratorsWhenDone();
  /** Requests dynalite is still working on: it has not yet called `end` on their response. */
  let working = 0;
  const onIdle: (() => void)[] = [];
  /** Stopping: a request that arrives now gets its connection dropped, as from a stopped process. */
  let refusing = false;
  let server: Server | undefined;
  const open = () => {
    const s: Server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const { intercept, wrapAnswer } = hooks;
    const [own] = s.listeners('request') as DynamoAnswer[];
    s.removeAllListeners('request');
    const answer = own && wrapAnswer ? wrapAnswer(own) : own;
    s.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (refusing) {
        req.socket.destroy();
        return;
      }
      if (intercept?.(req, res)) return;
      working += 1;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      let ended = false;
      res.end = ((...args: unknown[]) => {
        if (!ended) {
          ended = true;
          working -= 1;
          if (working === 0) for (const resolve of onIdle.splice(0)) resolve();
        }
        return end(...args);
      }) as ServerResponse['end'];
      answer?.(req, res);
    });
    return s;
  };
  /**
   * Waits (a while at most) until dynalite has finished every request it started: closing the
   * server closes its LevelDB, and a request still reading it then fails outside any caller
   * ("Database is closed", an uncaught rejection in dynalite) instead of answering.
   */
  const settled = (withinMs: number) => (working === 0 ? Promise.resolve() : waitAtMost(new Promise<void>((resolve) => onIdle.push(resolve)), withinMs));
  return {
    listen: async (port: number): Promise<number> => {
      if (!server) {
        const s = open();
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(port, '127.0.0.1', () => resolve());
        });
        server = s;
      }
      return (server.address() as AddressInfo).port;
    },
    stop: async (crash: boolean): Promise<void> => {
      const s = server;
      server = undefined;
      if (!s) return;
      refusing = true;
      if (crash) s.closeAllConnections();
      else s.closeIdleConnections();
      await settled(10_000);
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
      refusing = false;
    },
  };
}
