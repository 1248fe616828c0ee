/**
 * KPI test events made from the contract samples (events/samples.ts), and the event streams
 * that reproduce the council's published figures (domain.md): the enforcement table for the
 * October–September years 2022/23 and 2023/24, and the Tenancy Services quarter table.
 */
import { CaseOpened } from '#events/cases';
import { CaseReviewDecided, CaseReviewRequested, CaseReviewThresholdAssessed } from '#events/case-review';
import {
  CaseFileSentToLegal,
  ClosureNoticeExtended,
  ClosureNoticeServed,
  CourtOrderObtained,
  CpnAppealDetermined,
  CpnAppealLodged,
  FixedPenaltyIssued,
  InterviewUnderCautionHeld,
  NoticeServed,
  OperationConducted,
  PatrolLogged,
  ReferralMade,
  TeamActionRecorded,
  WarningIssued,
} from '#events/enforcement';
import { sampleFor } from '#events/samples';
import { HousingStockRecorded } from '#events/tenancy';
import type { CatalogContract } from '#events/catalog';
import type { DetailOf } from '#events/contract';
import type { KpiEvent } from '../../functions/kpis/count-event.ts';

export type KpiContract =
  | typeof CaseOpened
  | typeof WarningIssued
  | typeof NoticeServed
  | typeof FixedPenaltyIssued
  | typeof CourtOrderObtained
  | typeof InterviewUnderCautionHeld
  | typeof CaseFileSentToLegal
  | typeof OperationConducted
  | typeof PatrolLogged
  | typeof ReferralMade
  | typeof TeamActionRecorded
  | typeof CpnAppealLodged
  | typeof CpnAppealDetermined
  | typeof ClosureNoticeServed
  | typeof ClosureNoticeExtended
  | typeof CaseReviewRequested
  | typeof CaseReviewThresholdAssessed
  | typeof CaseReviewDecided
  | typeof HousingStockRecorded;

/** An event as a consumer sees it: the sample for its contract with the fields given, parsed by the contract. */
export function kpiEvent<C extends KpiContract>(contract: C, fields: Partial<DetailOf<C>> & { eventId: string; occurredAt: string }): KpiEvent {
  const detail = contract.detail.parse({ ...sampleFor(contract as C & CatalogContract), ...fields });
  return { source: contract.source, detailType: contract.detailType, detail } as KpiEvent;
}

/** The EventBridge envelope around an event, for a consumer invoked directly. */
export const envelopeOf = (event: { source: string; detailType: string; detail: unknown }, id = crypto.randomUUID()) => ({
  version: '0',
  id,
  'detail-type': event.detailType,
  source: event.source,
  account: '000000000000',
  time: '2024-05-14T08:30:00Z',
  region: 'eu-west-2',
  resources: [],
  detail: event.detail,
});

/** Spreads n events over the days of a range, deterministically (day i × a prime step). */
function spread(n: number, from: string, days: number, salt: number): string[] {
  const start = Date.parse(`${from}T12:00:00Z`);
  return Array.from({ length: n }, (_, i) => {
    const day = (i * 37 + salt * 11) % days;
    const minutes = (i * 53 + salt * 7) % 600; // between 07:00 and 17:00 UTC: inside the London day in either season
    return new Date(start + day * 86_400_000 - 5 * 3_600_000 + minutes * 60_000).toISOString();
  });
}

export interface CommitteeYear {
  readonly from: string;
  readonly to: string;
  readonly closure: number;
  readonly s1: number;
  readonly cpw: number;
  readonly cpn: number;
  readonly otherNotices: number;
  readonly interviews: number;
  readonly fpn: number;
  readonly legal: number;
  readonly stopSearch: number;
  readonly total: number;
}

