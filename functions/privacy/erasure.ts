/**
 * Erasure (UK GDPR Art 17) of a reporter or case review applicant, by their contactRef. The
 * plan is pure: what to delete and which fields to blank, from what holdings.ts read. KPI day
 * counters, funding ledgers, case timelines and the event archive's `events/` prefix hold no
 * contact details (only the opaque contactRef), so nothing there changes and every count stays
 * exact. Enforcement subjects are not erased here: those records are kept for the law
 * enforcement purpose (docs/privacy.md).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import type { Holdings, Item } from './holdings.ts';
import { REMOVED_TEXT } from './retention-rules.ts';

type Key = { pk: string; sk: string };
export type ErasureStep =
  | { readonly op: 'delete'; readonly key: Key; readonly what: 'contact' | 'contact-identity' | 'reporter-index' }
  | {
      readonly op: 'update';
      readonly key: Key;
      readonly what: 'report' | 'report-progress' | 'case-review';
      /** Attribute paths set to REMOVED_TEXT. */
      readonly blank: readonly (readonly string[])[];
      /** Attribute paths set to a value. */
      readonly set?: readonly { path: readonly string[]; value: unknown }[];
      /** Attribute paths removed. */
      readonly remove?: readonly (readonly string[])[];
    };

const keyOf = (i: Item): Key => ({ pk: String(i.pk), sk: String(i.sk) });
const has = (i: Item | undefined, path: readonly string[]) => {
  let at: unknown = i;
  for (const p of path) at = at && typeof at === 'object' ? (at as Item)[p] : undefined;
  return typeof at === 'string';
};

export function planErasure(h: Holdings): ErasureStep[] {
  if (!h.contactRef) return [];
  const steps: ErasureStep[] = [];
  if (h.contact) steps.push({ op: 'delete', key: keyOf(h.contact), what: 'contact' });
  for (const pk of h.identityDigests) steps.push({ op: 'delete', key: { pk, sk: 'CONTACT-ID' }, what: 'contact-identity' });
  for (const key of h.heldReportKeys) steps.push({ op: 'delete', key, what: 'reporter-index' });
  for (const r of h.reports) {
    const location = r.location as Item | undefined;
    steps.push({
      op: 'update',
      key: keyOf(r),
      what: 'report',
      blank: [['description'], ...(has(location, ['text']) ? [['location', 'text']] : [])],
      set: [{ path: ['reporter'], value: { anonymous: true } }],
    });
    if (typeof r.receivedEventId === 'string') {
      steps.push({ op: 'update', key: keys.statusReportEntry(String(r.reportId), r.receivedEventId), what: 'report-progress', blank: [], remove: [['step', 'contactRef']] });
    }
  }
  for (const { item, role } of h.caseReviews) {
    const detail = item.detail as Item | undefined;
    const blank: string[][] = [];
    if (role === 'applicant' && has(detail, ['description'])) blank.push(['detail', 'description']);
    if (has(detail, ['thirdParty', 'relationship'])) blank.push(['detail', 'thirdParty', 'relationship']);
    if (blank.length) steps.push({ op: 'update', key: keyOf(item), what: 'case-review', blank });
  }
  return steps;
}

/** How many of each kind a plan deletes or changes (for the record and the page). */
export const tally = (steps: readonly ErasureStep[]): Record<string, number> =>
  steps.reduce<Record<string, number>>((t, s) => ({ ...t, [s.what]: (t[s.what] ?? 0) + 1 }), {});

/** Carries out a plan. Each step may run again (a retried erasure): a deleted item stays deleted, a blanked field stays blank, and an item gone meanwhile is not made again. */
export async function applyErasure(db: DynamoDBDocumentClient, table: string, steps: readonly ErasureStep[]): Promise<void> {
  for (const step of steps) {
    if (step.op === 'delete') {
      await db.send(new DeleteCommand({ TableName: table, Key: step.key }));
      continue;
    }
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const pathOf = (path: readonly string[]) =>
      path
        .map((part) => {
          const name = `#n${Object.keys(names).length}`;
          names[name] = part;
          return name;
        })
        .join('.');
    const sets = [
      ...step.blank.map((path, i) => {
        values[`:b${i}`] = REMOVED_TEXT;
        return `${pathOf(path)} = :b${i}`;
      }),
      ...(step.set ?? []).map(({ path, value }, i) => {
        values[`:s${i}`] = value;
        return `${pathOf(path)} = :s${i}`;
      }),
    ];
    const removes = (step.remove ?? []).map((path) => pathOf(path));
    const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: step.key,
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
