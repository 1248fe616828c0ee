/**
 * The ASB Case Review threshold, assessed by rule (domain.md, "Precisions from a legal and
 * domain review"). Pure: dates in, an assessment out.
 *
 * A complaint qualifies when
 * 1. it was made no earlier than its incident and no later than the application;
 * 2. it was made within `complaintWithinMonths` of its incident (the corresponding-date rule:
 *    an incident on 31 January, reported on 28 February, is within one month);
 * 3. the application came within `withinMonths` of it (exactly six months counts);
 * 4. it is not the same incident as a complaint already counted (one report matched twice).
 * The threshold is met with `qualifyingComplaints` of them, or, on the local hate-incident
 * route, with `hateIncidents` of them when the applicant was the victim of a hate incident.
 *
 * Every date is a London calendar date: an instant is turned into one before it gets here.
 */
import type { complaintRecipients } from '#events/case-review';
import type { CaseReviewSettings } from '#shared/case-review-settings';
import { addMonths, dateText, type IsoDate } from '#shared/london-time';

export type ComplaintRecipient = (typeof complaintRecipients)[number];

/** A report the council holds that a complaint was matched with. */
export interface HeldReport {
  readonly reportId: string;
  readonly reference?: string;
  /** London date of the incident the report describes. */
  readonly incidentOn: IsoDate;
  /** London date the council received the report. */
  readonly reportedOn: IsoDate;
  readonly hateMotivated: boolean;
}

export interface ComplaintEvidence {
  /** `listed` by the applicant (n: their order), or found in the council's `records` by contact. */
  readonly source: 'listed' | 'records';
  readonly n: number;
  readonly reportedTo: ComplaintRecipient;
  readonly incidentOn: IsoDate;
  readonly reportedOn: IsoDate;
  readonly reference?: string;
  /** The council's own record of it, when one was found. */
  readonly report?: HeldReport;
}

export interface AssessedComplaint {
  readonly source: 'listed' | 'records';
  readonly n: number;
  readonly reportedTo: ComplaintRecipient;
  /** The dates weighed: the council's own when it holds the report, else the applicant's. */
  readonly incidentOn: IsoDate;
  readonly reportedOn: IsoDate;
  readonly reportId?: string;
  readonly reference?: string;
  readonly counted: boolean;
  readonly reason: string;
}

export interface ThresholdAssessment {
  readonly met: boolean;
  readonly route: 'complaints' | 'hate' | undefined;
  readonly qualifying: number;
  readonly complaints: readonly AssessedComplaint[];
  /** Complaint by complaint, in words, within the event's 2,000 characters. */
  readonly basis: string;
}

export type ThresholdSettings = Pick<CaseReviewSettings, 'qualifyingComplaints' | 'withinMonths' | 'complaintWithinMonths' | 'hateRoute' | 'hateIncidents'>;

const recipientText: Record<ComplaintRecipient, string> = { council: 'the council', police: 'the police', 'housing-provider': 'a housing provider' };
const months = (n: number) => `${n} month${n === 1 ? '' : 's'}`;
const complaints = (n: number) => `${n} qualifying complaint${n === 1 ? '' : 's'}`;

function labelOf(c: ComplaintEvidence): string {
  const ref = c.report?.reference ?? c.reference;
  const what = c.source === 'listed' ? `Complaint ${c.n}` : `Report ${ref ?? c.report?.reportId ?? c.n} (found in our records)`;
  return c.source === 'listed' ? `${what} (to ${recipientText[c.reportedTo]}${ref ? `, ${ref}` : ''})` : what;
}