/** The enforcement table (domain.md; years are October to September). */
export const committeeYears: readonly CommitteeYear[] = [
  { from: '2022-10-01', to: '2023-09-30', closure: 1, s1: 1, cpw: 58, cpn: 19, otherNotices: 5, interviews: 14, fpn: 10, legal: 0, stopSearch: 0, total: 2606 },
  { from: '2023-10-01', to: '2024-09-30', closure: 1, s1: 1, cpw: 40, cpn: 18, otherNotices: 5, interviews: 35, fpn: 15, legal: 6, stopSearch: 1, total: 4364 },
];

const otherNoticeTypes = ['s47-epa', 'pdpa-s4', 'duty-of-care', 'other', 's47-epa'] as const;

/**
 * Every enforcement event of one committee year, with the rows of the table and the rest of the
 * team's recorded actions (visits, calls, ABCs, verbal warnings, patrols, referrals, a closure
 * order extension, another kind of operation) making up the total. Some fall on the year's
 * first and last London minutes, written in UTC across the BST boundary.
 */
export function committeeYearEvents(year: CommitteeYear, tag: string): KpiEvent[] {
  const days = Math.round((Date.parse(year.to) - Date.parse(year.from)) / 86_400_000) + 1;
  const events: KpiEvent[] = [];
  let n = 0;
  const add = <C extends KpiContract>(contract: C, count: number, fields: (i: number) => Partial<DetailOf<C>>) => {
    const times = spread(count, year.from, days, n);
    for (let i = 0; i < count; i += 1) {
      events.push(kpiEvent(contract, { eventId: `${tag}-${contract.detailType}-${i}`, occurredAt: times[i] ?? '', ...fields(i) } as never));
      n += 1;
    }
  };
  add(CourtOrderObtained, year.closure, () => ({ orderType: 'closure-order' as const }));
  add(CourtOrderObtained, 1, () => ({ orderType: 'closure-order-extension' as const, eventId: `${tag}-extension` }));
  add(CourtOrderObtained, year.s1, () => ({ orderType: 's1-injunction' as const, eventId: `${tag}-s1` }));
  add(WarningIssued, year.cpw, () => ({ warningType: 'CPW' as const, complyBy: '2030-01-01' }));
  add(NoticeServed, year.cpn, () => ({ noticeType: 'CPN' as const }));
  add(NoticeServed, year.otherNotices, (i) => ({ noticeType: otherNoticeTypes[i % otherNoticeTypes.length], eventId: `${tag}-notice-other-${i}` }));
  add(InterviewUnderCautionHeld, year.interviews, () => ({}));
  add(FixedPenaltyIssued, year.fpn, () => ({}));
  add(CaseFileSentToLegal, year.legal, () => ({}));
  add(OperationConducted, year.stopSearch, () => ({ operationType: 'waste-carrier-stop-search' }));
  add(OperationConducted, 2, (i) => ({ operationType: 'test-purchase', eventId: `${tag}-operation-${i}` }));
  add(WarningIssued, 12, (i) => ({ warningType: i % 2 ? ('ABC' as const) : ('verbal' as const), complyBy: undefined, eventId: `${tag}-warning-minor-${i}` }));
  add(WarningIssued, 9, (i) => ({ warningType: (['written', 'duty-of-care', 'other'] as const)[i % 3], complyBy: undefined, eventId: `${tag}-warning-other-${i}` }));
  add(PatrolLogged, 40, (i) => ({ minutes: 30 + (i % 5) * 15 }));
  add(ReferralMade, 25, (i) => ({ internal: i % 2 === 0 }));
  const rest = year.total - n;
  add(TeamActionRecorded, rest, (i) => ({ actionType: (['visit', 'call', 'letter', 'email', 'meeting', 'inspection', 'other'] as const)[i % 7] }));
  // The year's first and last London minutes, written in UTC: BST in both October and September.
  const first = events.find((e) => e.detailType === 'TeamActionRecorded');
  const last = events.findLast((e) => e.detailType === 'TeamActionRecorded');
  if (first) (first.detail as { occurredAt: string }).occurredAt = new Date(Date.parse(`${year.from}T00:00:30+01:00`)).toISOString();
  if (last) (last.detail as { occurredAt: string }).occurredAt = new Date(Date.parse(`${year.to}T23:59:30+01:00`)).toISOString();
  return events;
}

