import * as z from 'zod';
import { CaseOpened, caseKinds, caseOwners, ReportLinked, ReportReferred, referralSources, riskCategories } from '#events/cases';
import type { DetailInput } from '#events/contract';
import { code, entityId, text } from '#events/envelope';
import type { PublishEntry } from '#events/put';
import type { Principal } from '#shared/auth';
import { ConflictError, detailsFromZod, ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '#shared/errors';
import { londonDateOf } from '#shared/london-time';
import type { ReportView } from '../intake/reports-repository.ts';
import { canWorkOnCase, type CaseView } from './case-model.ts';
import type { TriageClaims } from './triage-repository.ts';

/** POST /reports/{reportId}/triage: open a case for the report, link it to an open case, or refer it on. */
/** When the decision was made, if not now (an officer recording a decision made on the phone earlier). */
const occurredAt = z.iso.datetime({ offset: true, message: 'give the date and time with an offset, like 2024-06-03T09:30:00+01:00' }).optional();
/** Clocks drift: a time up to this far ahead is taken as now-ish, further is refused. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export const triageInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('open-case'),
    occurredAt,
    kind: z.enum(caseKinds, { error: 'choose the kind of case: asb, enviro or tenancy' }),
    owner: z.enum(caseOwners, { error: 'choose who runs the case: safer-communities or tenancy-services' }),
    /** Defaults to the report's category. */
    category: code.optional(),
    riskCategory: z.enum(riskCategories, { error: 'the risk category is A, B or C' }).optional(),
    /** Defaults from the channel the report came in by. */
    referredFrom: z.enum(referralSources).optional(),
    /** Defaults to whether the reporter said it was hate-motivated. */
    hateRelated: z.boolean().optional(),
  }),
  z.strictObject({ action: z.literal('link'), occurredAt, caseId: z.string({ error: 'enter the case reference, like case-2024-0012' }).pipe(entityId) }),
  z.strictObject({ action: z.literal('refer'), occurredAt, service: z.string({ error: 'enter the service the report goes to' }).pipe(text(200)), reason: text(2000).optional() }),
], { error: 'choose what should happen to the report: open a case (open-case), add it to an open case (link) or refer it on (refer)' });
export type TriageInput = z.infer<typeof triageInput>;

/**
 * Who may triage what (docs/security.md, "Who may triage"): the queue is the Safer Communities
 * officers' (and admins'), who decide on every report. Tenancy Services, who run ASB cases for
 * council tenants, may take an ASB report from it into a Tenancy Services case (open one, or
 * link it to one of theirs), and decide in every way on reports that came in from Housing.
 * Referring a report on, and every other kind of report, stay with the officers.
 */
export function triageRefusal(principal: Principal, report: ReportView, action: TriageInput['action']): string | undefined {
  if (principal.roles.includes('officer') || principal.roles.includes('admin')) return undefined;
  if (principal.roles.includes('tenancy')) {
    if (report.channel === 'housing') return undefined;
    if (report.category.startsWith('asb.') && action !== 'refer') return undefined;
  }
  return `report ${report.reportId} is in the Safer Communities officers' queue: Tenancy Services may take an ASB report into a Tenancy Services case, and decide on reports from Housing, but not refer reports on or take other kinds; ask an officer`;
}

export interface TriageDeps {
  getReport: (reportId: string) => Promise<ReportView | undefined>;
  getCase: (caseId: string) => Promise<CaseView | undefined>;
  claims: TriageClaims;
  nextCaseNumber: (year: string) => Promise<number>;
  publish: (entry: PublishEntry) => Promise<void>;
  now?: () => Date;
  newId: () => string;
}

export interface TriageResult {
  eventId: string;
  status: 'triaged' | 'referred';
  caseId?: string;
}

const referredFromChannel: Record<ReportView['channel'], (typeof referralSources)[number]> = {
  webform: 'public',
  open311: 'public',
  disc: 'partner',
  'farm-watch': 'partner',
  police: 'police',
  housing: 'housing',
  officer: 'internal',
};

/**
 * Tenancy Services grade a hate-related case A (the council's grading, domain review 2026-11-29):
 * left out, the grade is A; B or C is refused with the reason. Other cases keep what was chosen.
 */
export function tenancyRisk(owner: string, hateRelated: boolean, risk: (typeof riskCategories)[number] | undefined) {
  if (owner !== 'tenancy-services' || !hateRelated) return risk;
  if (risk === undefined) return 'A';
  if (risk !== 'A') {
    throw new RuleViolationError(
      'tenancy-hate-related-is-category-a',
      `A hate-related Tenancy Services case is category A (hate-related incidents are graded A), not ${risk}. Choose A, or say the case is not hate-related if the officer has found it is not.`,
    );
  }
  return risk;
}

