import * as z from 'zod';
import { defineEvent } from './contract.ts';
import { isoDate } from './envelope.ts';

export const TENANCY_SOURCE = 'safer-communities.tenancy';

/** The count of homes the council owns as landlord, the divisor of the per-1,000-homes measures. */
export const HousingStockRecorded = defineEvent({
  source: TENANCY_SOURCE,
  detailType: 'HousingStockRecorded',
  fields: () => ({
    homes: z.number().int().positive().max(10_000_000),
    asOf: isoDate,
  }),
});