/** Events just outside both years: a minute before 1 October 2022 and a minute into 1 October 2024 (London). */
export function outsideCommitteeYears(tag: string): KpiEvent[] {
  return [
    kpiEvent(WarningIssued, { eventId: `${tag}-before`, occurredAt: '2022-09-30T22:59:00Z', warningType: 'CPW', complyBy: '2022-10-30' }),
    kpiEvent(NoticeServed, { eventId: `${tag}-after`, occurredAt: '2024-09-30T23:01:00Z', noticeType: 'CPN' }),
  ];
}

/** Tenancy Services cases opened in one financial year (domain.md; Q1 = April–June). */
export const tenancyQuarters = {
  A: [3, 4, 0, 3],
  B: [5, 3, 8, 8],
  C: [16, 9, 23, 24],
} as const;

/**
 * The quarter table's cases for financial year 2023-24. Quarter starts are given as instants
 * just after London midnight and quarter ends just before, in UTC where the clock differs:
 * 1 July 00:30 BST is 30 June 23:30 UTC, and 31 March 2024 is the day the clocks go forward.
 */
export function tenancyYearEvents(tag: string): KpiEvent[] {
  const quarterStarts = ['2023-04-01', '2023-07-01', '2023-10-01', '2024-01-01'];
  const events: KpiEvent[] = [];
  for (const risk of ['A', 'B', 'C'] as const) {
    tenancyQuarters[risk].forEach((count, q) => {
      for (let i = 0; i < count; i += 1) {
        const start = Date.parse(`${quarterStarts[q]}T00:00:00Z`);
        // i = 0: the quarter's first London minutes; i = 1: its last day; the rest inside it.
        const occurredAt =
          i === 0
            ? { 0: '2023-03-31T23:30:00Z', 1: '2023-06-30T23:30:00Z', 2: '2023-09-30T23:10:00Z', 3: '2024-01-01T00:05:00Z' }[q]
            : i === 1
              ? { 0: '2023-06-30T22:59:00Z', 1: '2023-09-30T22:45:00Z', 2: '2023-12-31T23:59:00Z', 3: '2024-03-31T22:59:00Z' }[q]
              : new Date(start + ((i * 7) % 80) * 86_400_000 + 14 * 3_600_000).toISOString();
        events.push(
          kpiEvent(CaseOpened, {
            eventId: `${tag}-ten-${risk}-${q}-${i}`,
            occurredAt: occurredAt ?? '',
            caseId: `${tag}-t-${risk}${q}${i}`,
            kind: 'tenancy',
            owner: 'tenancy-services',
            category: 'tenancy.asb',
            riskCategory: risk,
            hateRelated: risk === 'A' && i % 2 === 0,
            referredFrom: 'housing',
          }),
        );
      }
    });
  }
  return events;
}

/** Cases just outside financial year 2023-24 (1 April 2024 00:30 BST; 31 March 2023 23:30 BST). */
export function outsideTenancyYear(tag: string): KpiEvent[] {
  const base = { kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.asb', riskCategory: 'A', hateRelated: false, referredFrom: 'housing' } as const;
  return [
    kpiEvent(CaseOpened, { ...base, eventId: `${tag}-ten-after`, occurredAt: '2024-03-31T23:30:00Z', caseId: `${tag}-after` }),
    kpiEvent(CaseOpened, { ...base, eventId: `${tag}-ten-before`, occurredAt: '2023-03-31T22:30:00Z', caseId: `${tag}-before` }),
  ];
}

/** A deterministic shuffle (Fisher–Yates on a seeded LCG), so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Every event, some delivered again (every k-th up to four more times), shuffled. */
export function withDuplicates<T>(items: readonly T[], every: number, seed: number): T[] {
  const extra = items.flatMap((item, i) => (i % every === 0 ? Array.from({ length: 1 + (i % 4) }, () => item) : []));
  return shuffled([...items, ...extra], seed);
}
