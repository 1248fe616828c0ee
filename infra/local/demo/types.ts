import type { Role } from '../../topology.ts';

export interface DemoContext {
  gateway: string;
  stateDir: string;
  /** A bearer token for a role, for demo steps that act as an officer or finance. */
  token: (role: Role) => Promise<string>;
  log: (line: string) => void;
  /**
   * Resolves once the local bus has delivered everything put on it so far, the events those
   * deliveries put included (LocalEventBus.idle): what a step sent is then projected.
   */
  settled: () => Promise<void>;
}

/**
 * Waits until `check` holds for something a step sent: checks at once, and again each time the
 * bus has delivered everything owed. Once the bus is idle nothing more is on its way, so a
 * check still failing then is a fault (a dead letter, a refused event), reported as `what`.
 */
export async function until(ctx: Pick<DemoContext, 'settled'>, what: string, check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await check()) return;
    await ctx.settled();
  }
  if (await check()) return;
  throw new Error(`demo data: ${what}`);
}