function weigh(c: ComplaintEvidence, appliedOn: IsoDate, s: ThresholdSettings, seen: Set<string>): AssessedComplaint {
  const incidentOn = c.report?.incidentOn ?? c.incidentOn;
  const reportedOn = c.report?.reportedOn ?? c.reportedOn;
  const found = c.source === 'listed' ? (c.report ? 'found in our records; ' : c.reportedTo === 'council' ? 'not found in our records, taken as given; ' : 'taken as given; ') : '';
  const base = { source: c.source, n: c.n, reportedTo: c.reportedTo, incidentOn, reportedOn, ...(c.report ? { reportId: c.report.reportId } : {}), ...((c.report?.reference ?? c.reference) ? { reference: (c.report?.reference ?? c.reference) as string } : {}) };
  const no = (why: string): AssessedComplaint => ({ ...base, counted: false, reason: `${found}not counted: ${why}` });
  if (c.report && seen.has(c.report.reportId)) return no('the same report as an earlier complaint');
  if (reportedOn < incidentOn) return no(`reported (${dateText(reportedOn)}) before the incident (${dateText(incidentOn)})`);
  if (reportedOn > appliedOn) return no(`reported (${dateText(reportedOn)}) after the application`);
  const reportBy = addMonths(incidentOn, s.complaintWithinMonths);
  if (reportedOn > reportBy) return no(`reported ${dateText(reportedOn)}, more than ${months(s.complaintWithinMonths)} after the incident on ${dateText(incidentOn)} (by ${dateText(reportBy)})`);
  const applyBy = addMonths(reportedOn, s.withinMonths);
  if (appliedOn > applyBy) return no(`reported ${dateText(reportedOn)}, more than ${months(s.withinMonths)} before the application (it counts until ${dateText(applyBy)})`);
  if (c.report) seen.add(c.report.reportId);
  return { ...base, counted: true, reason: `${found}counted: reported ${dateText(reportedOn)}, within ${months(s.complaintWithinMonths)} of the incident and ${months(s.withinMonths)} of the application` };
}

const MAX_BASIS = 2000;

/** Fits the lines into the event's limit, saying how many were left out. */
function fit(head: string, lines: readonly string[]): string {
  let text = head;
  for (const [i, line] of lines.entries()) {
    const last = i === lines.length - 1;
    if (text.length + 1 + line.length + (last ? 0 : 50) > MAX_BASIS) return `${text}\n(and ${lines.length - i} more: see the assessment)`.slice(0, MAX_BASIS);
    text += `\n${line}`;
  }
  return text;
}

export function assessThreshold(application: { appliedOn: IsoDate; hateIncident: boolean; complaints: readonly ComplaintEvidence[] }, s: ThresholdSettings): ThresholdAssessment {
  if (s.qualifyingComplaints < 1 || s.qualifyingComplaints > 3) throw new RangeError('the threshold is set locally at 1 to 3 complaints');
  const seen = new Set<string>();
  // Listed complaints first (their order), then what the records add.
  const ordered = [...application.complaints].sort((a, b) => (a.source === b.source ? a.n - b.n : a.source === 'listed' ? -1 : 1));
  const assessed = ordered.map((c) => weigh(c, application.appliedOn, s, seen));
  const qualifying = assessed.filter((c) => c.counted).length;
  const byComplaints = qualifying >= s.qualifyingComplaints;
  const byHate = s.hateRoute && application.hateIncident && qualifying >= s.hateIncidents;
  const route = byComplaints ? 'complaints' : byHate ? 'hate' : undefined;
  const rule = `the threshold is ${complaints(s.qualifyingComplaints)} in ${months(s.withinMonths)}${s.hateRoute ? `, or ${complaints(s.hateIncidents)} for a hate incident` : ''}`;
  const head =
    route === 'complaints'
      ? `Threshold met: ${complaints(qualifying)} (${rule}).`
      : route === 'hate'
        ? `Threshold met on the hate-incident route: ${complaints(qualifying)} about a hate incident (${rule}).`
        : `Threshold not met: ${complaints(qualifying)} (${rule}${application.hateIncident && !s.hateRoute ? '; the hate-incident route is not in use' : ''}).`;
  const lines = assessed.map((c, i) => `${labelOf(ordered[i] as ComplaintEvidence)}: ${c.reason}.`);
  return { met: route !== undefined, route, qualifying, complaints: assessed, basis: fit(head, lines.length ? lines : ['No complaints were listed or found.']) };
}
