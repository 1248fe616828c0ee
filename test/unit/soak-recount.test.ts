import { describe, expect, it } from 'vitest';
import { CaseClosed, CaseOpened } from '#events/cases';
import { CaseReviewRequested } from '#events/case-review';
import { PatrolLogged, WarningIssued } from '#events/enforcement';
import { FundingAllocated, FundingSpendReversed, FundingSpent, FundingStreamOpened } from '#events/funding';
import { generateSoakEvents, isStreamOpening, soakLedgers, withDuplicatesShuffled, type SoakEvent } from '../../bench/soak/generate.ts';
import { londonDay, plusMonths, rangeBefore, recount } from '../../bench/soak/recount.ts';
import { verifyAgainst } from '../../bench/soak/verify.ts';

const officer = { kind: 'officer', id: 'o1' };
const ev = (contract: SoakEvent['contract'], eventId: string, occurredAt: string, fields: Record<string, unknown>): SoakEvent => ({ contract, detail: { eventId, occurredAt, actor: officer, ...fields } });

describe('the soak recount', () => {
  it('reads dates as London does and steps months by the corresponding date', () => {
    expect(londonDay('2025-03-30T23:30:00Z')).toBe('2025-03-31');
    expect(londonDay('2025-01-31T23:30:00Z')).toBe('2025-01-31');
    expect(plusMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(plusMonths('2024-12-15', -6)).toBe('2024-06-15');
    expect(rangeBefore({ from: '2025-03-01', to: '2025-03-31' })).toEqual({ from: '2025-02-01', to: '2025-02-28' });
    expect(rangeBefore({ from: '2024-06-15', to: '2024-06-24' })).toEqual({ from: '2024-06-05', to: '2024-06-14' });
  });

  it('counts each eventId once, on its London day, and judges the Case Review threshold by rule', () => {
    const patrol = ev(PatrolLogged, 'p1', '2024-06-01T10:00:00Z', { officerId: 'o1', minutes: 50 });
    const events = [
      patrol,
      patrol,
      ev(PatrolLogged, 'p2', '2024-06-30T23:30:00Z', { officerId: 'o1', minutes: 40 }),
      ev(WarningIssued, 'w1', '2024-06-02T10:00:00Z', { officerId: 'o1', warningType: 'CPW', subjectRef: 's', complyBy: '2024-07-01' }),
      ev(CaseReviewRequested, 'cr1', '2024-06-10T10:00:00Z', {
        reviewId: 'r1',
        applicantRef: 'a1',
        hateIncident: false,
        complaints: [
          { reportedTo: 'police', incidentOn: '2024-05-01', reportedOn: '2024-05-02' },
          { reportedTo: 'police', incidentOn: '2024-05-03', reportedOn: '2024-05-04' },
          { reportedTo: 'police', incidentOn: '2024-03-01', reportedOn: '2024-04-15' },
        ],
      }),
    ];
    const june = recount(events).kpis({ from: '2024-06-01', to: '2024-06-30' });
    // The second patrol ended the 30th at 23:30 UTC: 1 July in London.
    expect(june.kpis.patrol_hours).toBe(0.8);
    expect(june.kpis.cpw_issued).toBe(1);
    expect(june.kpis.total_team_actions).toBe(2);
    expect(june.kpis.case_reviews_received).toBe(1);
    // Two complaints qualify; the third was made more than a month after its incident.
    expect(june.kpis.case_reviews_threshold_not_met).toBe(1);
    expect(june.previous).toMatchObject({ from: '2024-05-01', to: '2024-05-31' });
  });

  it('keeps the latest close of a case and leaves reversed spends out of the balance', () => {
    const { cases, ledgers } = recount([
      ev(CaseOpened, 'c1', '2024-06-01T10:00:00Z', { caseId: 'k1', kind: 'asb', owner: 'safer-communities', category: 'asb.noise', referredFrom: 'public', hateRelated: false, reportIds: ['r1'] }),
      ev(CaseClosed, 'x2', '2024-07-02T10:00:00Z', { caseId: 'k1', outcome: 'second' }),
      ev(CaseClosed, 'x1', '2024-07-01T10:00:00Z', { caseId: 'k1', outcome: 'first' }),
      ev(FundingAllocated, 'f1', '2024-04-01T10:00:00Z', { stream: 'CSP', financialYear: '2024-25', kind: 'provisional', amountPence: 1000, reference: 'a' }),
      ev(FundingSpent, 'f2', '2024-05-01T10:00:00Z', { stream: 'CSP', financialYear: '2024-25', project: 'P', amountPence: 300, reference: 'b' }),
      ev(FundingSpent, 'f3', '2024-05-02T10:00:00Z', { stream: 'CSP', financialYear: '2024-25', project: 'P', amountPence: 200, reference: 'c' }),
      ev(FundingSpendReversed, 'f4', '2024-05-03T10:00:00Z', { stream: 'CSP', financialYear: '2024-25', spendEventId: 'f3', reason: 'twice' }),
    ]);
    expect(cases.get('k1')).toMatchObject({ status: 'closed', outcome: 'second', closedAt: '2024-07-02T10:00:00.000Z', officers: ['o1'], timeline: ['c1', 'x1', 'x2'] });
    expect(ledgers.get('CSP/2024-25')).toMatchObject({ allocatedPence: 1000, spentPence: 300, remainingPence: 700, projects: [{ project: 'P', spentPence: 300, committedPence: 0 }] });
  });

  it('generates valid events of every kind it sends, with duplicates and a shuffle', () => {
    const events = generateSoakEvents({ events: 600, seed: 1, prefix: 's1' });
    for (const e of events) expect(e.contract.detail.safeParse({ ...e.detail, schemaVersion: e.contract.version }).success).toBe(true);
    expect(new Set(events.map((e) => e.contract.detailType)).size).toBeGreaterThanOrEqual(28);
    const puts = withDuplicatesShuffled(events, 0.1, 1);
    expect(puts.length).toBeGreaterThan(events.length * 1.05);
    expect(new Set(puts.map((e) => e.detail.eventId)).size).toBe(events.length);
  });

  it('opens every stream its ledgers are in, first and with the same eventId in every world, and the openings change no count', () => {
    const one = generateSoakEvents({ events: 300, seed: 1, prefix: 's1' });
    const two = generateSoakEvents({ events: 300, seed: 2, prefix: 's2' });
    const openings = one.filter(isStreamOpening);
    expect(openings.map((e) => e.detail.stream).sort()).toEqual([...new Set(soakLedgers.map(([stream]) => stream))].sort());
    expect(one.slice(0, openings.length)).toEqual(openings);
    expect(two.filter(isStreamOpening).map((e) => e.detail.eventId)).toEqual(openings.map((e) => e.detail.eventId));
    for (const [stream, financialYear] of soakLedgers) {
      const opened = FundingStreamOpened.detail.parse({ ...openings.find((e) => e.detail.stream === stream)?.detail, schemaVersion: 1 });
      const [from, to] = [`${financialYear.slice(0, 4)}-04-01`, `${Number(financialYear.slice(0, 4)) + 1}-03-31`];
      expect(opened.startsOn <= to && (opened.endsOn ?? '9999') >= from, `${stream} ${financialYear} is a year the stream runs in`).toBe(true);
    }
    const [all, without] = [recount(one), recount(one.filter((e) => !isStreamOpening(e)))];
    expect(all.ledgers.size).toBeGreaterThan(0);
    for (const model of ['ledgers', 'cases', 'reviews'] as const) expect([...all[model]]).toEqual([...without[model]]);
    const range = { from: '2024-04-01', to: '2026-03-31' };
    expect(all.kpis(range)).toEqual(without.kpis(range));
  });

  it('reports a read model that differs from the recount', async () => {
    const events = generateSoakEvents({ events: 300, seed: 2, prefix: 's1' });
    const expected = recount(events);
    const [someCase] = expected.cases.keys();
    const answer = (path: string): unknown => {
      const url = new URL(path, 'http://x');
      if (url.pathname === '/kpis') return expected.kpis({ from: url.searchParams.get('from') ?? '', to: url.searchParams.get('to') ?? '' });
      const [, kind, a, b] = url.pathname.split('/');
      if (kind === 'funding') return expected.ledgers.get(`${a}/${b}`);
      if (kind === 'cases') {
        const { firstContactAt, timeline, ...view } = expected.cases.get(decodeURIComponent(a ?? '')) ?? {};
        // One case answers with a report missing.
        const reportIds = decodeURIComponent(a ?? '') === someCase ? [] : view.reportIds;
        return { ...view, reportIds, ...(firstContactAt ? { firstContact: { at: firstContactAt } } : {}), timeline: (timeline as string[]).map((eventId) => ({ eventId })) };
      }
      const review = expected.reviews.get(decodeURIComponent(a ?? '')) as Record<string, unknown>;
      const decision = review.decision as { upheld: boolean; recommendations: number; done: number } | undefined;
      return {
        ...review,
        complaints: Array.from({ length: review.complaints as number }),
        assessments: [{}],
        ...(review.panelMeetingOn ? { panel: { meetingOn: review.panelMeetingOn } } : {}),
        decision: decision && { upheld: decision.upheld, recommendations: Array.from({ length: decision.recommendations }, (_, i) => (i < decision.done ? { done: {} } : {})) },
        letters: Array.from({ length: review.letters as number }),
      };
    };
    const verified = await verifyAgainst(expected, async (path) => Response.json(answer(path)), soakLedgers);
    expect(verified.mismatches).toEqual([{ what: `GET /cases/${String(someCase)}`, field: 'reportIds', expected: expected.cases.get(someCase as string)?.reportIds, actual: [] }]);
  });
});
