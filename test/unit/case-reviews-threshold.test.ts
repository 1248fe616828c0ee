import { describe, expect, it } from 'vitest';
import { caseReviewSettings } from '#shared/case-review-settings';
import { londonDateOf } from '#shared/london-time';
import { matchComplaints } from '../../functions/case-reviews/matching.ts';
import { assessThreshold, type ComplaintEvidence, type HeldReport, type ThresholdSettings } from '../../functions/case-reviews/threshold.ts';

const defaults: ThresholdSettings = { qualifyingComplaints: 3, withinMonths: 6, complaintWithinMonths: 1, hateRoute: true, hateIncidents: 1 };

let n = 0;
const listed = (incidentOn: string, reportedOn: string, over: Partial<ComplaintEvidence> = {}): ComplaintEvidence => ({
  source: 'listed',
  n: (n += 1),
  reportedTo: 'council',
  incidentOn,
  reportedOn,
  ...over,
});

/** The listed complaints are numbered in the order given, as the applicant lists them. */
const assess = (complaints: ComplaintEvidence[], appliedOn: string, settings: Partial<ThresholdSettings> = {}, hateIncident = false) =>
  assessThreshold({ appliedOn, hateIncident, complaints: complaints.map((c, i) => (c.source === 'listed' ? { ...c, n: i + 1 } : c)) }, { ...defaults, ...settings });

describe('unit: case review threshold — within six months of the application', () => {
  const two = [listed('2025-03-01', '2025-03-02'), listed('2025-04-01', '2025-04-02')];

  it('counts a complaint made exactly six months before the application', () => {
    const result = assess([listed('2025-01-10', '2025-01-15'), ...two], '2025-07-15');
    expect(result.complaints.map((c) => c.counted)).toEqual([true, true, true]);
    expect(result.met).toBe(true);
  });

  it('does not count a complaint made six months and a day before the application', () => {
    const result = assess([listed('2025-01-10', '2025-01-15'), ...two], '2025-07-16');
    expect(result.complaints[0]?.counted).toBe(false);
    expect(result.complaints[0]?.reason).toContain('more than 6 months before the application');
    expect(result.met).toBe(false);
    expect(result.basis).toMatch(/^Threshold not met: 2 qualifying complaints/);
  });

  it('takes the last day of a shorter month as six months after the 31st (corresponding-date rule)', () => {
    // 31 August + 6 months is 28 February (2025 is not a leap year).
    expect(assess([listed('2024-08-30', '2024-08-31'), ...two], '2025-02-28').complaints[0]?.counted).toBe(true);
    expect(assess([listed('2024-08-30', '2024-08-31'), ...two], '2025-03-01').complaints[0]?.counted).toBe(false);
  });

  it('meets the threshold when the third complaint falls on the boundary day, and not the day after', () => {
    const first = [listed('2025-05-01', '2025-05-01'), listed('2025-06-01', '2025-06-01')];
    expect(assess([...first, listed('2025-02-26', '2025-03-01')], '2025-09-01').met).toBe(true);
    const late = assess([...first, listed('2025-02-26', '2025-03-01')], '2025-09-02');
    expect(late.met).toBe(false);
    expect(late.qualifying).toBe(2);
  });
});

describe('unit: case review threshold — each complaint within a month of its incident', () => {
  const others = [listed('2025-05-01', '2025-05-01'), listed('2025-06-01', '2025-06-01')];

  it('counts a complaint made exactly one month after the incident', () => {
    expect(assess([listed('2025-04-15', '2025-05-15'), ...others], '2025-07-01').complaints[0]?.counted).toBe(true);
  });

  it('does not count one made a month and a day after', () => {
    const c = assess([listed('2025-04-15', '2025-05-16'), ...others], '2025-07-01').complaints[0];
    expect(c?.counted).toBe(false);
    expect(c?.reason).toContain('more than 1 month after the incident');
  });

  it('reads one month after 31 January as 28 February', () => {
    expect(assess([listed('2025-01-31', '2025-02-28'), ...others], '2025-07-01').complaints[0]?.counted).toBe(true);
    expect(assess([listed('2025-01-31', '2025-03-01'), ...others], '2025-07-01').complaints[0]?.counted).toBe(false);
  });

  it('uses a longer window when the setting says so', () => {
    expect(assess([listed('2025-04-15', '2025-05-16'), ...others], '2025-07-01', { complaintWithinMonths: 2 }).complaints[0]?.counted).toBe(true);
  });

  it('does not count a complaint reported before its incident or after the application', () => {
    const result = assess([listed('2025-05-10', '2025-05-09'), listed('2025-06-30', '2025-07-02')], '2025-07-01');
    expect(result.complaints.map((c) => c.reason)).toEqual([expect.stringContaining('before the incident'), expect.stringContaining('after the application')]);
  });
});

