import type { DetailInput } from '#events/contract';
import { ReviewDue } from '#events/reminders';
import { scheduledJob } from '#shared/job';
import { logger } from '#shared/powertools';
import { events } from '#shared/publisher';
import { londonDateOf } from '#shared/london-time';
import { caseReminders } from './capability.ts';
import { casesDue } from './case-queries.ts';
import { queryDeps } from './deps.ts';
import { reminderEventId, type DueItem } from './reminders.ts';

const system = { subject: 'case-reminders', roles: ['admin'] as const };

export function reviewDueDetail(item: DueItem, forDate: string, occurredAt: string): DetailInput<typeof ReviewDue> {
  return {
    eventId: reminderEventId(item, forDate),
    occurredAt,
    actor: { kind: 'system', id: 'case-reminders' },
    caseId: item.caseId,
    owner: item.owner,
    reminder: item.reminder,
    dueOn: item.dueOn,
    forDate,
    ...(item.refEventId ? { refEventId: item.refEventId } : {}),
    ...(item.subjectRef ? { subjectRef: item.subjectRef } : {}),
    ...(item.orderType ? { orderType: item.orderType } : {}),
  };
}

/**
 * Daily at 07:00 London: what is due today across the open cases, one ReviewDue event per
 * item. A re-run of the same day puts events with the same eventIds (no new reminders).
 */
export const handler = scheduledJob(caseReminders, async ({ at }) => {
  const forDate = londonDateOf(at);
  const { items } = await casesDue(system, forDate, queryDeps);
  if (items.length > 0) {
    await events().publish(items.map((item) => ({ contract: ReviewDue, detail: reviewDueDetail(item, forDate, at.toISOString()) })));
  }
  logger.info('reminders put', { forDate, count: items.length });
  return { forDate, count: items.length };
});
