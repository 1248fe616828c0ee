/**
 * Which KPI counters an event moves (contract.md, "KPI identifiers"). Pure: no AWS types. Each
 * counted event moves one or more counters of ONE London calendar day (the day of its
 * `occurredAt`), so the store can apply it with one conditional write; the KPIs are sums of
 * these counters over the days of a range, computed when read (figures.ts).
 */
import type { CaseOpened } from '#events/cases';
import type { CaseReviewDecided, CaseReviewRequested, CaseReviewThresholdAssessed } from '#events/case-review';
import type { EventOf } from '#shared/consumer';
import { WASTE_CARRIER_STOP_SEARCH, type officerActionContracts } from '#events/enforcement';
import { londonDateOf, type IsoDate } from '#shared/london-time';

/**
 * Every counter kept per day. The names are stored (as `c_<name>` attributes): add new ones
 * freely, never rename one without a rebuild.
 */
export const counterNames = [
  /** CaseOpened owned by Safer Communities: the denominator of the housing share. */
  'sc_cases',
  /** … of which referred from Housing. */
  'sc_housing',
  'sc_enviro',
  'sc_asb',
  /** CaseOpened owned by Tenancy Services, by risk category. */
  'ten_A',
  'ten_B',
  'ten_C',
  /** … of which hate-related (NM01's hate measure). */
  'ten_hate',
  'fpn',
  'cpw',
  'cpn',
  /** WarningIssued of type duty-of-care, written or other. */
  'warn_other',
  /** NoticeServed other than a CPN. */
  'notice_other',
  'patrol_minutes',
  'referrals',
  'cr_received',
  'cr_threshold_met',
  'cr_threshold_not_met',
  'cr_decided',
  'cr_upheld',
  'cr_with_recommendations',
  /** Closure orders, not their extensions. */
  'closure_orders',
  'closure_extensions',
  's1_injunctions',
  'interviews',
  'legal_files',
  'stop_search',
  /** Every event from the enforcement source, once. */
  'team_actions',
] as const;
export type CounterName = (typeof counterNames)[number];
export type Counters = Record<CounterName, number>;
export type CounterDeltas = Partial<Counters>;

export const zeroCounters = (): Counters => Object.fromEntries(counterNames.map((n) => [n, 0])) as Counters;

/** The schema versions of each event the mapping below was written for. */
const KNOWN_SCHEMA_VERSION = 1;

/**
 * The counters cannot place this event (a kind, category or type they do not know, or a schema
 * version newer than they understand). It is thrown, so the event is retried and then
 * dead-lettered with this reason, and no counter moves: a redrive after the mapping learns it
 * counts it once.
 */
export class UncountableEventError extends Error {
  override name = 'UncountableEventError';
  constructor(
    readonly detailType: string,
    readonly eventId: string,
    reason: string,
  ) {
    super(`cannot count ${detailType} ${eventId}: ${reason}`);
  }
}

/** The events that move day counters (HousingStockRecorded is stored apart: it is a divisor, not a count). */
export type CountedEvent = EventOf<
  typeof CaseOpened | (typeof officerActionContracts)[number] | typeof CaseReviewRequested | typeof CaseReviewThresholdAssessed | typeof CaseReviewDecided
>;

/** What one event does to the counters: the London day it belongs to, and the amounts to add. */
export interface CountedEffect {
  readonly day: IsoDate;
  readonly deltas: CounterDeltas;
}

const unknownValue = (event: CountedEvent, field: string, value: unknown): never => {
  throw new UncountableEventError(event.detailType, event.detail.eventId, `unknown ${field} "${String(value)}"`);
};

function caseOpened(event: Extract<CountedEvent, { detailType: 'CaseOpened' }>): CounterDeltas {
  const d = event.detail;
  if (d.owner === 'tenancy-services') {
    const risk = d.riskCategory;
    if (risk !== 'A' && risk !== 'B' && risk !== 'C') return unknownValue(event, 'riskCategory', risk);
    return { [`ten_${risk}`]: 1, ...(d.hateRelated ? { ten_hate: 1 } : {}) };
  }
  if (d.owner !== 'safer-communities') return unknownValue(event, 'owner', d.owner);
  const kind: CounterDeltas =
    d.kind === 'asb' ? { sc_asb: 1 } : d.kind === 'enviro' ? { sc_enviro: 1 } : d.kind === 'tenancy' ? {} : unknownValue(event, 'kind', d.kind);
  return { sc_cases: 1, ...kind, ...(d.referredFrom === 'housing' ? { sc_housing: 1 } : {}) };
}

