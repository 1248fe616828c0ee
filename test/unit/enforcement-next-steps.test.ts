import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TimelineEntry } from '../../functions/cases/case-model.ts';
import { firstAllowedDay, nextSteps } from '../../functions/enforcement/next-steps.ts';
import { historyOf } from '../../functions/enforcement/record-action.ts';

const caseId = 'case-2026-0001';
let n = 0;
const entry = (detailType: string, occurredAt: string, fields: Record<string, unknown>): TimelineEntry => ({
  eventId: `e${(n += 1)}`,
  occurredAt,
  source: 'safer-communities.enforcement',
  detailType,
  actor: { kind: 'officer', id: 'officer-jo' },
  officerId: 'officer-jo',
  caseId,
  ...fields,
});
const cpw = (occurredAt: string, complyBy: string, subjectRef = 'subject_a') =>
  entry('WarningIssued', occurredAt, { warningType: 'CPW', subjectRef, subjectKind: 'person', subjectAge: 30, complyBy });
const cpn = (occurredAt: string, complyBy?: string, subjectRef = 'subject_a') =>
  entry('NoticeServed', occurredAt, { noticeType: 'CPN', subjectRef, subjectKind: 'person', subjectAge: 30, ...(complyBy ? { complyBy } : {}) });
// The contracts refuse an occurredAt ahead of the clock, so the clock is the moment the page is read.
const steps = (timeline: TimelineEntry[], now: string, subjectTimeline?: TimelineEntry[]) => {
  vi.setSystemTime(new Date(now));
  return nextSteps({ caseId, timeline, officerId: 'officer-jo', ...(subjectTimeline ? { subjectTimeline } : {}) }, new Date(now)).map((s) => s.text);
};

