import type { DetailOf, EventContract } from '#events/contract';
import type { EventOf } from '#shared/consumer';

/**
 * An event as a consumer receives it (source, detail-type, detail), typed by its contract: a
 * projection under test gets the same narrowed union the stack gives it, without a cast there.
 */
export const eventOf = <C extends EventContract>(contract: C, detail: DetailOf<C>) =>
  ({ source: contract.source, detailType: contract.detailType, detail }) as EventOf<C>;
