/**
 * Everything the council holds about one person, read from the main table: by a contactRef (a
 * reporter or a case review applicant, found also by their e-mail address or phone number
 * through the vault's identity digests) or by a subject reference (the enforcement subject
 * index, docs/enforcement.md). Reads only; subject-access.ts shapes it, erasure.ts plans from it.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { batchGet } from '#shared/batch-get';
import { BadRequestError } from '#shared/errors';
import { keys } from '#shared/keys';
import { queryAll } from '#shared/paged-query';
import { identities } from '../intake/contacts.ts';
import type { AccessEntry, AccessRecord } from './access-record.ts';

export type Item = Record<string, unknown>;

/** How an administrator names the person: exactly one of these. */
export const personQuery = z
  .object({
    email: z.string().trim().email('enter an e-mail address like name@example.com').max(320).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^[+0-9 ()-]{6,30}$/, 'enter a telephone number, like 01509 123456')
      .optional(),
    contactRef: z.string().trim().regex(/^ct_[0-9a-f]{32}$/, 'a contact reference looks like ct_ followed by 32 letters and digits').optional(),
    subjectRef: z.string().trim().min(1).max(200).optional(),
  })
  .refine((q) => [q.email, q.phone, q.contactRef, q.subjectRef].filter((v) => v !== undefined && v !== '').length === 1, {
    message: 'give exactly one of: an e-mail address, a telephone number, a contact reference or a subject reference',
  });
export type PersonQuery = z.infer<typeof personQuery>;
export type SearchedBy = 'email' | 'phone' | 'contactRef' | 'subjectRef';

export function parsePersonQuery(raw: unknown): PersonQuery {
  const blankless = Object.fromEntries(Object.entries((raw ?? {}) as Record<string, unknown>).filter(([, v]) => v !== '' && v !== undefined && v !== null));
  const parsed = personQuery.safeParse(blankless);
  if (!parsed.success) throw new BadRequestError(parsed.error.issues[0]?.message ?? 'say who to look for');
  return parsed.data;
}
export const searchedBy = (q: PersonQuery): SearchedBy => (q.email ? 'email' : q.phone ? 'phone' : q.contactRef ? 'contactRef' : 'subjectRef');

export interface Holdings {
  readonly searchedBy: SearchedBy;
  readonly contactRef?: string;
  readonly subjectRef?: string;
  /** The vault item: `contact` and its dates. */
  readonly contact?: Item;
  /** The identity digests that point at this contactRef (their keys). */
  readonly identityDigests: readonly string[];
  readonly reports: readonly Item[];
  /** The case review index of this reporter's reports (items keyed by the contactRef). */
  readonly heldReportKeys: readonly { pk: string; sk: string }[];
  /** CaseReviewRequested items naming the person, and as whom. */
  readonly caseReviews: readonly { item: Item; role: 'applicant' | 'representative' }[];
  readonly cases: readonly Item[];
  /** Enforcement actions about the subject (subject index items). */
  readonly subjectActions: readonly Item[];
  readonly access: readonly AccessEntry[];
}

const keyOf = (i: Item) => ({ pk: String(i.pk), sk: String(i.sk) });

export function buildReadHoldings(db: DynamoDBDocumentClient, table: string, access: AccessRecord) {
  const get = async (key: { pk: string; sk: string }) => (await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

  async function contactRefOf(q: PersonQuery): Promise<string | undefined> {
    if (q.contactRef) return q.contactRef;
    const [digest] = identities(q.email ? { email: q.email } : { phone: q.phone });
    if (!digest) return undefined;
    const ref = (await get(keys.contactIdentity(digest)))?.contactRef;
    return typeof ref === 'string' ? ref : undefined;
  }

  async function casesOf(caseIds: Iterable<string>) {
    const ids = [...new Set(caseIds)];
    return ids.length ? batchGet(db, table, ids.map((id) => keys.case(id))) : [];
  }

  async function byContact(ref: string, by: SearchedBy): Promise<Holdings> {
    const contact = await get(keys.contact(ref));
    const details = (contact?.contact ?? {}) as { email?: string; phone?: string };
    const digests = identities(details);
    const pointing = digests.length ? await batchGet(db, table, digests.map((d) => keys.contactIdentity(d))) : [];
    const held = await queryAll(db, { table, pk: keys.caseReviewReporterReports(ref) });
    const reportIds = [...new Set(held.map((i) => String(i.reportId ?? '')).filter((id) => id !== ''))];
    const reports = reportIds.length ? await batchGet(db, table, reportIds.map((id) => keys.report(id))) : [];
    const reviews = await queryAll(db, { table, index: 'gsi1', pk: keys.caseReviews() });
    const caseReviews = reviews.flatMap((item): Holdings['caseReviews'][number][] => {
      const d = item.detail as { applicantRef?: string; thirdParty?: { representativeRef?: string } } | undefined;
      if (d?.applicantRef === ref) return [{ item, role: 'applicant' as const }];
      if (d?.thirdParty?.representativeRef === ref) return [{ item, role: 'representative' as const }];
      return [];
    });
    return {
      searchedBy: by,
      contactRef: ref,
      ...(contact ? { contact } : {}),
      identityDigests: pointing.filter((i) => i.contactRef === ref).map((i) => String(i.pk)),
      reports,
      heldReportKeys: held.map(keyOf),
      caseReviews,
      cases: await casesOf(reports.flatMap((r) => (typeof r.caseId === 'string' ? [r.caseId] : []))),
      subjectActions: [],
      access: await access.all({ contactRef: ref }),
    };
  }

  async function bySubject(subjectRef: string): Promise<Holdings> {
    const subjectActions = await queryAll(db, { table, pk: keys.subjectActions(subjectRef) });
    const caseIds = subjectActions.flatMap((a) => {
      const id = (a.fields as { caseId?: unknown } | undefined)?.caseId;
      return typeof id === 'string' ? [id] : [];
    });
    return {
      searchedBy: 'subjectRef',
      subjectRef,
      identityDigests: [],
      reports: [],
      heldReportKeys: [],
      caseReviews: [],
      cases: await casesOf(caseIds),
      subjectActions,
      access: await access.all({ subjectRef }),
    };
  }

  return async (q: PersonQuery): Promise<Holdings> => {
    const by = searchedBy(q);
    if (q.subjectRef) return bySubject(q.subjectRef);
    const ref = await contactRefOf(q);
    if (!ref) return { searchedBy: by, identityDigests: [], reports: [], heldReportKeys: [], caseReviews: [], cases: [], subjectActions: [], access: [] };
    return byContact(ref, by);
  };
}
export type ReadHoldings = ReturnType<typeof buildReadHoldings>;
