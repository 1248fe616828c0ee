/**
 * The officer's search: one box for a case id, a report reference, a postcode (whole, or its
 * outward code like "LE2") or a subject reference. Received reports are indexed by their terms
 * (one item per term and report, so a redelivery writes the same items); the subject index of
 * enforcement finds the cases a subject's actions were recorded on.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWrite } from '#shared/batch-write';
import type { DetailOf } from '#events/contract';
import type { ReportReceived } from '#events/intake';
import { keys } from '#shared/keys';
import { queryAll } from '#shared/paged-query';
import { normalisePostcode } from '../cases/duplicates.ts';

type Report = DetailOf<typeof ReportReceived>;

/** The outward code of a whole postcode ("LE21AB" → "LE2"); a postcode too short to have one is its own. */
const outward = (postcode: string) => (postcode.length >= 5 ? postcode.slice(0, -3) : postcode);

/** The terms a report is found by. */
export function termsOf(report: Pick<Report, 'reference' | 'location' | 'subjectRefs'>): string[] {
  const postcode = normalisePostcode(report.location.postcode);
  return [
    ...new Set([
      ...(report.reference ? [`ref:${report.reference.trim().toUpperCase()}`] : []),
      ...(postcode ? [`postcode:${postcode}`, `postcode:${outward(postcode)}`] : []),
      ...(report.subjectRefs ?? []).map((s) => `subject:${s}`),
    ]),
  ];
}

export const CASE_ID = /^case-\d{4}-\d{1,6}$/i;

/** What one query may be: the terms to look up (any may match), and a case id if it looks like one. */
export function queryTerms(q: string): { caseId?: string; terms: string[] } {
  const text = q.trim();
  if (!text) return { terms: [] };
  const squashed = text.replace(/\s+/g, '').toUpperCase();
  return {
    ...(CASE_ID.test(text) ? { caseId: text.toLowerCase() } : {}),
    terms: [...new Set([`ref:${text.toUpperCase()}`, `ref:${squashed}`, `postcode:${squashed}`, `subject:${text}`])],
  };
}

export interface IndexedReport {
  reportId: string;
  reference?: string;
  receivedAt: string;
}

export function buildSearchIndex(db: DynamoDBDocumentClient, table: string) {
  return {
    async index(report: Report, receivedAt: string): Promise<void> {
      const items = termsOf(report).map((term) => ({
        ...keys.searchReport(term, report.reportId),
        type: 'search-report',
        reportId: report.reportId,
        ...(report.reference ? { reference: report.reference } : {}),
        receivedAt,
      }));
      // Throttled throughout, it throws: the delivery is retried (the puts are safe to repeat), never a term dropped.
      await batchWrite(db, table, items.map((Item) => ({ PutRequest: { Item } })), `the search index of report ${report.reportId}`);
    },
    /** The reports found by any of the terms, newest first, each once. */
    async find(terms: readonly string[]): Promise<IndexedReport[]> {
      const found = (await Promise.all(terms.map((t) => queryAll(db, { table, pk: keys.searchReports(t) })))).flat();
      const byId = new Map(found.map((i) => [String(i.reportId), { reportId: String(i.reportId), ...(i.reference ? { reference: String(i.reference) } : {}), receivedAt: String(i.receivedAt) }]));
      return [...byId.values()].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
    },
  };
}
