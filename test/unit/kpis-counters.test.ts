import { describe, expect, it } from 'vitest';
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
import { countersFor, UncountableEventError, type CountedEvent } from '../../functions/kpis/counters.ts';
import { idDigestOf, shardOf, DAY_SHARDS } from '../../functions/kpis/counter-store.ts';
import { kpiEvent } from '../support/kpi-events.ts';

const at = '2024-05-14T11:02:00+01:00';
const counted = (event: ReturnType<typeof kpiEvent>) => countersFor(event as CountedEvent);

describe('unit: KPI counter mapping', () => {
  it.each([
    ['an enviro case owned by Safer Communities', { kind: 'enviro', referredFrom: 'public' }, { sc_cases: 1, sc_enviro: 1 }],
    ['an ASB case referred from Housing', { kind: 'asb', category: 'asb.noise', referredFrom: 'housing' }, { sc_cases: 1, sc_asb: 1, sc_housing: 1 }],
    ['a tenancy-kind case Safer Communities own', { kind: 'tenancy', category: 'asb.neighbour', referredFrom: 'internal' }, { sc_cases: 1 }],
  ] as const)('counts %s when a CaseOpened arrives', (_, fields, expected) => {
    expect(counted(kpiEvent(CaseOpened, { eventId: 'e1', occurredAt: at, owner: 'safer-communities', ...fields })).deltas).toEqual(expected);
  });

  it.each([
    ['A', true, { ten_A: 1, ten_hate: 1 }],
    ['B', false, { ten_B: 1 }],
    ['C', false, { ten_C: 1 }],
  ] as const)('counts a Tenancy Services case under risk %s (hate-related: %s) when it opens', (riskCategory, hateRelated, expected) => {
    const event = kpiEvent(CaseOpened, { eventId: 'e1', occurredAt: at, kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.asb', riskCategory, hateRelated, referredFrom: 'housing' });
    expect(counted(event).deltas).toEqual(expected);
  });

  it.each([
    ['a CPW', kpiEvent(WarningIssued, { eventId: 'e', occurredAt: at, warningType: 'CPW' }), { cpw: 1 }],
    ['a written warning', kpiEvent(WarningIssued, { eventId: 'e', occurredAt: at, warningType: 'written' }), { warn_other: 1 }],
    ['a duty-of-care warning', kpiEvent(WarningIssued, { eventId: 'e', occurredAt: at, warningType: 'duty-of-care' }), { warn_other: 1 }],
    ['an other warning', kpiEvent(WarningIssued, { eventId: 'e', occurredAt: at, warningType: 'other' }), { warn_other: 1 }],
    ['an ABC', kpiEvent(WarningIssued, { eventId: 'e', occurredAt: at, warningType: 'ABC' }), {}],
    ['a verbal warning', kpiEvent(WarningIssued, { eventId: 'e', occurredAt: at, warningType: 'verbal' }), {}],
    ['a CPN', kpiEvent(NoticeServed, { eventId: 'e', occurredAt: at, noticeType: 'CPN' }), { cpn: 1 }],
    ['a s.47 EPA notice', kpiEvent(NoticeServed, { eventId: 'e', occurredAt: at, noticeType: 's47-epa' }), { notice_other: 1 }],
    ['a s.4 PDPA notice', kpiEvent(NoticeServed, { eventId: 'e', occurredAt: at, noticeType: 'pdpa-s4' }), { notice_other: 1 }],
    ['a duty-of-care notice', kpiEvent(NoticeServed, { eventId: 'e', occurredAt: at, noticeType: 'duty-of-care' }), { notice_other: 1 }],
    ['an FPN', kpiEvent(FixedPenaltyIssued, { eventId: 'e', occurredAt: at }), { fpn: 1 }],
    ['a closure order', kpiEvent(CourtOrderObtained, { eventId: 'e', occurredAt: at, orderType: 'closure-order' }), { closure_orders: 1 }],
    ['a closure order extension', kpiEvent(CourtOrderObtained, { eventId: 'e', occurredAt: at, orderType: 'closure-order-extension' }), { closure_extensions: 1 }],
    ['a s.1 injunction', kpiEvent(CourtOrderObtained, { eventId: 'e', occurredAt: at, orderType: 's1-injunction' }), { s1_injunctions: 1 }],
    ['an interview under caution', kpiEvent(InterviewUnderCautionHeld, { eventId: 'e', occurredAt: at }), { interviews: 1 }],
    ['a case file to legal', kpiEvent(CaseFileSentToLegal, { eventId: 'e', occurredAt: at }), { legal_files: 1 }],
    ['a waste-carrier stop-and-search', kpiEvent(OperationConducted, { eventId: 'e', occurredAt: at }), { stop_search: 1 }],
    ['another operation', kpiEvent(OperationConducted, { eventId: 'e', occurredAt: at, operationType: 'test-purchase' }), {}],
    ['a patrol of 150 minutes', kpiEvent(PatrolLogged, { eventId: 'e', occurredAt: at }), { patrol_minutes: 150 }],
    ['a referral', kpiEvent(ReferralMade, { eventId: 'e', occurredAt: at }), { referrals: 1 }],
    ['a visit', kpiEvent(TeamActionRecorded, { eventId: 'e', occurredAt: at }), {}],
    ['a CPN appeal lodged', kpiEvent(CpnAppealLodged, { eventId: 'e', occurredAt: at }), {}],
    ['a CPN appeal determined', kpiEvent(CpnAppealDetermined, { eventId: 'e', occurredAt: at }), {}],
    ['a closure notice', kpiEvent(ClosureNoticeServed, { eventId: 'e', occurredAt: at }), {}],
    ['a closure notice extended', kpiEvent(ClosureNoticeExtended, { eventId: 'e', occurredAt: at }), {}],
  ])('counts %s once in total team actions and in its own row when it is recorded', (_, event, own) => {
    expect(counted(event).deltas).toEqual({ ...own, team_actions: 1 });
  });

  it.each([
    ['a request', kpiEvent(CaseReviewRequested, { eventId: 'e', occurredAt: at }), { cr_received: 1 }],
    ['a threshold met', kpiEvent(CaseReviewThresholdAssessed, { eventId: 'e', occurredAt: at, met: true }), { cr_threshold_met: 1 }],
    ['a threshold not met', kpiEvent(CaseReviewThresholdAssessed, { eventId: 'e', occurredAt: at, met: false }), { cr_threshold_not_met: 1 }],
    ['an upheld review with recommendations', kpiEvent(CaseReviewDecided, { eventId: 'e', occurredAt: at }), { cr_decided: 1, cr_upheld: 1, cr_with_recommendations: 1 }],
    ['a review not upheld, no recommendations', kpiEvent(CaseReviewDecided, { eventId: 'e', occurredAt: at, upheld: false, recommendations: [] }), { cr_decided: 1 }],
  ])('counts %s when the case review event arrives', (_, event, expected) => {
    expect(counted(event).deltas).toEqual(expected);
  });

  it.each([
    ['2024-03-31T00:30:00Z', '2024-03-31'], // GMT until 01:00 UTC on the day the clocks go forward
    ['2024-06-30T23:30:00Z', '2024-07-01'], // BST: 00:30 on 1 July in London
    ['2024-06-30T23:59:59+01:00', '2024-06-30'],
    ['2023-10-28T23:30:00Z', '2023-10-29'], // BST until 01:00 UTC on 29 October 2023
    ['2023-10-29T23:30:00Z', '2023-10-29'], // GMT again
    ['2024-01-01T00:00:00+00:00', '2024-01-01'],
  ])('puts an event that occurred at %s on London day %s when it is counted', (occurredAt, day) => {
    expect(counted(kpiEvent(TeamActionRecorded, { eventId: 'e', occurredAt })).day).toBe(day);
  });

  it('refuses an event whose schemaVersion the counters do not know, naming the reason', () => {
    const detail = { ...sampleFor(FixedPenaltyIssued), schemaVersion: 2 };
    const event = { source: FixedPenaltyIssued.source, detailType: FixedPenaltyIssued.detailType, detail } as CountedEvent;
    expect(() => countersFor(event)).toThrow(UncountableEventError);
    expect(() => countersFor(event)).toThrow(/schemaVersion 2/);
  });

  it('refuses a value outside the contract when one reaches the mapping unparsed', () => {
    const warning = { source: WarningIssued.source, detailType: 'WarningIssued', detail: { ...sampleFor(WarningIssued), warningType: 'caution' } } as unknown as CountedEvent;
    expect(() => countersFor(warning)).toThrow(/unknown warningType "caution"/);
    const opened = { source: CaseOpened.source, detailType: 'CaseOpened', detail: { ...sampleFor(CaseOpened), kind: 'noise' } } as unknown as CountedEvent;
    expect(() => countersFor(opened)).toThrow(/unknown kind "noise"/);
    const tenancy = {
      source: CaseOpened.source,
      detailType: 'CaseOpened',
      detail: { ...sampleFor(CaseOpened), owner: 'tenancy-services', riskCategory: 'D' },
    } as unknown as CountedEvent;
    expect(() => countersFor(tenancy)).toThrow(/unknown riskCategory "D"/);
  });
});

describe('unit: KPI day shards', () => {
  it('spreads event ids over every shard and gives each a 16-character digest whatever its length', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `evt-${i}`);
    const shards = new Set(ids.map(shardOf));
    expect([...shards].sort()).toEqual(Array.from({ length: DAY_SHARDS }, (_, i) => i));
    expect(new Set(ids.map(idDigestOf)).size).toBe(ids.length);
    expect(idDigestOf('x'.repeat(128))).toHaveLength(16);
    expect(idDigestOf('01HXQ7A0GQ3M8D2E5F6H7J8K9L')).toBe(idDigestOf('01HXQ7A0GQ3M8D2E5F6H7J8K9L'));
  });
});
