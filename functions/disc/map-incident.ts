import { createHash } from 'node:crypto';
import type { DetailInput } from '#events/contract';
import type { ReportReceived } from '#events/intake';
import { newReference } from '../intake/report-input.ts';
import { incidentCategories, incidentTypeLabels, type DiscIncident } from './incident.ts';
import { redactNames, subjectRef } from './subjects.ts';

export type DiscReport = DetailInput<typeof ReportReceived> & {
  /** Opaque refs for the people named (carried once ReportReceived has the optional field). */
  subjectRefs: string[];
};

const MAX_DESCRIPTION = 4000;

/**
 * One DISC incident as one ReportReceived. Ids come from DISC's incidentId, so DISC sending
 * the same incident again (a retry with a fresh signature) yields the same eventId, reportId
 * and reference: the projector applies it once.
 */
export function toReportReceived(incident: DiscIncident, subjectKey: string, councilId: string): DiscReport {
  const digest = createHash('sha256').update(`disc:v1:${councilId}:${incident.incidentId}`).digest();
  const hex = digest.toString('hex');
  const subjects = incident.subjects.map((s) => ({ ...s, ref: subjectRef(subjectKey, s) }));
  const heading = `[DISC incident ${incident.incidentId}: ${incidentTypeLabels[incident.incidentType]}]`;
  let description = `${heading} ${redactNames(incident.description, subjects)}`;
  if ([...description].length > MAX_DESCRIPTION) description = `${[...description].slice(0, MAX_DESCRIPTION - 1).join('')}…`;
  const { premises } = incident;
  return {
    eventId: `disc-${hex.slice(0, 32)}`,
    occurredAt: incident.occurredAt,
    actor: { kind: 'partner', organisation: 'disc' },
    reportId: `disc-${hex.slice(32, 64)}`,
    reference: newReference(() => digest.subarray(0, 8)),
    channel: 'disc',
    category: incidentCategories[incident.incidentType],
    description,
    location: {
      text: [premises.name, premises.address].filter(Boolean).join(', '),
      ...(premises.postcode ? { postcode: premises.postcode.toUpperCase() } : {}),
      ...(premises.lat !== undefined && premises.lng !== undefined ? { lat: premises.lat, lng: premises.lng } : {}),
    },
    hateMotivated: incident.hateMotivated,
    reporter: { anonymous: true },
    subjectRefs: [...new Set(subjects.map((s) => s.ref))],
  };
}
