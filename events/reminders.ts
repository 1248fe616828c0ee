import * as z from 'zod';
import { CASES_SOURCE, caseOwners } from './cases.ts';
import { defineEvent } from './contract.ts';
import { courtOrderTypes } from './enforcement.ts';
import { entityId, isoDate, opaqueRef } from './envelope.ts';

/**
 * Not in contract.md: added with the daily case reminders (issue 4). One event per item due,
 * per day; its eventId is derived from the item and the day, so a re-run of the same day's
 * reminders puts the same events again and consumers see duplicates, not new reminders.
 */
export const reminderKinds = ['abc-review', 'cpw-comply-by-passed', 'order-expiring', 'first-contact-missed'] as const;

export const ReviewDue = defineEvent({
  source: CASES_SOURCE,
  detailType: 'ReviewDue',
  fields: () => ({
    caseId: entityId,
    owner: z.enum(caseOwners),
    reminder: z.enum(reminderKinds),
    /** The date the thing falls due: the review date, the day after comply-by, the expiry, the missed target. */
    dueOn: isoDate,
    /** The London date of the run that found it due. */
    forDate: isoDate,
    /** The event the reminder follows up (the ABC, the CPW, the order), if any. */
    refEventId: z.string().min(1).max(128).optional(),
    subjectRef: opaqueRef.optional(),
    orderType: z.enum(courtOrderTypes).optional(),
  }),
});

export const remindersContracts = [ReviewDue] as const;
