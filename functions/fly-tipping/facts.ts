/**
 * What the fly-tipping projection keeps of each event it consumes, as plain facts. Each fact
 * is keyed by what it is about (a report, a case, an action's eventId), so applying one twice
 * changes nothing and the facts join at read time whatever order they arrived in.
 */
import { VEHICLE_SEIZURE, type FlyTipDetails } from '#events/fly-tipping';
import type { EventOf } from '#shared/consumer';
import type { ContractsOf } from '#shared/wiring';
import type { flyTipProjector } from './capability.ts';
import { quarterOf } from './quarters.ts';

export type ProjectedEvent = EventOf<ContractsOf<typeof flyTipProjector>>;

/**
 * The enforcement actions WasteDataFlow asks for, in the order of the return
 * (docs/wastedataflow.md says where each comes from and which we could verify).
 */
export const wdfActionLabels = {
  investigations: 'Investigations',
  'warning-letters': 'Warning letters',
  'statutory-notices': 'Statutory notices',
  'fixed-penalty-notices': 'Fixed penalty notices',
  'formal-cautions': 'Formal cautions',
  injunctions: 'Injunctions',
  prosecutions: 'Prosecutions',
  'vehicles-seized': 'Vehicles seized',
  'duty-of-care-inspections': 'Duty of care inspections',
} as const;
export type WdfAction = keyof typeof wdfActionLabels;
export const wdfActions = Object.keys(wdfActionLabels) as WdfAction[];

/** The officer's record that wins: the latest by occurredAt (as a UTC instant), then eventId. */
export interface OfficerRecord {
  readonly details: FlyTipDetails;
  /** `<UTC instant>#<eventId>`: compared as text, the later record sorts last. */
  readonly key: string;
  readonly officerId: string;
}

export type Fact =
  /** A report the public (or a channel) filed as fly-tipping, with what the reporter could say. */
  | { kind: 'public'; reportId: string; quarter: string; reportedAt: string; reference?: string; details: FlyTipDetails }
  | { kind: 'officer'; reportId: string; quarter: string; reportedAt: string; reference?: string; record: OfficerRecord }
  /** Reports a case deals with (CaseOpened, ReportLinked), for any case: the case may be a fly-tip's. */
  | { kind: 'case-reports'; caseId: string; reportIds: readonly string[] }
  /** An enforcement action on a case that WasteDataFlow counts, in the quarter it was taken. */
  | { kind: 'action'; eventId: string; caseId: string; quarter: string; action: WdfAction };

/** How the system's enforcement events count in WasteDataFlow; undefined where they do not. */
export function wdfActionOf(event: ProjectedEvent): WdfAction | undefined {
  switch (event.detailType) {
    case 'TeamActionRecorded':
      return event.detail.actionType === 'visit' ? 'investigations' : event.detail.actionType === 'inspection' ? 'duty-of-care-inspections' : undefined;
    case 'InterviewUnderCautionHeld':
      return 'investigations';
    case 'WarningIssued':
      return ['written', 'CPW', 'duty-of-care'].includes(event.detail.warningType) ? 'warning-letters' : undefined;
    case 'NoticeServed':
      return 'statutory-notices';
    case 'FixedPenaltyIssued':
      return 'fixed-penalty-notices';
    case 'CourtOrderObtained':
      return event.detail.orderType === 's1-injunction' ? 'injunctions' : undefined;
    case 'CaseFileSentToLegal':
      return 'prosecutions';
    case 'OperationConducted':
      return event.detail.operationType === VEHICLE_SEIZURE ? 'vehicles-seized' : undefined;
    default:
      return undefined;
  }
}

const utcKey = (occurredAt: string, eventId: string) => `${new Date(occurredAt).toISOString()}#${eventId}`;

/** The facts an event gives; most events give none. */
export function factsOf(event: ProjectedEvent): Fact[] {
  switch (event.detailType) {
    case 'ReportReceived': {
      const d = event.detail;
      if (d.category !== 'enviro.fly-tipping') return [];
      return [{ kind: 'public', reportId: d.reportId, quarter: quarterOf(d.occurredAt), reportedAt: d.occurredAt, ...(d.reference ? { reference: d.reference } : {}), details: d.flyTip ?? {} }];
    }
    case 'FlyTipDetailsRecorded': {
      const d = event.detail;
      return [
        {
          kind: 'officer',
          reportId: d.reportId,
          quarter: quarterOf(d.reportedAt),
          reportedAt: d.reportedAt,
          ...(d.reference ? { reference: d.reference } : {}),
          record: { details: d.details, key: utcKey(d.occurredAt, d.eventId), officerId: d.officerId },
        },
      ];
    }
    case 'CaseOpened':
      return [{ kind: 'case-reports', caseId: event.detail.caseId, reportIds: event.detail.reportIds }];
    case 'ReportLinked':
      return [{ kind: 'case-reports', caseId: event.detail.caseId, reportIds: [event.detail.reportId] }];
    default: {
      const caseId = 'caseId' in event.detail ? event.detail.caseId : undefined;
      const action = wdfActionOf(event);
      if (!caseId || !action) return [];
      return [{ kind: 'action', eventId: event.detail.eventId, caseId, quarter: quarterOf(event.detail.occurredAt), action }];
    }
  }
}

/** The later of two officer records (the one with the greater key). */
export const laterRecord = (a: OfficerRecord | undefined, b: OfficerRecord): OfficerRecord => (a && a.key >= b.key ? a : b);
