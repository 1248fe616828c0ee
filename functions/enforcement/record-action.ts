import { enforcementContractFor, enforcementContracts } from '#events/catalog';
import { ENFORCEMENT_SOURCE } from '#events/enforcement';
import type { PublishEntry } from '#events/put';
import type { Principal } from '#shared/auth';
import { detailsFromZod, NotFoundError, RuleViolationError, ValidationError } from '#shared/errors';
import { londonDateOf } from '#shared/london-time';
import { canWorkOnCase, type CaseView, type TimelineEntry } from '../cases/case-model.ts';
import { defaultTariff, type FpnTariff } from './fpn-tariff.ts';
import { checkLadder, fpnAmount, type RecordedAction } from './ladder.ts';

/** Fields the service sets on every event; a caller may not choose them. */
const ENVELOPE_FIELDS = ['eventId', 'schemaVersion', 'actor'] as const;
/** Clocks drift: an occurredAt up to this far ahead is taken as now-ish, further is refused. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export interface CaseForAction {
  view?: CaseView;
  timeline: readonly TimelineEntry[];
}

export interface RecordDeps {
  loadCase: (caseId: string) => Promise<CaseForAction>;
  publish: (entry: PublishEntry) => Promise<void>;
  newId: () => string;
  now?: () => Date;
  tariff?: FpnTariff;
}

export interface RecordResult {
  eventId: string;
  detailType: string;
  occurredAt: string;
  /** For a fixed penalty: the amount recorded and the early-payment amount, from the tariff. */
  amountPence?: number;
  earlyPaymentPence?: number;
}

/** The case's enforcement events as the ladder rules read them. */
export function historyOf(timeline: readonly TimelineEntry[]): RecordedAction[] {
  return timeline.flatMap((entry) => {
    if (entry.source !== ENFORCEMENT_SOURCE) return [];
    const contract = enforcementContractFor(entry.detailType);
    if (!contract) return [];
    const { source: _s, detailType: _d, ...detail } = entry;
    const parsed = contract.detail.safeParse({ ...detail, schemaVersion: contract.version });
    return parsed.success ? [{ detailType: contract.detailType, detail: parsed.data } as RecordedAction] : [];
  });
}

const invalid = (path: string, message: string) => new ValidationError('the action could not be recorded: correct the fields listed', [{ path, message }]);

/**
 * An officer records an action (JSON `{ detailType, ...fields }`):
 * 1. the body becomes an event detail: the service sets eventId, actor and schemaVersion,
 *    occurredAt defaults to now, officerId to the caller, caseId comes from the path;
 * 2. a fixed penalty without an amount takes the tariff's amount for the offence on that date;
 * 3. the detail is checked against the event's contract;
 * 4. on a case: the case must be one the caller works on, and open; its timeline is read once;
 * 5. the ladder rules are checked against the case's earlier actions;
 * 6. the event is put.
 */
export async function recordAction(input: { body: unknown; caseId?: string; principal: Principal }, deps: RecordDeps): Promise<RecordResult> {
  const { body, caseId, principal } = input;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('(body)', 'send a JSON object: { "detailType": …, …fields }');
  const { detailType, ...fields } = body as Record<string, unknown>;
  const contract = typeof detailType === 'string' ? enforcementContractFor(detailType) : undefined;
  if (!contract) {
    throw invalid('detailType', `detailType must be one of ${enforcementContracts.map((c) => c.detailType).join(', ')}`);
  }
  for (const field of ENVELOPE_FIELDS) if (field in fields) throw invalid(field, `${field} is set by the service; leave it out`);
  if (caseId === undefined && fields.caseId !== undefined) throw invalid('caseId', 'record an action on a case with POST /cases/{caseId}/actions');
  if (caseId !== undefined && fields.caseId !== undefined && fields.caseId !== caseId) throw invalid('caseId', `the case in the body (${String(fields.caseId)}) is not the case in the path (${caseId})`);
  // The officer is whoever is signed in: an action is recorded by the officer who took it.
  if (fields.officerId !== undefined && fields.officerId !== principal.subject) throw invalid('officerId', 'officerId is the signed-in officer; leave it out, or have the officer who took the action record it');

  const now = (deps.now ?? (() => new Date()))();
  const tariff = deps.tariff ?? defaultTariff;
  const occurredAt = fields.occurredAt ?? now.toISOString();
  const candidate: Record<string, unknown> = {
    ...fields,
    eventId: deps.newId(),
    occurredAt,
    schemaVersion: contract.version,
    actor: { kind: 'officer', id: principal.subject },
    officerId: principal.subject,
    ...(caseId !== undefined ? { caseId } : {}),
  };
  const when = typeof occurredAt === 'string' ? new Date(occurredAt) : undefined;
  const validWhen = when && !Number.isNaN(when.getTime()) ? when : undefined;
  if (contract.detailType === 'FixedPenaltyIssued' && candidate.amountPence === undefined && typeof candidate.offence === 'string' && validWhen) {
    candidate.amountPence = fpnAmount(candidate.offence, londonDateOf(validWhen), tariff).amountPence;
  }
  const parsed = contract.detail.safeParse(candidate);
  if (!parsed.success) throw new ValidationError('the action could not be recorded: correct the fields listed', detailsFromZod(parsed.error.issues));
  if (validWhen && validWhen.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new RuleViolationError('occurred-in-future', 'An action can be recorded once it has happened: occurredAt is in the future.');
  }
  const action = { detailType: contract.detailType, detail: parsed.data } as RecordedAction;

  let history: RecordedAction[] = [];
  if (caseId !== undefined) {
    const stored = await deps.loadCase(caseId);
    if (!stored.view || !canWorkOnCase(principal, stored.view)) throw new NotFoundError(`there is no case ${caseId}`);
    if (stored.view.status !== 'open') throw new RuleViolationError('case-closed', `Case ${caseId} is closed; actions are recorded on open cases.`);
    history = historyOf(stored.timeline);
  }
  checkLadder(action, { history, tariff });

  await deps.publish({ contract, detail: parsed.data } as PublishEntry);
  const result: RecordResult = { eventId: action.detail.eventId, detailType: action.detailType, occurredAt: action.detail.occurredAt };
  if (action.detailType === 'FixedPenaltyIssued') {
    const entry = fpnAmount(action.detail.offence, londonDateOf(action.detail.occurredAt), tariff);
    return { ...result, amountPence: action.detail.amountPence, earlyPaymentPence: entry.earlyPaymentPence };
  }
  return result;
}
