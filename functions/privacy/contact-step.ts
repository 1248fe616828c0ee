/**
 * The "show contact details" step: which contactRef stands behind a report or a case review
 * application, and the officer's request to see it, checked and recorded before anything is
 * shown.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#shared/auth';
import { BadRequestError, ForbiddenError, NotFoundError, type ErrorDetail } from '#shared/errors';
import { keys } from '#shared/keys';
import { queryAll } from '#shared/paged-query';
import type { ContactInput } from '../intake/report-input.ts';
import { accessReasons, isAccessReason, itemKinds, type AccessEntry, type AccessReason, type AccessRecord, type ItemKind } from './access-record.ts';

export interface ContactHolder {
  readonly kind: ItemKind;
  readonly id: string;
  readonly reference?: string;
  /** Absent: the person gave none, or it was erased. */
  readonly contactRef?: string;
}

export const NOTE_MAX = 500;

/** The reason given, or the problems with it, field by field (`reason`, `note`). */
export function checkReason(raw: { reason?: unknown; note?: unknown }): { reason: AccessReason; note?: string } | { problems: ErrorDetail[] } {
  const note = typeof raw.note === 'string' && raw.note.trim() !== '' ? raw.note.trim() : undefined;
  const problems: ErrorDetail[] = [];
  if (!isAccessReason(raw.reason)) problems.push({ path: 'reason', message: 'choose why you need to see their contact details' });
  if (raw.reason === 'other' && !note) problems.push({ path: 'note', message: 'say why you need to see their contact details' });
  if (note && note.length > NOTE_MAX) problems.push({ path: 'note', message: `the reason must be ${NOTE_MAX} characters or fewer` });
  if (problems.length) return { problems };
  return { reason: raw.reason as AccessReason, ...(note ? { note } : {}) };
}

export const reasonText = (e: Pick<AccessEntry, 'action' | 'reason' | 'note'>) =>
  e.action === 'show-contact' && isAccessReason(e.reason) ? `${accessReasons[e.reason]}${e.note ? `: ${e.note}` : ''}` : `${e.reason}${e.note ? `: ${e.note}` : ''}`;

export function parseKind(kind: string | undefined): ItemKind {
  if (!itemKinds.includes(kind as ItemKind)) throw new NotFoundError('contact details are shown for a report or a case review: the address is wrong');
  return kind as ItemKind;
}

/** Case reviews are the reviewers' (officer, admin): tenancy officers see reporters' details only. */
export function mayView(kind: ItemKind, principal: Principal | undefined): void {
  if (kind === 'case-review' && !principal?.roles.some((r) => r === 'officer' || r === 'admin')) {
    throw new ForbiddenError('only officers running case reviews may see an applicant\'s contact details', undefined, { needs: ['officer', 'admin'] });
  }
}

export function buildContactStep(db: DynamoDBDocumentClient, table: string, deps: { access: AccessRecord; getContact: (ref: string) => Promise<ContactInput | undefined> }) {
  async function holder(kind: ItemKind, id: string): Promise<ContactHolder> {
    if (kind === 'report') {
      const item = (await db.send(new GetCommand({ TableName: table, Key: keys.report(id) }))).Item;
      if (!item || item.description === undefined) throw new NotFoundError(`there is no report ${id}`);
      const reporter = item.reporter as { anonymous: boolean; contactRef?: string } | undefined;
      return { kind, id, ...(typeof item.reference === 'string' ? { reference: item.reference } : {}), ...(reporter?.contactRef ? { contactRef: reporter.contactRef } : {}) };
    }
    const events = await queryAll(db, { table, pk: keys.caseReviewEvents(id), skBetween: ['EVENT#', 'EVENT#\uffff'] });
    const requested = events.find((e) => e.detailType === 'CaseReviewRequested')?.detail as { reference?: string; applicantRef?: string } | undefined;
    if (!requested) throw new NotFoundError(`there is no case review ${id}`);
    return { kind, id, ...(requested.reference ? { reference: requested.reference } : {}), ...(requested.applicantRef ? { contactRef: requested.applicantRef } : {}) };
  }

  return {
    holder,
    /** Records the request, then answers the details (undefined when none are held any more). */
    async show(h: ContactHolder, principal: Principal | undefined, given: { reason: AccessReason; note?: string }) {
      if (!h.contactRef) throw new BadRequestError('no contact details are held for this: the person gave none, or they were erased');
      const entry = await deps.access.record({
        action: 'show-contact',
        by: principal?.subject ?? 'unknown',
        item: { kind: h.kind, id: h.id },
        contactRef: h.contactRef,
        reason: given.reason,
        ...(given.note ? { note: given.note } : {}),
      });
      return { entry, contact: await deps.getContact(h.contactRef) };
    },
  };
}