export const caseIdFor = (year: string, n: number) => `case-${year}-${String(n).padStart(4, '0')}`;

function mustBeValid<C extends typeof CaseOpened | typeof ReportLinked | typeof ReportReferred>(contract: C, detail: unknown) {
  const parsed = contract.detail.safeParse({ ...(detail as object), schemaVersion: 1 });
  if (!parsed.success) throw new ValidationError('the triage decision is not valid: correct the fields listed', detailsFromZod(parsed.error.issues));
}

/**
 * 1. the report must exist and still be waiting in the queue;
 * 2. the decision is checked (a case to link must be open and one the caller works on);
 * 3. the report is claimed, so two officers cannot both decide;
 * 4. the event is put; if that fails the claim is released for another try.
 */
export async function triageReport(reportId: string, input: TriageInput, principal: Principal, deps: TriageDeps): Promise<TriageResult> {
  const report = await deps.getReport(reportId);
  if (!report) throw new NotFoundError(`there is no report ${reportId}`);
  if (report.status !== 'untriaged') throw new ConflictError(`report ${reportId} has already been triaged (${report.status})`);
  const refusal = triageRefusal(principal, report, input.action);
  if (refusal) throw new ForbiddenError(refusal);

  const now = (deps.now ?? (() => new Date()))();
  const decidedAt = input.occurredAt ?? now.toISOString();
  if (new Date(decidedAt).getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new RuleViolationError('occurred-in-future', 'A triage decision can be recorded once it has been made: occurredAt is in the future.');
  }
  const eventId = deps.newId();
  const envelope = { eventId, occurredAt: decidedAt, actor: { kind: 'officer' as const, id: principal.subject } };
  let entry: PublishEntry;
  let result: TriageResult;

  if (input.action === 'open-case') {
    if (input.owner !== 'tenancy-services' && !canWorkOnCase(principal, { owner: input.owner })) {
      throw new ForbiddenError('Tenancy Services can open Tenancy Services cases only');
    }
    const hateRelated = input.hateRelated ?? report.hateMotivated;
    const riskCategory = tenancyRisk(input.owner, hateRelated, input.riskCategory);
    const fields = {
      kind: input.kind,
      owner: input.owner,
      category: input.category ?? report.category,
      ...(riskCategory ? { riskCategory } : {}),
      referredFrom: input.referredFrom ?? referredFromChannel[report.channel],
      hateRelated,
      reportIds: [reportId],
    };
    mustBeValid(CaseOpened, { ...envelope, ...fields, caseId: 'case-pending' });
    const year = londonDateOf(decidedAt).slice(0, 4);
    const caseId = caseIdFor(year, await deps.nextCaseNumber(year));
    const detail: DetailInput<typeof CaseOpened> = { ...envelope, ...fields, caseId };
    entry = { contract: CaseOpened, detail };
    result = { eventId, status: 'triaged', caseId };
  } else if (input.action === 'link') {
    const target = await deps.getCase(input.caseId);
    if (!target || !canWorkOnCase(principal, target)) throw new NotFoundError(`there is no case ${input.caseId}`);
    if (target.status !== 'open') throw new ConflictError(`case ${input.caseId} is closed: a report can join an open case only`);
    const detail: DetailInput<typeof ReportLinked> = { ...envelope, reportId, caseId: input.caseId };
    mustBeValid(ReportLinked, detail);
    entry = { contract: ReportLinked, detail };
    result = { eventId, status: 'triaged', caseId: input.caseId };
  } else {
    const detail: DetailInput<typeof ReportReferred> = { ...envelope, reportId, service: input.service, ...(input.reason ? { reason: input.reason } : {}) };
    mustBeValid(ReportReferred, detail);
    entry = { contract: ReportReferred, detail };
    result = { eventId, status: 'referred' };
  }

  const claim = await deps.claims.claim(reportId, eventId);
  if (claim === 'decided') throw new ConflictError(`report ${reportId} has already been triaged`);
  if (claim === 'busy') throw new ConflictError(`someone else is triaging report ${reportId} right now; try again in a minute`);
  try {
    await deps.publish(entry);
  } catch (error) {
    await deps.claims.release(reportId, eventId);
    throw error;
  }
  await deps.claims.complete(reportId, eventId, eventId);
  return result;
}