describe('unit: what can be done next on a case, read from the ladder rules', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says from which day a CPN can be served after a CPW: the day after its comply-by date', () => {
    const timeline = [cpw('2026-11-30T10:00:00Z', '2026-12-13')];
    expect(steps(timeline, '2026-12-01T12:00:00Z')).toEqual(['A Community Protection Notice (CPN) can be served on subject_a from 14 December 2026.']);
    expect(steps(timeline, '2026-12-14T09:00:00Z')).toEqual(['A Community Protection Notice (CPN) can be served on subject_a now.']);
  });

  it('finds the first allowed day with the rules themselves, so a later CPW with a later date moves it', () => {
    const timeline = [cpw('2026-11-30T10:00:00Z', '2026-12-13'), cpw('2026-12-01T10:00:00Z', '2026-12-20')];
    // The rules accept a CPN after any earlier CPW whose comply-by has passed: the first one decides.
    expect(steps(timeline, '2026-12-01T12:00:00Z')).toEqual(['A Community Protection Notice (CPN) can be served on subject_a from 14 December 2026.']);
    expect(firstAllowedDay(() => historyOf([cpn('2026-12-01T12:00:00Z')])[0] as never, [], new Date('2026-12-01T12:00:00Z'))).toBeUndefined();
  });

  it('once a CPN is served: the appeal window (21 days from issue) and when a breach can be fined', () => {
    const timeline = [cpw('2026-11-01T10:00:00Z', '2026-11-14'), cpn('2026-11-20T10:00:00Z', '2026-12-04')];
    expect(steps(timeline, '2026-11-25T12:00:00Z')).toEqual([
      'If subject_a breaches the CPN, a Fixed Penalty Notice (FPN) can be issued from 5 December 2026.',
      'subject_a can appeal against the CPN served on 20 November 2026 until 10 December 2026.',
    ]);
    // After the appeal window, only the penalty remains, and it is open now.
    expect(steps(timeline, '2026-12-11T12:00:00Z')).toEqual(['If subject_a breaches the CPN, a Fixed Penalty Notice (FPN) can be issued now.']);
  });

  it('an appeal in progress is shown, and a quashed CPN can no longer be breached', () => {
    const timeline = [cpw('2026-11-01T10:00:00Z', '2026-11-14'), cpn('2026-11-20T10:00:00Z', '2026-12-04')];
    const notice = timeline[1] as TimelineEntry;
    const lodged = entry('CpnAppealLodged', '2026-11-26T10:00:00Z', { noticeEventId: notice.eventId, subjectRef: 'subject_a', lodgedOn: '2026-11-26' });
    expect(steps([...timeline, lodged], '2026-11-27T12:00:00Z')).toContain('subject_a appealed against the CPN served on 20 November 2026; record the court\'s decision when it comes.');
    const quashed = entry('CpnAppealDetermined', '2026-11-28T10:00:00Z', { noticeEventId: notice.eventId, subjectRef: 'subject_a', outcome: 'quashed' });
    expect(steps([...timeline, lodged, quashed], '2026-12-10T12:00:00Z')).toEqual([]);
  });

  it('while an appeal is in progress, offers the penalty for the requirements to stop doing things only', () => {
    const notice = entry('NoticeServed', '2026-11-20T10:00:00Z', {
      noticeType: 'CPN',
      subjectRef: 'subject_a',
      subjectKind: 'person',
      subjectAge: 30,
      complyBy: '2026-12-04',
      requirements: [
        { kind: 'do', text: 'Attend the diversion session' },
        { kind: 'stop', text: 'Stop gathering outside the shops after 21:00' },
      ],
    });
    const timeline = [cpw('2026-11-01T10:00:00Z', '2026-11-14'), notice];
    expect(steps(timeline, '2026-11-25T12:00:00Z')).toContain('If subject_a breaches the CPN, a Fixed Penalty Notice (FPN) can be issued from 5 December 2026.');
    const lodged = entry('CpnAppealLodged', '2026-11-26T10:00:00Z', { noticeEventId: notice.eventId, subjectRef: 'subject_a', lodgedOn: '2026-11-26' });
    expect(steps([...timeline, lodged], '2026-11-27T12:00:00Z')).toContain(
      'If subject_a breaches requirement 2 of the CPN (to stop doing things), a Fixed Penalty Notice (FPN) can be issued from 5 December 2026.',
    );
  });

  it('uses the subject\'s actions on other cases: a CPW there counts for a CPN here', () => {
    const elsewhere = { ...cpw('2026-11-01T10:00:00Z', '2026-11-14', 'subject_b'), caseId: 'case-2026-0099' };
    const here = [cpw('2026-12-01T10:00:00Z', '2026-12-20', 'subject_b')];
    expect(steps(here, '2026-12-01T12:00:00Z', [elsewhere])).toEqual(['A Community Protection Notice (CPN) can be served on subject_b now.']);
  });

  it('gives the closure order hearing deadline the rules set, until an order follows, and when orders end', () => {
    const notice = entry('ClosureNoticeServed', '2026-12-01T10:00:00Z', {
      subjectRef: 'premises_1',
      hours: 24,
      expiresAt: '2026-12-02T10:00:00Z',
      hearingDueBy: '2026-12-03T10:00:00Z',
    });
    expect(steps([notice], '2026-12-01T12:00:00Z')).toEqual(['The closure order hearing for premises_1 is due by 3 December 2026; the closure notice ends 2 December 2026.']);
    const order = entry('CourtOrderObtained', '2026-12-02T15:00:00Z', { orderType: 'closure-order', subjectRef: 'premises_1', expiresAt: '2027-03-01' });
    expect(steps([notice, order], '2026-12-03T12:00:00Z')).toEqual(['The closure order on premises_1 ends on 1 March 2027.']);
  });

  it('has nothing to say about a case with no enforcement yet', () => {
    expect(steps([entry('TeamActionRecorded', '2026-12-01T10:00:00Z', { actionType: 'visit' })], '2026-12-01T12:00:00Z')).toEqual([]);
  });
});
