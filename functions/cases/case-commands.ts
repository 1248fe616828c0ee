import * as z from 'zod';
import { CaseAssigned, CaseClosed, CaseShared } from '#events/cases';
import { text } from '#events/envelope';
import type { PublishEntry } from '#events/put';
import type { Principal } from '#shared/auth';
import { ConflictError, detailsFromZod, NotFoundError, ValidationError } from '#shared/errors';
import { staffDirectory } from '#shared/staff-directory';
import { canWorkOnCase, type CaseView } from './case-model.ts';

export const closeInput = z.strictObject({ outcome: text(2000) });
export const shareInput = z.strictObject({ organisation: text(128) });
export const assignInput = z.strictObject({ assignedTo: z.string({ error: 'choose who runs the case' }).pipe(text(128)) });

export interface CaseCommandDeps {
  getCase: (caseId: string) => Promise<CaseView | undefined>;
  publish: (entry: PublishEntry) => Promise<void>;
  newId: () => string;
  now?: () => Date;
  /** The staff an assignment may name (id → name); the configured directory by default. */
  staff?: Readonly<Record<string, string>>;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ValidationError(`${what}: correct the fields listed`, detailsFromZod(parsed.error.issues));
  return parsed.data;
}

async function workableCase(caseId: string, principal: Principal, deps: CaseCommandDeps) {
  const view = await deps.getCase(caseId);
  if (!view || !canWorkOnCase(principal, view)) throw new NotFoundError(`there is no case ${caseId}`);
  return view;
}

const envelope = (principal: Principal, deps: CaseCommandDeps) => ({
  eventId: deps.newId(),
  occurredAt: (deps.now ?? (() => new Date()))().toISOString(),
  actor: { kind: 'officer' as const, id: principal.subject },
});

/** POST /cases/{caseId}/close `{ outcome }` → CaseClosed. */
export async function closeCase(caseId: string, body: unknown, principal: Principal, deps: CaseCommandDeps) {
  const { outcome } = parse(closeInput, body, 'the case could not be closed');
  const view = await workableCase(caseId, principal, deps);
  if (view.status === 'closed') throw new ConflictError(`case ${caseId} is already closed`);
  const detail = { ...envelope(principal, deps), caseId, outcome };
  await deps.publish({ contract: CaseClosed, detail });
  return { eventId: detail.eventId };
}

/** POST /cases/{caseId}/share `{ organisation }` → CaseShared: the partner may now see this one case. */
export async function shareCase(caseId: string, body: unknown, principal: Principal, deps: CaseCommandDeps) {
  const { organisation } = parse(shareInput, body, 'the case could not be shared');
  const view = await workableCase(caseId, principal, deps);
  if (view.sharedWith?.includes(organisation)) throw new ConflictError(`case ${caseId} is already shared with ${organisation}`);
  const detail = { ...envelope(principal, deps), caseId, organisation };
  await deps.publish({ contract: CaseShared, detail });
  return { eventId: detail.eventId };
}

/** POST /cases/{caseId}/assign `{ assignedTo }` → CaseAssigned: that officer now runs the case. */
export async function assignCase(caseId: string, body: unknown, principal: Principal, deps: CaseCommandDeps) {
  const { assignedTo } = parse(assignInput, body, 'the case could not be assigned');
  const staff = deps.staff ?? staffDirectory();
  if (!(assignedTo in staff)) throw new ValidationError('the case could not be assigned: correct the fields listed', [{ path: 'assignedTo', message: `choose someone from the staff list; ${assignedTo} is not on it` }]);
  const view = await workableCase(caseId, principal, deps);
  if (view.status === 'closed') throw new ConflictError(`case ${caseId} is closed: only an open case can be assigned`);
  if (view.assignedTo === assignedTo) throw new ConflictError(`case ${caseId} is already run by ${assignedTo}`);
  const detail = { ...envelope(principal, deps), caseId, assignedTo };
  await deps.publish({ contract: CaseAssigned, detail });
  return { eventId: detail.eventId };
}
