/**
 * A quarter of fly-tipping for the WasteDataFlow return's tests: reports (with and without the
 * reporter's answers), officer records that correct them, cases and actions, on either side of
 * London midnights at the quarter's edges (BST began on 30 March 2025).
 */
import { CaseOpened, ReportLinked } from '#events/cases';
import type { CatalogContract } from '#events/catalog';
import type { DetailOf } from '#events/contract';
import { CaseFileSentToLegal, FixedPenaltyIssued, InterviewUnderCautionHeld, NoticeServed, OperationConducted, TeamActionRecorded, WarningIssued } from '#events/enforcement';
import { FlyTipDetailsRecorded, VEHICLE_SEIZURE, type FlyTipDetails } from '#events/fly-tipping';
import { ReportReceived } from '#events/intake';
import { sampleFor } from '#events/samples';

export interface ScenarioEvent<C extends CatalogContract = CatalogContract> {
  contract: C;
  detail: DetailOf<C>;
}

const event = <C extends CatalogContract>(contract: C, fields: Partial<DetailOf<C>> & { eventId: string; occurredAt: string }): ScenarioEvent =>
  ({ contract, detail: { ...sampleFor(contract), ...fields } as DetailOf<C> }) as ScenarioEvent;

const report = (reportId: string, occurredAt: string, flyTip?: FlyTipDetails, category: DetailOf<typeof ReportReceived>['category'] = 'enviro.fly-tipping') => {
  const { flyTip: _sample, ...base } = sampleFor(ReportReceived);
  return { contract: ReportReceived, detail: { ...base, eventId: `rr-${reportId}`, occurredAt, reportId, reference: `SC-${reportId}`, category, ...(flyTip ? { flyTip } : {}) } } as ScenarioEvent;
};

const officer = (eventId: string, occurredAt: string, reportId: string, reportedAt: string, details: FlyTipDetails) =>
  event(FlyTipDetailsRecorded, { eventId, occurredAt, reportId, reportedAt, reference: `SC-${reportId}`, details });

const onCase = (caseId: string) => ({ caseId, officerId: 'officer-r-okafor' });

