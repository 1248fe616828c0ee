/**
 * The status read model in the main table (docs/data-model.md, "Report status"):
 * - the reference → reportId item;
 * - one item per event under the report (received, joined a case, referred) and under the case
 *   (opened, an action's kind, closed), keyed by eventId: a redelivery writes the same item, and
 *   the progress is folded when read, so the order of arrival does not matter;
 * - under the case, one item per report it deals with, so a case's step reaches its reporters;
 * - a claim per message sent to a reporter.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import { queryAll } from '#shared/paged-query';
import { retention } from '#shared/retention';
import type { CaseStep, ReportStep } from './progress.ts';

export interface StatusStore {
  /** `at`: when the report was received (its progress is kept as long as the report, from then). */
  saveReference(reference: string, reportId: string, at: string): Promise<void>;
  saveReportStep(reportId: string, step: ReportStep): Promise<void>;
  saveCaseStep(caseId: string, step: CaseStep): Promise<void>;
  saveCaseReport(caseId: string, reportId: string, at: string): Promise<void>;
  reportIdOf(reference: string): Promise<string | undefined>;
  reportSteps(reportId: string): Promise<ReportStep[]>;
  caseOf(caseId: string): Promise<{ steps: CaseStep[]; reportIds: string[] }>;
  /** True for the first caller only: the message is this caller's to send. */
  claimMessage(messageId: string, reportId: string): Promise<boolean>;
  /** Gives a claim back when sending failed, so the retry sends it. */
  releaseMessage(messageId: string): Promise<void>;
}

export function buildStatusStore(db: DynamoDBDocumentClient, table: string, now: () => Date = () => new Date()): StatusStore {
  /**
   * Progress is kept as long as the report (docs/privacy.md): 6 years from when the step happened,
   * not from when this item was written, so a replay or a rebuild from the archive does not give
   * old progress a new 6 years (an item already past it is written for TTL to remove).
   */
  const expiresAt = (from: string | Date) => Math.floor(new Date(from).getTime() / 1000) + retention.reportDays * 86400;
  const put = (Item: Record<string, unknown>, from: string) => db.send(new PutCommand({ TableName: table, Item: { ...Item, expiresAt: expiresAt(from) } }));
  const steps = async (pk: string) => queryAll(db, { table, pk, skBetween: ['EVENT#', 'EVENT#\uffff'] });

  return {
    async saveReference(reference, reportId, at) {
      await put({ ...keys.statusReference(reference), type: 'status-reference', reportId }, at);
    },
    async saveReportStep(reportId, step) {
      await put({ ...keys.statusReportEntry(reportId, step.eventId), type: 'status-report-step', step }, step.at);
    },
    async saveCaseStep(caseId, step) {
      await put({ ...keys.statusCaseEntry(caseId, step.eventId), type: 'status-case-step', step }, step.at);
    },
    async saveCaseReport(caseId, reportId, at) {
      await put({ ...keys.statusCaseReport(caseId, reportId), type: 'status-case-report', reportId }, at);
    },
    async reportIdOf(reference) {
      const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.statusReference(reference) }));
      return typeof Item?.reportId === 'string' ? Item.reportId : undefined;
    },
    async reportSteps(reportId) {
      return (await steps(keys.statusReportEntries(reportId))).map((i) => i.step as ReportStep);
    },
    async caseOf(caseId) {
      const items = await queryAll(db, { table, pk: keys.statusCaseEntries(caseId) });
      return {
        steps: items.filter((i) => i.type === 'status-case-step').map((i) => i.step as CaseStep),
        reportIds: items.filter((i) => i.type === 'status-case-report').map((i) => String(i.reportId)),
      };
    },
    async claimMessage(messageId, reportId) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: { ...keys.statusMessage(messageId), type: 'status-message', reportId, claimedAt: now().toISOString(), expiresAt: expiresAt(now()) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async releaseMessage(messageId) {
      await db.send(new DeleteCommand({ TableName: table, Key: keys.statusMessage(messageId) }));
    },
  };
}

/** One report's steps and the steps of each case it joined: what progressOf folds. */
export async function loadProgressInputs(store: Pick<StatusStore, 'reportSteps' | 'caseOf'>, reportId: string) {
  const steps = await store.reportSteps(reportId);
  const caseIds = [...new Set(steps.flatMap((s) => (s.kind === 'case' ? [s.caseId] : [])))];
  const cases = new Map(await Promise.all(caseIds.map(async (id) => [id, (await store.caseOf(id)).steps] as const)));
  return { steps, cases };
}
