import { z } from 'zod';
import { defineEvent } from './contract.ts';
import { financialYear, MAX_ABS_PENCE, pence, text } from './envelope.ts';

export const FUNDING_SOURCE = 'safer-communities.funding';

/** A funding stream code such as `CSP` or `SS5`; it appears in URLs and keys, so it is kept plain. */
export const fundingStream = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'a funding stream is a short code of letters, digits and hyphens, e.g. CSP');

export const allocationKinds = ['provisional', 'underspend-award', 'recall', 'adjustment'] as const;

const amount = pence.min(-MAX_ABS_PENCE).max(MAX_ABS_PENCE);
const positiveAmount = pence.positive().max(MAX_ABS_PENCE);
const project = text(200);
const reference = text(128);

const ledger = { stream: fundingStream, financialYear };

export const FundingAllocated = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingAllocated',
  fields: {
    ...ledger,
    kind: z.enum(allocationKinds),
    /** Positive for provisional, award and recall (a recall reduces the total); an adjustment carries its sign. */
    amountPence: amount,
    reference,
  },
  refine: (detail, ctx) => {
    if (detail.kind === 'adjustment') {
      if (detail.amountPence === 0) {
        ctx.addIssue({ code: 'custom', path: ['amountPence'], message: 'an adjustment must not be zero' });
      }
    } else if (detail.amountPence <= 0) {
      ctx.addIssue({ code: 'custom', path: ['amountPence'], message: `a ${detail.kind} amount must be positive` });
    }
  },
});

export const FundingCommitted = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingCommitted',
  fields: {
    ...ledger,
    project,
    amountPence: positiveAmount,
    reference: reference.optional(),
  },
});

export const FundingSpent = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingSpent',
  fields: {
    ...ledger,
    project,
    amountPence: positiveAmount,
    reference,
  },
});

export const FundingSpendReversed = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingSpendReversed',
  fields: {
    ...ledger,
    /** The `eventId` of the FundingSpent being reversed. */
    spendEventId: z.string().min(1).max(128),
    reason: text(2000),
  },
});

/** Emitted by the ledger when a spend takes the remaining balance below zero. */
export const FundingOverspent = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingOverspent',
  fields: {
    ...ledger,
    remainingPence: pence.negative().min(-MAX_ABS_PENCE),
    /** The `eventId` of the spend that caused it. */
    causedBy: z.string().min(1).max(128),
  },
});

/** Emitted at year end with what was left (negative if overspent). */
export const FundingYearClosed = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingYearClosed',
  fields: {
    ...ledger,
    remainingPence: amount,
  },
});

export const fundingContracts = [
  FundingAllocated,
  FundingCommitted,
  FundingSpent,
  FundingSpendReversed,
  FundingOverspent,
  FundingYearClosed,
] as const;