describe('unit: case review threshold — BST', () => {
  it('dates an application sent at 23:30 UTC in summer on the next London day, so a complaint on the boundary drops out', () => {
    const complaints = [listed('2025-04-10', '2025-04-15'), listed('2025-06-01', '2025-06-01'), listed('2025-07-01', '2025-07-01')];
    const appliedAt = '2025-10-15T23:30:00Z'; // 00:30 BST on 16 October
    expect(londonDateOf(appliedAt)).toBe('2025-10-16');
    expect(assess(complaints, londonDateOf(appliedAt)).met).toBe(false);
    expect(assess(complaints, londonDateOf('2025-10-15T22:59:00Z')).met).toBe(true);
  });

  it('dates a winter instant at 23:30 UTC on the same London day (GMT)', () => {
    expect(londonDateOf('2025-11-15T23:30:00Z')).toBe('2025-11-15');
  });

  it('counts six months across the clocks going forward (a complaint in March, an application in September)', () => {
    const complaints = [listed('2025-03-29', '2025-03-30'), listed('2025-05-01', '2025-05-01'), listed('2025-06-01', '2025-06-01')];
    expect(assess(complaints, '2025-09-30').met).toBe(true);
    expect(assess(complaints, '2025-10-01').met).toBe(false);
  });

  it('dates a report received at 23:30 UTC on the last day of a BST month on the next London day', () => {
    const report: HeldReport = { reportId: 'r1', reference: 'SC-AAAA-BBBB', incidentOn: '2025-05-20', reportedOn: londonDateOf('2025-05-31T23:30:00Z'), hateMotivated: false };
    expect(report.reportedOn).toBe('2025-06-01');
    const evidence = matchComplaints([], { byReference: new Map(), byApplicant: [report] }, '2025-12-01', 6);
    expect(assess(evidence, '2025-12-01').complaints[0]?.counted).toBe(true);
    expect(assess(evidence, '2025-12-02').complaints[0]?.counted).toBe(false);
  });
});

describe('unit: case review threshold — the hate-incident route', () => {
  const one = [listed('2025-06-01', '2025-06-02')];

  it('meets the threshold with one qualifying complaint about a hate incident when the route is on', () => {
    const result = assess(one, '2025-07-01', {}, true);
    expect(result).toMatchObject({ met: true, route: 'hate', qualifying: 1 });
    expect(result.basis).toMatch(/^Threshold met on the hate-incident route/);
  });

  it('does not when the route is off, and says so', () => {
    const result = assess(one, '2025-07-01', { hateRoute: false }, true);
    expect(result.met).toBe(false);
    expect(result.basis).toContain('the hate-incident route is not in use');
  });

  it('needs a qualifying complaint even on the hate route', () => {
    expect(assess([listed('2024-06-01', '2024-06-02')], '2025-07-01', {}, true).met).toBe(false);
    expect(assess([], '2025-07-01', {}, true).met).toBe(false);
  });

  it('does not use the hate route for an application that is not about a hate incident', () => {
    expect(assess(one, '2025-07-01', {}, false).met).toBe(false);
  });

  it('follows a hate route set to 2 incidents', () => {
    expect(assess(one, '2025-07-01', { hateIncidents: 2 }, true).met).toBe(false);
    expect(assess([...one, listed('2025-06-10', '2025-06-11')], '2025-07-01', { hateIncidents: 2 }, true).met).toBe(true);
  });
});

describe('unit: case review threshold — the number of complaints is a setting', () => {
  const two = [listed('2025-06-01', '2025-06-02'), listed('2025-06-10', '2025-06-11')];

  it('is met with 2 complaints when the threshold is set to 2, and not with the default 3', () => {
    expect(assess(two, '2025-07-01', { qualifyingComplaints: 2 })).toMatchObject({ met: true, route: 'complaints' });
    expect(assess(two, '2025-07-01').met).toBe(false);
    expect(assess(two, '2025-07-01', { qualifyingComplaints: 2 }).basis).toContain('the threshold is 2 qualifying complaints in 6 months');
  });

  it('refuses a threshold above 3, in the rule and in the settings', () => {
    expect(() => assess(two, '2025-07-01', { qualifyingComplaints: 4 as 3 })).toThrow(/1 to 3/);
    expect(() => caseReviewSettings({ CASE_REVIEW_QUALIFYING_COMPLAINTS: '4' })).toThrow(/CASE_REVIEW_QUALIFYING_COMPLAINTS/);
  });

  it('reads every number from the environment, with the guidance defaults', () => {
    expect(caseReviewSettings({})).toEqual({
      qualifyingComplaints: 3,
      withinMonths: 6,
      complaintWithinMonths: 1,
      hateRoute: true,
      hateIncidents: 1,
      tellWithinWorkingDays: 10,
      holdWithinWorkingDays: 25,
    });
    expect(caseReviewSettings({ CASE_REVIEW_QUALIFYING_COMPLAINTS: '2', CASE_REVIEW_HATE_ROUTE: 'off', CASE_REVIEW_TELL_WITHIN_WORKING_DAYS: '5' })).toMatchObject({
      qualifyingComplaints: 2,
      hateRoute: false,
      tellWithinWorkingDays: 5,
    });
    expect(() => caseReviewSettings({ CASE_REVIEW_HATE_ROUTE: 'maybe' })).toThrow(/CASE_REVIEW_HATE_ROUTE/);
  });
});

