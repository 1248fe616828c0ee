import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '#shared/cursor';
import { BadRequestError } from '#shared/errors';
import { keys } from '#shared/keys';
import { queryPage } from '#shared/paged-query';
import { retention } from '#shared/retention';

/** What a contact's details were shown for: a report, or an ASB Case Review application. */
export type ItemKind = 'report' | 'case-review';
export const itemKinds: readonly ItemKind[] = ['report', 'case-review'];

/** Why an officer needs to see someone's contact details: chosen from these, with a note for "other". */
export const accessReasons = {
  'contact-about-report': 'To contact them about what they reported',
  'case-review-letter': 'To write to them about their ASB Case Review',
  safeguarding: 'A safeguarding concern',
  'legal-process': 'For a court or other legal process',
  other: 'Another reason (say what)',
} as const;
export type AccessReason = keyof typeof accessReasons;
export const isAccessReason = (v: unknown): v is AccessReason => typeof v === 'string' && Object.hasOwn(accessReasons, v);

export type AccessAction = 'show-contact' | 'subject-access' | 'erasure';

/**
 * One entry of the record of access to personal data. It holds opaque references and the
 * officer's reason only: never the contact details themselves, nor the e-mail or phone number
 * an administrator searched by.
 */
export interface AccessEntry {
  readonly entryId: string;
  readonly at: string;
  readonly action: AccessAction;
  /** The member of staff (their token's subject). */
  readonly by: string;
  readonly item?: { readonly kind: ItemKind; readonly id: string };
  readonly contactRef?: string;
  readonly subjectRef?: string;
  /** show-contact: a reason code; subject-access and erasure: the council's request reference. */
  readonly reason: string;
  readonly note?: string;
  /** What was found or changed (counts), for subject access and erasure. */
  readonly outcome?: Readonly<Record<string, number>>;
}

/** The lists an entry appears in: every entry, its item's, its officer's, its contact's and subject's. */
export const viewsOf = (e: Pick<AccessEntry, 'by' | 'item' | 'contactRef' | 'subjectRef'>): string[][] => [
  ['ALL'],
  ['OFFICER', e.by],
  ...(e.item ? [['ITEM', e.item.kind, e.item.id]] : []),
  ...(e.contactRef ? [['CONTACT', e.contactRef]] : []),
  ...(e.subjectRef ? [['SUBJECT', e.subjectRef]] : []),
];

export type AccessFilter = { readonly item: { kind: ItemKind; id: string } } | { readonly officer: string } | { readonly contactRef: string } | { readonly subjectRef: string } | Record<string, never>;

const viewOfFilter = (f: AccessFilter): string[] =>
  'item' in f ? ['ITEM', f.item.kind, f.item.id] : 'officer' in f ? ['OFFICER', f.officer] : 'contactRef' in f ? ['CONTACT', f.contactRef] : 'subjectRef' in f ? ['SUBJECT', f.subjectRef] : ['ALL'];

export function buildAccessRecord(db: DynamoDBDocumentClient, table: string, now: () => Date = () => new Date()) {
  return {
    /** Writes one entry under each of its views (one batch); an entry is never changed afterwards. */
    async record(entry: Omit<AccessEntry, 'entryId' | 'at'>): Promise<AccessEntry> {
      const at = now();
      const full: AccessEntry = { entryId: randomUUID(), at: at.toISOString(), ...entry };
      const expiresAt = Math.floor(at.getTime() / 1000) + retention.accessRecordDays * 86400;
      await db.send(
        new BatchWriteCommand({
          RequestItems: {
            [table]: viewsOf(full).map((view) => ({ PutRequest: { Item: { ...keys.accessLogEntry(view, full.at, full.entryId), type: 'access-entry', entry: full, expiresAt } } })),
          },
        }),
      );
      return full;
    },

    /** One page of entries, newest first; `cursor` is the `next` of the page before. */
    async list(filter: AccessFilter, options: { limit?: number; cursor?: string } = {}): Promise<{ entries: AccessEntry[]; next?: string }> {
      const pk = keys.accessLog(viewOfFilter(filter));
      // queryPage refuses a start key from another partition or not its own shape (a 400).
      const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
      if (start !== undefined && (start === null || typeof start !== 'object')) throw new BadRequestError('the cursor is not one this service gave out');
      const page = await queryPage(db, { table, pk, descending: true }, { limit: options.limit ?? 50, ...(start ? { start: start as Record<string, unknown> } : {}) });
      return { entries: page.items.map((i) => i.entry as AccessEntry), ...(page.next ? { next: encodeCursor(page.next) } : {}) };
    },

    /** Every entry of one view, newest first (for a subject access export). */
    async all(filter: AccessFilter): Promise<AccessEntry[]> {
      const entries: AccessEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.list(filter, { limit: 200, ...(cursor ? { cursor } : {}) });
        entries.push(...page.entries);
        cursor = page.next;
      } while (cursor);
      return entries;
    },
  };
}
export type AccessRecord = ReturnType<typeof buildAccessRecord>;

