/**
 * The case reviews' read model in the main table (docs/data-model.md, "Case reviews"):
 * - each case-review event as it came, one item per eventId under its review, so a review is
 *   folded from its events when read (order-free; a redelivery writes the same item again);
 * - the CaseReviewRequested item carries gsi1 attributes: the list of reviews;
 * - claims for one-off steps (the decision, overriding one assessment);
 * - an index of the reports the council holds, by reference and by the reporter's contactRef,
 *   for matching an applicant's complaints.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import { retention } from '#shared/retention';
import { queryAll } from '#shared/paged-query';
import type { HeldReports } from './matching.ts';
import type { StoredEvent } from './model.ts';
import type { HeldReport } from './threshold.ts';

const expiresAt = (iso: string) => Math.floor(Date.parse(iso) / 1000) + retention.reportDays * 86400;

export function buildCaseReviewStore(db: DynamoDBDocumentClient, table: string) {
  return {
    /** Stores one event of a review; the same event again writes the same item. */
    async saveEvent(event: StoredEvent): Promise<void> {
      const { reviewId, eventId, occurredAt } = event.detail;
      const listed = event.detailType === 'CaseReviewRequested' ? { gsi1pk: keys.caseReviews(), gsi1sk: `${new Date(occurredAt).toISOString()}#${reviewId}` } : {};
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...keys.caseReviewEvent(reviewId, eventId), type: 'case-review-event', detailType: event.detailType, detail: event.detail, ...listed },
        }),
      );
    },

    async loadEvents(reviewId: string): Promise<StoredEvent[]> {
      const items = await queryAll(db, { table, pk: keys.caseReviewEvents(reviewId), skBetween: ['EVENT#', 'EVENT#\uffff'] });
      return items.map((i) => ({ detailType: i.detailType, detail: i.detail }) as StoredEvent);
    },

    /** Every review's id, newest application first. */
    async reviewIds(): Promise<string[]> {
      const items = await queryAll(db, { table, index: 'gsi1', pk: keys.caseReviews(), descending: true });
      return items.map((i) => String((i.detail as { reviewId: string }).reviewId ?? ''));
    },

    /** Claims a one-off step: true for the first caller, false for any later one. */
    async claim(reviewId: string, step: string, by: string): Promise<boolean> {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: { ...keys.caseReviewClaim(reviewId, step), type: 'case-review-claim', by, at: new Date().toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    /** Indexes a report the council received, by reference and by its reporter's contactRef. */
    async saveHeldReport(report: HeldReport & { contactRef?: string; receivedAt: string }): Promise<void> {
      const { contactRef, receivedAt, ...held } = report;
      const item = { type: 'case-review-held-report', ...held, expiresAt: expiresAt(receivedAt) };
      const writes = [
        ...(held.reference ? [{ ...keys.caseReviewReportByReference(held.reference.toUpperCase()), ...item }] : []),
        ...(contactRef ? [{ ...keys.caseReviewReporterReport(contactRef, new Date(receivedAt).toISOString(), held.reportId), ...item }] : []),
      ];
      await Promise.all(writes.map((Item) => db.send(new PutCommand({ TableName: table, Item }))));
    },

    /** The reports the complaints name by reference, and every report the applicant made. */
    async heldReports(references: readonly string[], contactRef: string): Promise<HeldReports> {
      const wanted = [...new Set(references.map((r) => r.trim().toUpperCase()))].slice(0, 50);
      const found = wanted.length
        ? ((await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: wanted.map((r) => keys.caseReviewReportByReference(r)) } } }))).Responses?.[table] ?? [])
        : [];
      const mine = await queryAll(db, { table, pk: keys.caseReviewReporterReports(contactRef) });
      const held = (i: Record<string, unknown>): HeldReport => ({
        reportId: String(i.reportId),
        ...(typeof i.reference === 'string' ? { reference: i.reference } : {}),
        incidentOn: String(i.incidentOn),
        reportedOn: String(i.reportedOn),
        hateMotivated: i.hateMotivated === true,
      });
      return { byReference: new Map(found.map((i) => [String(i.reference).toUpperCase(), held(i)])), byApplicant: mine.map(held) };
    },

    async getClaim(reviewId: string, step: string) {
      return (await db.send(new GetCommand({ TableName: table, Key: keys.caseReviewClaim(reviewId, step) }))).Item;
    },
  };
}

export type CaseReviewStore = ReturnType<typeof buildCaseReviewStore>;