describe('unit: case review complaints matched with the reports the council holds', () => {
  const held = (id: string, incidentOn: string, reportedOn: string, reference?: string): HeldReport => ({ reportId: id, incidentOn, reportedOn, hateMotivated: false, ...(reference ? { reference } : {}) });

  it('matches by reference (any case), by the day reported, and adds the applicant’s other reports in the window', () => {
    const a = held('r-a', '2025-05-01', '2025-05-02', 'SC-AAAA-1111');
    const b = held('r-b', '2025-05-20', '2025-05-21');
    const c = held('r-c', '2025-06-10', '2025-06-10');
    const old = held('r-old', '2024-01-01', '2024-01-02');
    const evidence = matchComplaints(
      [
        { reportedTo: 'council', incidentOn: '2025-05-01', reportedOn: '2025-05-02', reference: 'sc-aaaa-1111' },
        { reportedTo: 'council', incidentOn: '2025-05-20', reportedOn: '2025-05-21' },
        { reportedTo: 'police', incidentOn: '2025-06-01', reportedOn: '2025-06-01', reference: 'LP-123' },
      ],
      { byReference: new Map([['SC-AAAA-1111', a]]), byApplicant: [a, b, c, old] },
      '2025-07-01',
      6,
    );
    expect(evidence.map((e) => [e.source, e.n, e.report?.reportId])).toEqual([
      ['listed', 1, 'r-a'],
      ['listed', 2, 'r-b'],
      ['listed', 3, undefined],
      ['records', 1, 'r-c'],
    ]);
    const result = assess(evidence, '2025-07-01');
    expect(result.qualifying).toBe(4);
    expect(result.complaints[0]?.reason).toMatch(/^found in our records; counted/);
    expect(result.complaints[2]?.reason).toMatch(/^taken as given; counted/);
    expect(result.basis.split('\n')).toHaveLength(5);
    expect(result.basis).toContain('Report r-c (found in our records): counted');
  });

  it('weighs the council’s own dates for a matched report rather than the applicant’s', () => {
    const a = held('r-a', '2025-01-01', '2025-03-01', 'SC-AAAA-1111');
    const evidence = matchComplaints([{ reportedTo: 'council', incidentOn: '2025-02-27', reportedOn: '2025-03-01', reference: 'SC-AAAA-1111' }], { byReference: new Map([['SC-AAAA-1111', a]]), byApplicant: [] }, '2025-04-01', 6);
    expect(assess(evidence, '2025-04-01').complaints[0]).toMatchObject({ counted: false, incidentOn: '2025-01-01' });
  });

  it('counts one report listed twice once', () => {
    const a = held('r-a', '2025-05-01', '2025-05-02', 'SC-AAAA-1111');
    const twice = { reportedTo: 'council' as const, incidentOn: '2025-05-01', reportedOn: '2025-05-02', reference: 'SC-AAAA-1111' };
    const result = assess(matchComplaints([twice, twice], { byReference: new Map([['SC-AAAA-1111', a]]), byApplicant: [] }, '2025-07-01', 6), '2025-07-01');
    expect(result.complaints.map((c) => c.counted)).toEqual([true, false]);
    expect(result.complaints[1]?.reason).toContain('the same report as an earlier complaint');
  });

  it('keeps the basis within the event’s 2,000 characters however many complaints', () => {
    const many = Array.from({ length: 20 }, (_, i) => listed('2025-06-01', '2025-06-02', { reference: `POLICE-REFERENCE-NUMBER-${i}`, reportedTo: 'police' }));
    const result = assess(many, '2025-07-01');
    expect(result.basis.length).toBeLessThanOrEqual(2000);
    expect(result.basis).toMatch(/\(and \d+ more: see the assessment\)$/);
    expect(result.complaints).toHaveLength(20);
  });
});
