import type { HousingStockRecorded } from '#events/tenancy';
import type { EventOf } from '#shared/consumer';
import type { CounterStore } from './counter-store.ts';
import { countersFor, UncountableEventError, type CountedEvent } from './counters.ts';

export type KpiEvent = CountedEvent | EventOf<typeof HousingStockRecorded>;

/**
 * Applies one event to the KPI read model:
 * 1. a housing stock count is stored under its date (the NM01 divisor);
 * 2. anything else is mapped to its day's counters (throwing, before any write, for an event
 *    the mapping cannot place);
 * 3. and added with one conditional write, once per eventId.
 */
export async function countEvent(event: KpiEvent, store: CounterStore): Promise<'applied' | 'duplicate' | 'stored' | 'kept'> {
  if (event.detailType === 'HousingStockRecorded') {
    const { detail } = event;
    if (detail.schemaVersion !== 1) {
      throw new UncountableEventError(event.detailType, detail.eventId, `schemaVersion ${detail.schemaVersion} is not one the KPI counters know (they know 1)`);
    }
    return store.recordStock({ asOf: detail.asOf, homes: detail.homes, eventId: detail.eventId, occurredAt: detail.occurredAt });
  }
  const effect = countersFor(event);
  return store.apply(event.detail.eventId, effect);
}
