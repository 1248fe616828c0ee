/**
 * Fault injection for the local runtime: off unless a stack is started with a `LocalFaults`
 * (only the soak does, bench/soak/). Nothing under functions/ knows about it: faults are put
 * where AWS would put them, around a function's invoke (a handler that throws) and in front of
 * DynamoDB (throttling). The stores' own outages (s3rver down, dynalite killed and restarted)
 * are on the stack's `stores` handle (stack.ts), since they stop a real server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionSpec } from '../topology.ts';
import type { Invoke } from './invoker.ts';

export interface FaultRates {
  /** Share of event deliveries whose handler throws (half before it runs, half after it ran). */
  handlerThrows: number;
  /** Share of DynamoDB requests answered with a ThrottlingException. */
  dynamoThrottles: number;
}

export class InjectedFaultError extends Error {
  override name = 'InjectedFaultError';
}

/** A small seeded generator (mulberry32), so a soak's faults can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const consumesEvents = (spec: FunctionSpec) => spec.triggers.some((t) => t.kind === 'events');

export class LocalFaults {
  private rates: FaultRates = { handlerThrows: 0, dynamoThrottles: 0 };
  private readonly random: () => number;
  /** What was injected so far. */
  readonly counts = { handlerThrowsBefore: 0, handlerThrowsAfter: 0, dynamoThrottles: 0 };

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** Turns faults on at these rates; `off()` turns them all off (before a redrive). */
  on(rates: Partial<FaultRates>): void {
    this.rates = { ...this.rates, ...rates };
  }

  off(): void {
    this.rates = { handlerThrows: 0, dynamoThrottles: 0 };
  }

  get injected(): number {
    return this.counts.handlerThrowsBefore + this.counts.handlerThrowsAfter + this.counts.dynamoThrottles;
  }

  /** Wraps an event consumer's invoke: some deliveries throw before the handler, some after it. */
  wrapInvoke = (spec: FunctionSpec, invoke: Invoke): Invoke => {
    if (!consumesEvents(spec)) return invoke;
    return async (event) => {
      if (this.random() >= this.rates.handlerThrows) return invoke(event);
      if (this.random() < 0.5) {
        this.counts.handlerThrowsBefore += 1;
        throw new InjectedFaultError(`injected fault before ${spec.name} ran`);
      }
      await invoke(event);
      this.counts.handlerThrowsAfter += 1;
      throw new InjectedFaultError(`injected fault after ${spec.name} ran`);
    };
  };

  /**
   * In front of dynalite: answers a share of requests as DynamoDB does when throttling (the
   * SDK retries those itself, then the function fails and the bus retries). True if it answered.
   */
  interceptDynamo = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (this.rates.dynamoThrottles <= 0 || this.random() >= this.rates.dynamoThrottles) return false;
    this.counts.dynamoThrottles += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `throttle-${this.counts.dynamoThrottles}` });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' }));
    });
    return true;
  };
}
