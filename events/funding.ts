import * as z from 'zod';
import { defineEvent } from './contract.ts';
import { financialYear, isoDate, MAX_ABS_PENCE, pence, text } from './envelope.ts';

export const FUNDING_SOURCE = 'safer-communities.funding';

/** A funding stream code such as `CSP` or `SS5`; it appears in URLs and keys, so it is kept plain. */
export const fundingStream = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'a funding stream is a short code of letters, digits and hyphens, e.g. CSP');

export const allocationKinds = ['provisional', 'underspend-award', 'recall', 'adjustment'] as const;

const amount = pence.min(-MAX_ABS_PENCE).max(MAX_ABS_PENCE);
const positiveAmount = pence.positive().max(MAX_ABS_PENCE);
const profileAmount = pence.min(0).max(MAX_ABS_PENCE);
const project = text(200);
const reference = text(128);

const ledger = { stream: fundingStream, financialYear };

export const FundingAllocated = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingAllocated',
  fields: () => ({
    ...ledger,
    kind: z.enum(allocationKinds),
    /** Positive for provisional, award and recall (a recall reduces the total); an adjustment carries its sign. */
    amountPence: amount,
    reference,
  }),
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
  fields: () => ({
    ...ledger,
    project,
    amountPence: positiveAmount,
    reference: reference.optional(),
  }),
});

export const FundingSpent = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingSpent',
  fields: () => ({
    ...ledger,
    project,
    amountPence: positiveAmount,
    reference,
  }),
});

export const FundingSpendReversed = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingSpendReversed',
  fields: () => ({
    ...ledger,
    /** The `eventId` of the FundingSpent being reversed. */
    spendEventId: z.string().min(1).max(128),
    reason: text(2000),
  }),
});

/** Emitted by the ledger when a spend takes the remaining balance below zero. */
export const FundingOverspent = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingOverspent',
  fields: () => ({
    ...ledger,
    remainingPence: pence.negative().min(-MAX_ABS_PENCE),
    /** The `eventId` of the spend that caused it. */
    causedBy: z.string().min(1).max(128),
  }),
});

/** Emitted at year end with what was left (negative if overspent). */
export const FundingYearClosed = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingYearClosed',
  fields: () => ({
    ...ledger,
    remainingPence: amount,
  }),
});

/**
 * Finance opens a funding stream: from then on its years can hold lines. Streams are data, not
 * code; the stream registry (functions/funding/stream-registry.ts) keeps them.
 */
export const FundingStreamOpened = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingStreamOpened',
  fields: () => ({
    stream: fundingStream,
    name: text(120),
    description: text(1000),
    /** The first London day money can be allocated against. */
    startsOn: isoDate,
    /** The last day of a stream with an end; absent for an annual stream that continues. */
    endsOn: isoDate.optional(),
  }),
  refine: (detail, ctx) => {
    if (detail.endsOn !== undefined && detail.endsOn < detail.startsOn) {
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'the stream must end on or after the day it starts' });
    }
  },
});

/** The grant profile of one stream and year: what finance plans to spend in each quarter (Q1 = April to June). */
export const FundingProfileSet = defineEvent({
  source: FUNDING_SOURCE,
  detailType: 'FundingProfileSet',
  fields: () => ({
    ...ledger,
    /** Q1 to Q4, each a whole number of pence, zero or more. */
    quarterPence: z.tuple([profileAmount, profileAmount, profileAmount, profileAmount]),
  }),
});

export const fundingContracts = [
  FundingAllocated,
  FundingCommitted,
  FundingSpent,
  FundingSpendReversed,
  FundingOverspent,
  FundingYearClosed,
  FundingStreamOpened,
  FundingProfileSet,
] as const;