/** The enforcement counters besides "total team actions", which every enforcement event moves. */
function enforcement(event: Extract<CountedEvent, { source: 'safer-communities.enforcement' }>): CounterDeltas {
  switch (event.detailType) {
    case 'WarningIssued': {
      const type = event.detail.warningType;
      switch (type) {
        case 'CPW':
          return { cpw: 1 };
        case 'duty-of-care':
        case 'written':
        case 'other':
          return { warn_other: 1 };
        case 'ABC':
        case 'verbal':
          return {};
        default:
          return unknownValue(event, 'warningType', type satisfies never);
      }
    }
    case 'NoticeServed': {
      const type = event.detail.noticeType;
      switch (type) {
        case 'CPN':
          return { cpn: 1 };
        case 's47-epa':
        case 'pdpa-s4':
        case 'duty-of-care':
        case 'other':
          return { notice_other: 1 };
        default:
          return unknownValue(event, 'noticeType', type satisfies never);
      }
    }
    case 'FixedPenaltyIssued':
      return { fpn: 1 };
    case 'CourtOrderObtained': {
      const type = event.detail.orderType;
      switch (type) {
        case 'closure-order':
          return { closure_orders: 1 };
        case 'closure-order-extension':
          return { closure_extensions: 1 };
        case 's1-injunction':
          return { s1_injunctions: 1 };
        default:
          return unknownValue(event, 'orderType', type satisfies never);
      }
    }
    case 'InterviewUnderCautionHeld':
      return { interviews: 1 };
    case 'CaseFileSentToLegal':
      return { legal_files: 1 };
    case 'OperationConducted':
      // Other operation types are team actions only; the code list is open by contract.
      return event.detail.operationType === WASTE_CARRIER_STOP_SEARCH ? { stop_search: 1 } : {};
    case 'PatrolLogged':
      return { patrol_minutes: event.detail.minutes };
    case 'ReferralMade':
      return { referrals: 1 };
    case 'TeamActionRecorded':
    // The statutory steps added since contract.md (docs/enforcement.md) have no KPI id of their
    // own; like every event from the enforcement source they count once in total team actions.
    case 'CpnAppealLodged':
    case 'CpnAppealDetermined':
    case 'ClosureNoticeServed':
    case 'ClosureNoticeExtended':
      return {};
    default:
      return unknownValue(event, 'detail-type', (event satisfies never as CountedEvent).detailType);
  }
}

function caseReview(event: Extract<CountedEvent, { source: 'safer-communities.case-review' }>): CounterDeltas {
  switch (event.detailType) {
    case 'CaseReviewRequested':
      return { cr_received: 1 };
    case 'CaseReviewThresholdAssessed': {
      const met = event.detail.met ? 'cr_threshold_met' : 'cr_threshold_not_met';
      // An officer's override moves the count from the outcome it replaces to its own.
      const replaced = event.detail.supersedes ? (event.detail.supersedes.met ? 'cr_threshold_met' : 'cr_threshold_not_met') : undefined;
      return replaced && replaced !== met ? { [met]: 1, [replaced]: -1 } : { [met]: 1 };
    }
    case 'CaseReviewDecided':
      return {
        cr_decided: 1,
        ...(event.detail.upheld ? { cr_upheld: 1 } : {}),
        ...(event.detail.recommendations.length > 0 ? { cr_with_recommendations: 1 } : {}),
      };
    default:
      return unknownValue(event, 'detail-type', (event satisfies never as CountedEvent).detailType);
  }
}

/**
 * The instant whose London day an event is counted on: when it happened, except an override of
 * a Case Review threshold, which corrects the count on the day of the first assessment.
 */
function countedAt(event: CountedEvent): string {
  if (event.detailType === 'CaseReviewThresholdAssessed' && event.detail.supersedes) return event.detail.supersedes.assessedAt;
  return event.detail.occurredAt;
}

/**
 * The day and counters an event moves. Every counted event moves at least one counter (the
 * store records its id with that move). Throws {@link UncountableEventError} for anything the
 * mapping does not know, before anything is written.
 */
export function countersFor(event: CountedEvent): CountedEffect {
  const { detail } = event;
  if (detail.schemaVersion !== KNOWN_SCHEMA_VERSION) {
    throw new UncountableEventError(event.detailType, detail.eventId, `schemaVersion ${detail.schemaVersion} is not one the KPI counters know (they know ${KNOWN_SCHEMA_VERSION})`);
  }
  let deltas: CounterDeltas;
  switch (event.source) {
    case 'safer-communities.cases':
      deltas = caseOpened(event);
      break;
    case 'safer-communities.enforcement':
      deltas = { ...enforcement(event), team_actions: 1 };
      break;
    case 'safer-communities.case-review':
      deltas = caseReview(event);
      break;
    default:
      return unknownValue(event, 'source', (event satisfies never as CountedEvent).source);
  }
  const moved = Object.entries(deltas).filter(([, v]) => v !== 0);
  if (moved.length === 0) throw new UncountableEventError(event.detailType, detail.eventId, 'it moves no counter');
  return { day: londonDateOf(countedAt(event)), deltas: Object.fromEntries(moved) as CounterDeltas };
}

/** Adds counters (for summing days). */
export function addCounters(into: Counters, more: Partial<Counters>): Counters {
  for (const name of counterNames) into[name] += more[name] ?? 0;
  return into;
}
