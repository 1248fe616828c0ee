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
 * Waits until `check` holds for something a step sent: checks each time the bus has delivered
 * everything owed (not before: what was just sent is still on its way). Once the bus is idle
 * nothing more is coming, so a check failing then is a fault (a dead letter, a refused event),
 * reported as `what`; other steps' events can keep the bus busy, hence a few rounds.
 */
export async function until(ctx: Pick<DemoContext, 'settled'>, what: string, check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await ctx.settled();
    if (await check()) return;
  }
  throw new Error(`demo data: ${what}`);
}
