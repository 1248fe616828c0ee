/**
 * The retention sweep (what the nightly job runs): reads the records of each swept class
 * older than their free text's period, oldest first, and removes text or whole records as
 * retention-rules.ts decides. Reports are read through their status lists (gsi1, sorted by
 * when it happened); case reviews through theirs (gsi1, sorted by when received).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWrite } from '#shared/batch-write';
import { keys } from '#shared/keys';
import { queryAll, queryPage, type Item } from '#shared/paged-query';
import { applyErasure } from './erasure.ts';
import { retentionStep, textCutoff, type SweptClass } from './retention-rules.ts';

const REPORT_STATUSES = ['untriaged', 'triaged', 'referred'] as const;

export interface SweepOutcome {
  readonly textRemoved: Record<SweptClass, number>;
  readonly deleted: Record<SweptClass, number>;
  readonly kept: number;
}

export function buildRetentionSweep(db: DynamoDBDocumentClient, table: string, options: { maxPerClass?: number } = {}) {
  const max = options.maxPerClass ?? 2000;

  /** Blanks free text and stamps when (the same update an erasure makes: erasure.ts). */
  const blank = (what: 'report' | 'case-review', key: { pk: string; sk: string }, paths: readonly (readonly string[])[]) =>
    applyErasure(db, table, [{ op: 'update', key, what, blank: paths, set: [{ path: ['textRemovedAt'], value: new Date().toISOString() }] }]);

  // Throttled throughout, it throws: the job fails (and alarms) and the next run deletes what is still due, rather than counting deletions that did not happen.
  const remove = (itemKeys: readonly { pk: string; sk: string }[]) => batchWrite(db, table, itemKeys.map((Key) => ({ DeleteRequest: { Key } })), 'the retention sweep\'s deletions');

  return async (now: Date): Promise<SweepOutcome> => {
    const outcome = { textRemoved: { report: 0, 'case-review': 0 }, deleted: { report: 0, 'case-review': 0 }, kept: 0 };
    /**
     * The records of a list older than the text cutoff that have something due, oldest first, up
     * to `max` a run. Those with nothing due (their text removed, their record period not over)
     * are read and passed over, counted as kept: they stay in the list for years, and a run that
     * stopped at the first `max` of them would never reach the newer ones behind.
     */
    const dueItems = async (cls: SweptClass, pk: string, dateOf: (item: Item) => string) =>
      (
        await queryPage(
          db,
          { table, index: 'gsi1', pk, skBetween: ['0', `${textCutoff(cls, now)}\uffff`] },
          {
            limit: max,
            keep: (item) => {
              const due = retentionStep(cls, dateOf(item), now, item.textRemovedAt !== undefined) !== 'keep';
              if (!due) outcome.kept += 1;
              return due;
            },
          },
        )
      ).items;
    const reportDate = (item: Item) => String(item.occurredAt ?? '');
    const reviewDate = (item: Item) => String(item.gsi1sk ?? '').split('#')[0] ?? '';

    // Reports: the read model, its photos item and its triage claim.
    for (const status of REPORT_STATUSES) {
      for (const item of await dueItems('report', keys.reportsByStatus(status), reportDate)) {
        const step = retentionStep('report', reportDate(item), now, item.textRemovedAt !== undefined);
        const id = String(item.reportId);
        if (step === 'delete') {
          await remove([keys.report(id), keys.reportPhotos(id), keys.reportTriage(id)]);
          outcome.deleted.report += 1;
        } else {
          const location = item.location as Item | undefined;
          await blank('report', keys.report(id), [['description'], ...(typeof location?.text === 'string' ? [['location', 'text']] : [])]);
          outcome.textRemoved.report += 1;
        }
      }
    }
    // Case reviews: the application's free text; past the record period, every item of the review.
    for (const item of await dueItems('case-review', keys.caseReviews(), reviewDate)) {
      const step = retentionStep('case-review', reviewDate(item), now, item.textRemovedAt !== undefined);
      const detail = (item.detail ?? {}) as Item;
      if (step === 'delete') {
        const all = await queryAll(db, { table, pk: keys.caseReviewEvents(String(detail.reviewId)) });
        await remove(all.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })));
        outcome.deleted['case-review'] += 1;
      } else {
        const third = detail.thirdParty as Item | undefined;
        await blank('case-review', { pk: String(item.pk), sk: String(item.sk) }, [['detail', 'description'], ...(typeof third?.relationship === 'string' ? [['detail', 'thirdParty', 'relationship']] : [])]);
        outcome.textRemoved['case-review'] += 1;
      }
    }
    return outcome;
  };
}