export const scenarioEvents: ScenarioEvent[] = [
  // 00:30 BST on 1 April 2025 (23:30 UTC on 31 March): in 2025-Q1; complete from the reporter.
  report('ft-1', '2025-03-31T23:30:00Z', { landType: 'highway', wasteType: 'black-bags-household', size: 'car-boot-or-less' }),
  // 23:30 BST on 31 March 2025: still 2024-Q4, so not in this return.
  report('ft-0', '2025-03-31T22:30:00Z', { landType: 'highway', wasteType: 'green', size: 'single-item' }),
  // The reporter knew only the land type; an officer completed it, then corrected the size.
  report('ft-2', '2025-05-14T09:30:00+01:00', { landType: 'agricultural' }),
  officer('ofr-2a', '2025-05-14T11:00:00+01:00', 'ft-2', '2025-05-14T09:30:00+01:00', { wasteType: 'tyres', size: 'small-van-load' }),
  officer('ofr-2b', '2025-05-15T08:00:00+01:00', 'ft-2', '2025-05-14T09:30:00+01:00', { wasteType: 'tyres', size: 'transit-van-load' }),
  // The officer overrides the reporter's land type.
  report('ft-3', '2025-06-02T18:00:00+01:00', { landType: 'highway', wasteType: 'white-goods', size: 'single-item' }),
  officer('ofr-3', '2025-06-03T09:00:00+01:00', 'ft-3', '2025-06-02T18:00:00+01:00', { landType: 'back-alleyway' }),
  // 23:59 BST on 30 June: the quarter's last minute; nothing known yet.
  report('ft-4', '2025-06-30T22:59:00Z'),
  // 00:00 BST on 1 July: 2025-Q2.
  report('ft-5', '2025-06-30T23:00:00Z', { landType: 'railway', wasteType: 'asbestos', size: 'tipper-lorry-load' }),
  // Reported as waste on land; the officer classifies it as a fly-tip.
  report('ft-6', '2025-04-20T10:00:00+01:00', undefined, 'enviro.waste-on-land'),
  officer('ofr-6', '2025-04-21T10:00:00+01:00', 'ft-6', '2025-04-20T10:00:00+01:00', { landType: 'council-land', wasteType: 'other-household', size: 'car-boot-or-less' }),
  // A report of something else: never an incident.
  report('asb-1', '2025-05-01T12:00:00+01:00', undefined, 'asb.noise'),

  // Cases: one for ft-2, joined by ft-3; one for the noise report.
  event(CaseOpened, { eventId: 'co-1', occurredAt: '2025-05-14T12:00:00+01:00', caseId: 'case-ft-2', reportIds: ['ft-2'] }),
  event(ReportLinked, { eventId: 'rl-1', occurredAt: '2025-06-03T09:30:00+01:00', reportId: 'ft-3', caseId: 'case-ft-2' }),
  event(CaseOpened, { eventId: 'co-2', occurredAt: '2025-05-01T13:00:00+01:00', caseId: 'case-asb-1', kind: 'asb', category: 'asb.noise', reportIds: ['asb-1'] }),

  // Actions on the fly-tip case in the quarter: two visits and an interview are one investigation.
  event(TeamActionRecorded, { eventId: 'ta-1', occurredAt: '2025-05-14T14:00:00+01:00', ...onCase('case-ft-2'), actionType: 'visit' }),
  event(TeamActionRecorded, { eventId: 'ta-2', occurredAt: '2025-05-16T14:00:00+01:00', ...onCase('case-ft-2'), actionType: 'visit' }),
  event(InterviewUnderCautionHeld, { eventId: 'iuc-1', occurredAt: '2025-06-10T10:00:00+01:00', ...onCase('case-ft-2') }),
  event(TeamActionRecorded, { eventId: 'ta-3', occurredAt: '2025-05-20T10:00:00+01:00', ...onCase('case-ft-2'), actionType: 'inspection' }),
  event(TeamActionRecorded, { eventId: 'ta-4', occurredAt: '2025-05-20T11:00:00+01:00', ...onCase('case-ft-2'), actionType: 'call' }),
  event(WarningIssued, { eventId: 'wi-1', occurredAt: '2025-05-21T10:00:00+01:00', ...onCase('case-ft-2'), warningType: 'duty-of-care' }),
  event(WarningIssued, { eventId: 'wi-2', occurredAt: '2025-05-22T10:00:00+01:00', ...onCase('case-ft-2'), warningType: 'verbal' }),
  event(NoticeServed, { eventId: 'ns-1', occurredAt: '2025-05-23T10:00:00+01:00', ...onCase('case-ft-2'), noticeType: 'duty-of-care' }),
  event(FixedPenaltyIssued, { eventId: 'fpn-1', occurredAt: '2025-06-12T10:00:00+01:00', ...onCase('case-ft-2'), offence: 'fly-tipping', amountPence: 40000 }),
  event(CaseFileSentToLegal, { eventId: 'cfl-1', occurredAt: '2025-06-20T10:00:00+01:00', ...onCase('case-ft-2') }),
  event(OperationConducted, { eventId: 'op-1', occurredAt: '2025-06-25T10:00:00+01:00', ...onCase('case-ft-2'), operationType: VEHICLE_SEIZURE }),
  // 00:30 BST on 1 July: an action of the next quarter.
  event(FixedPenaltyIssued, { eventId: 'fpn-2', occurredAt: '2025-06-30T23:30:00Z', ...onCase('case-ft-2'), offence: 'fly-tipping', amountPence: 40000 }),
  // Actions on the noise case do not count.
  event(WarningIssued, { eventId: 'wi-3', occurredAt: '2025-05-02T10:00:00+01:00', ...onCase('case-asb-1'), warningType: 'CPW', complyBy: '2025-06-01' }),
  event(TeamActionRecorded, { eventId: 'ta-5', occurredAt: '2025-05-02T11:00:00+01:00', ...onCase('case-asb-1'), actionType: 'visit' }),
];

/** What the return for 2025-Q1 must say. */
export const expectedQ1 = {
  incidents: {
    total: 4,
    cells: [
      { landType: 'highway', wasteType: 'black-bags-household', size: 'car-boot-or-less', count: 1 },
      { landType: 'back-alleyway', wasteType: 'white-goods', size: 'single-item', count: 1 },
      { landType: 'council-land', wasteType: 'other-household', size: 'car-boot-or-less', count: 1 },
      { landType: 'agricultural', wasteType: 'tyres', size: 'transit-van-load', count: 1 },
    ],
  },
  actions: {
    total: 7,
    byType: {
      investigations: 1,
      'warning-letters': 1,
      'statutory-notices': 1,
      'fixed-penalty-notices': 1,
      'formal-cautions': 0,
      injunctions: 0,
      prosecutions: 1,
      'vehicles-seized': 1,
      'duty-of-care-inspections': 1,
    },
  },
  notYetClassified: { count: 1, incidents: [{ reportId: 'ft-4', reference: 'SC-ft-4', missing: ['landType', 'wasteType', 'size'] }] },
} as const;
