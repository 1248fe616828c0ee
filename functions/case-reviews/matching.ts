/**
 * Which of the applicant's complaints the council holds a report of, and which further reports
 * by the same person (the same contactRef) it holds. Pure.
 */
import type { DetailOf } from '#events/contract';
import type { CaseReviewRequested } from '#events/case-review';
import { addMonths, type IsoDate } from '#shared/london-time';
import type { ComplaintEvidence, HeldReport } from './threshold.ts';

export type ListedComplaint = NonNullable<DetailOf<typeof CaseReviewRequested>['complaints']>[number];

export interface HeldReports {
  /** The report with a reference, if the council holds it. */
  readonly byReference: ReadonlyMap<string, HeldReport>;
  /** Every report the applicant made under the same contactRef. */
  readonly byApplicant: readonly HeldReport[];
}

const normalise = (reference: string) => reference.trim().toUpperCase();

/**
 * 1. A listed complaint with a reference the council knows is that report.
 * 2. A listed complaint to the council without one is the applicant's own report received that
 *    day (else about an incident that day), if there is one not matched already.
 * 3. The applicant's other reports received within the window are added as found in the records.
 */
export function matchComplaints(listed: readonly ListedComplaint[], held: HeldReports, appliedOn: IsoDate, withinMonths: number): ComplaintEvidence[] {
  const used = new Set<string>();
  const take = (report: HeldReport | undefined) => {
    if (!report || used.has(report.reportId)) return undefined;
    used.add(report.reportId);
    return report;
  };
  const evidence: ComplaintEvidence[] = listed.map((c, i) => {
    const byRef = c.reference ? held.byReference.get(normalise(c.reference)) : undefined;
    const report =
      (byRef && !used.has(byRef.reportId) ? take(byRef) : undefined) ??
      (c.reportedTo === 'council' && !c.reference
        ? (take(held.byApplicant.find((r) => !used.has(r.reportId) && r.reportedOn === c.reportedOn)) ??
          take(held.byApplicant.find((r) => !used.has(r.reportId) && r.incidentOn === c.incidentOn)))
        : undefined);
    // A reference matched twice is kept on the second complaint too, so the rule can say so.
    const same = byRef && !report ? byRef : undefined;
    return { source: 'listed', n: i + 1, ...c, ...(report ? { report } : same ? { report: same } : {}) };
  });
  const from = addMonths(appliedOn, -withinMonths);
  const more = held.byApplicant
    .filter((r) => !used.has(r.reportId) && r.reportedOn >= from && r.reportedOn <= appliedOn)
    .sort((a, b) => a.reportedOn.localeCompare(b.reportedOn) || a.reportId.localeCompare(b.reportId))
    .map((report, i): ComplaintEvidence => ({
      source: 'records',
      n: i + 1,
      reportedTo: 'council',
      incidentOn: report.incidentOn,
      reportedOn: report.reportedOn,
      ...(report.reference ? { reference: report.reference } : {}),
      report,
    }));
  return [...evidence, ...more];
}
