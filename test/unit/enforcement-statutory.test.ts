import { describe, expect, it } from 'vitest';
import { ClosureNoticeServed, CpnAppealDetermined, CpnAppealLodged, FixedPenaltyIssued, NoticeServed, WarningIssued } from '#events/enforcement';
import type { PublishEntry } from '#events/put';
import { sampleFor } from '#events/samples';
import type { TimelineEntry } from '../../functions/cases/case-model.ts';
import type { RecordedAction } from '../../functions/enforcement/ladder.ts';
import { verdict } from '../support/ladder.ts';
import { recordAction } from '../../functions/enforcement/record-action.ts';
import { addHoursDisregardingChristmas, ageOn, birthdayOf, closureHearingDueBy, closureNoticeEnds, cpnAppealLastDay } from '../../functions/enforcement/statutory-time.ts';
import { caseView, officer } from '../support/cases.ts';

let seq = 0;
const id = () => `evt-${(seq += 1)}`;
const caseId = 'case-2024-0001';

type Over<C extends Parameters<typeof sampleFor>[0]> = Partial<ReturnType<typeof sampleFor<C>>>;
const cpw = (occurredAt: string, complyBy: string, over: Over<typeof WarningIssued> = {}): RecordedAction => ({
  detailType: 'WarningIssued',
  detail: { ...sampleFor(WarningIssued), eventId: id(), caseId, subjectRef: 'subject-a', occurredAt, complyBy, ...over },
});
const cpn = (occurredAt: string, over: Over<typeof NoticeServed> = {}): RecordedAction => ({
  detailType: 'NoticeServed',
  detail: { ...sampleFor(NoticeServed), eventId: id(), caseId, subjectRef: 'subject-a', occurredAt, ...over },
});
const fpn = (occurredAt: string, over: Over<typeof FixedPenaltyIssued> = {}): RecordedAction => ({
  detailType: 'FixedPenaltyIssued',
  detail: { ...sampleFor(FixedPenaltyIssued), eventId: id(), caseId, subjectRef: 'subject-a', offence: 'cpn-breach', amountPence: 10_000, occurredAt, ...over },
});
const appeal = (notice: RecordedAction, occurredAt: string, lodgedOn: string): RecordedAction => ({
  detailType: 'CpnAppealLodged',
  detail: { ...sampleFor(CpnAppealLodged), eventId: id(), caseId, subjectRef: 'subject-a', noticeEventId: notice.detail.eventId, occurredAt, lodgedOn },
});
const decided = (notice: RecordedAction, occurredAt: string, outcome: 'quashed' | 'modified' | 'dismissed' | 'withdrawn', complyBy?: string): RecordedAction => {
  const { complyBy: _c, ...base } = sampleFor(CpnAppealDetermined);
  return {
    detailType: 'CpnAppealDetermined',
    detail: { ...base, eventId: id(), caseId, subjectRef: 'subject-a', noticeEventId: notice.detail.eventId, occurredAt, outcome, ...(complyBy ? { complyBy } : {}) },
  };
};


describe('unit: statutory — age at the 16th birthday', () => {
  it('is 15 the day before the 16th birthday and 16 on it', () => {
    expect(ageOn('2008-06-04', '2024-06-03')).toBe(15);
    expect(ageOn('2008-06-04', '2024-06-04')).toBe(16);
  });

  it('turns a 29 February birthday on 1 March in a year without one', () => {
    expect(ageOn('2008-02-29', '2025-02-28')).toBe(16);
    expect(ageOn('2008-02-29', '2025-03-01')).toBe(17);
    expect(ageOn('2008-02-29', '2024-02-28')).toBe(15);
    expect(ageOn('2008-02-29', '2024-02-29')).toBe(16);
    expect(birthdayOf('2008-02-29', 17)).toBe('2025-03-01');
    expect(birthdayOf('2008-02-29', 16)).toBe('2024-02-29');
  });

  const harness = () => {
    const published: PublishEntry[] = [];
    const deps = {
      loadCase: async () => ({ view: caseView(), timeline: [] }),
      publish: async (e: PublishEntry) => void published.push(e),
      newId: id,
      now: () => new Date('2024-07-01T12:00:00+01:00'),
    };
    const run = (body: Record<string, unknown>) => recordAction({ body, caseId, principal: officer }, deps);
    return { published, run };
  };
  const warning = (occurredAt: string) => ({ detailType: 'WarningIssued', warningType: 'CPW', subjectRef: 'subject-a', subjectKind: 'person', subjectDateOfBirth: '2008-06-04', complyBy: '2024-06-30', occurredAt });

  it('refuses a CPW at 23:59 London time the day before the 16th birthday and accepts it at 00:00 on the birthday', async () => {
    const h = harness();
    await expect(h.run(warning('2024-06-03T23:59:00+01:00'))).rejects.toMatchObject({ code: 'cpw-recipient-under-16' });
    await expect(h.run(warning('2024-06-04T00:00:00+01:00'))).resolves.toMatchObject({ detailType: 'WarningIssued' });
    expect(h.published).toHaveLength(1);
    // The age on the day is kept; the date of birth is not.
    expect(h.published[0]?.detail).toMatchObject({ subjectAge: 16, subjectKind: 'person' });
    expect(h.published[0]?.detail).not.toHaveProperty('subjectDateOfBirth');
  });

  it('refuses an age that does not match the date of birth', async () => {
    await expect(harness().run({ ...warning('2024-06-04T10:00:00+01:00'), subjectAge: 18 })).rejects.toMatchObject({ details: [{ path: 'subjectAge' }] });
  });
});

describe('unit: statutory — CPW and CPN subjects: a person aged 16 or over, or a body', () => {
  it.each([
    [{ subjectKind: 'person' as const, subjectAge: 16 }, 'ok'],
    [{ subjectKind: 'person' as const, subjectAge: 15 }, 'cpw-recipient-under-16'],
    [{ subjectKind: 'person' as const, subjectAge: undefined }, 'cpw-person-age-needed'],
    [{ subjectKind: 'body' as const, subjectAge: undefined }, 'ok'],
    [{ subjectKind: 'body' as const, subjectAge: 40 }, 'cpw-body-has-no-age'],
    [{ subjectKind: undefined, subjectAge: undefined }, 'cpw-subject-kind-needed'],
  ])('gives a CPW to %o: %s', (subject, expected) => {
    expect(verdict(cpw('2024-05-20T10:00:00+01:00', '2024-06-03', subject))).toBe(expected);
  });

  it('serves a CPN on a body with no age after a CPW to the same body', () => {
    const warning = cpw('2024-05-20T10:00:00+01:00', '2024-06-03', { subjectRef: 'business-1', subjectKind: 'body', subjectAge: undefined });
    expect(verdict(cpn('2024-06-04T10:00:00+01:00', { subjectRef: 'business-1', subjectKind: 'body', subjectAge: undefined }), [warning])).toBe('ok');
    expect(verdict(cpn('2024-06-04T10:00:00+01:00', { subjectRef: 'business-1', subjectKind: 'person', subjectAge: undefined }), [warning])).toBe('cpn-person-age-needed');
  });

  it('finds the CPW on another case when it was to the same subject', async () => {
    const elsewhere: TimelineEntry = {
      eventId: 'cpw-other-case',
      occurredAt: '2024-05-20T10:00:00+01:00',
      source: 'safer-communities.enforcement',
      detailType: 'WarningIssued',
      actor: { kind: 'officer', id: 'officer-r-okafor' },
      officerId: 'officer-r-okafor',
      caseId: 'case-2024-0999',
      warningType: 'CPW',
      subjectRef: 'subject-a',
      subjectKind: 'person',
      subjectAge: 30,
      complyBy: '2024-06-03',
    };
    const body = { detailType: 'NoticeServed', noticeType: 'CPN', subjectRef: 'subject-a', subjectKind: 'person', subjectAge: 30, occurredAt: '2024-06-04T10:00:00+01:00' };
    const deps = (subjectActions: TimelineEntry[]) => ({
      loadCase: async () => ({ view: caseView(), timeline: [] }),
      subjectActions: async (ref: string) => subjectActions.filter((e) => e.subjectRef === ref),
      publish: async () => undefined,
      newId: id,
      now: () => new Date('2024-06-10T12:00:00Z'),
    });
    await expect(recordAction({ body, caseId, principal: officer }, deps([elsewhere]))).resolves.toMatchObject({ detailType: 'NoticeServed' });
    await expect(recordAction({ body, caseId, principal: officer }, deps([{ ...elsewhere, subjectRef: 'subject-b' }]))).rejects.toMatchObject({ code: 'cpn-needs-cpw' });
  });
});

describe('unit: statutory — a CPN can be appealed within 21 days', () => {
  const warning = cpw('2024-05-01T10:00:00+01:00', '2024-05-10');
  const notice = cpn('2024-06-10T10:00:00+01:00', { complyBy: '2024-06-24' });

  it('counts the day of issue as day 1: day 21 is the issue date + 20', () => {
    expect(cpnAppealLastDay('2024-06-10')).toBe('2024-06-30');
  });

  it('accepts an appeal made on day 21 and refuses one made on day 22', () => {
    expect(verdict(appeal(notice, '2024-07-02T10:00:00+01:00', '2024-06-30'), [warning, notice])).toBe('ok');
    expect(verdict(appeal(notice, '2024-07-02T10:00:00+01:00', '2024-07-01'), [warning, notice])).toBe('cpn-appeal-out-of-time');
  });

  it('refuses an appeal against a CPN that is not there, or a second one while the first is in progress', () => {
    expect(verdict(appeal(notice, '2024-06-20T10:00:00+01:00', '2024-06-20'), [warning])).toBe('appeal-needs-cpn');
    const first = appeal(notice, '2024-06-15T10:00:00+01:00', '2024-06-15');
    expect(verdict(appeal(notice, '2024-06-20T10:00:00+01:00', '2024-06-20'), [warning, notice, first])).toBe('cpn-appeal-already-lodged');
  });

  it('refuses an outcome without an appeal in progress', () => {
    expect(verdict(decided(notice, '2024-07-10T10:00:00+01:00', 'dismissed'), [warning, notice])).toBe('appeal-outcome-needs-appeal');
  });
});

describe('unit: statutory — a breach FPN after the CPN comply-by date, not for suspended requirements', () => {
  const warning = cpw('2024-05-01T10:00:00+01:00', '2024-05-10');
  const requirements = [
    { kind: 'stop' as const, text: 'Stop playing amplified music after 23:00' },
    { kind: 'do' as const, text: 'Fit a noise limiter to the sound system' },
  ];
  const notice = cpn('2024-06-10T10:00:00+01:00', { complyBy: '2024-06-24', requirements });

  it('refuses a breach FPN on the comply-by date and accepts it the day after (London midnight, BST)', () => {
    expect(verdict(fpn('2024-06-24T23:59:00+01:00'), [warning, notice])).toBe('fpn-before-cpn-comply-by');
    expect(verdict(fpn('2024-06-25T00:00:00+01:00'), [warning, notice])).toBe('ok');
  });

  it('refuses a breach FPN without an earlier CPN to the same subject', () => {
    expect(verdict(fpn('2024-06-25T10:00:00+01:00'), [warning])).toBe('fpn-needs-cpn');
    expect(verdict(fpn('2024-06-25T10:00:00+01:00', { subjectRef: 'subject-b' }), [warning, notice])).toBe('fpn-needs-cpn');
  });

  it('while an appeal is in progress, accepts a breach of a stop requirement and refuses a breach of a do requirement', () => {
    const lodged = appeal(notice, '2024-06-20T10:00:00+01:00', '2024-06-20');
    const history = [warning, notice, lodged];
    expect(verdict(fpn('2024-06-26T10:00:00+01:00', { breachedRequirements: [1] }), history)).toBe('ok');
    expect(verdict(fpn('2024-06-26T10:00:00+01:00', { breachedRequirements: [2] }), history)).toBe('fpn-requirement-suspended-by-appeal');
    expect(verdict(fpn('2024-06-26T10:00:00+01:00'), history)).toBe('fpn-requirement-suspended-by-appeal');
    expect(verdict(fpn('2024-06-26T10:00:00+01:00', { breachedRequirements: [3] }), history)).toBe('fpn-unknown-requirement');
  });

  it('lets a do requirement be breached again once the appeal is dismissed, and none once the CPN is quashed', () => {
    const lodged = appeal(notice, '2024-06-20T10:00:00+01:00', '2024-06-20');
    const dismissed = decided(notice, '2024-07-10T10:00:00+01:00', 'dismissed');
    expect(verdict(fpn('2024-07-11T10:00:00+01:00', { breachedRequirements: [2] }), [warning, notice, lodged, dismissed])).toBe('ok');
    const quashed = decided(notice, '2024-07-10T10:00:00+01:00', 'quashed');
    expect(verdict(fpn('2024-07-11T10:00:00+01:00', { breachedRequirements: [1] }), [warning, notice, lodged, quashed])).toBe('fpn-cpn-quashed');
  });

  it('uses the comply-by date the court set when it modified the notice', () => {
    const lodged = appeal(notice, '2024-06-20T10:00:00+01:00', '2024-06-20');
    const modified = decided(notice, '2024-07-10T10:00:00+01:00', 'modified', '2024-08-05');
    const history = [warning, notice, lodged, modified];
    expect(verdict(fpn('2024-08-05T12:00:00+01:00', { breachedRequirements: [2] }), history)).toBe('fpn-before-cpn-comply-by');
    expect(verdict(fpn('2024-08-06T09:00:00+01:00', { breachedRequirements: [2] }), history)).toBe('ok');
  });
});

describe('unit: statutory — closure notices and the 48-hour hearing, Christmas Day not counted', () => {
  it('gives the hearing 48 hours after service when no Christmas Day falls in them', () => {
    expect(closureHearingDueBy('2024-06-14T18:00:00+01:00').toISOString()).toBe('2024-06-16T17:00:00.000Z');
  });

  it('skips the 24 hours of Christmas Day when the 48 hours span it', () => {
    // Served 18:00 on 24 December: 6 hours to midnight, Christmas Day skipped, 42 more from 00:00 on 26 December.
    expect(closureHearingDueBy('2024-12-24T18:00:00Z').toISOString()).toBe('2024-12-27T18:00:00.000Z');
    // Served 18:00 on 23 December: 30 hours before Christmas Day, 18 after it.
    expect(closureHearingDueBy('2024-12-23T18:00:00Z').toISOString()).toBe('2024-12-26T18:00:00.000Z');
  });

  it('ends exactly at midnight before Christmas Day when the 48 hours run out then, and starts counting at midnight when served on Christmas Day', () => {
    expect(addHoursDisregardingChristmas('2024-12-23T00:00:00Z', 48).toISOString()).toBe('2024-12-25T00:00:00.000Z');
    expect(closureHearingDueBy('2024-12-25T15:00:00Z').toISOString()).toBe('2024-12-28T00:00:00.000Z');
  });

  it('leaves a 24-hour notice as 24 clock hours and disregards Christmas Day in a 48-hour one', () => {
    expect(closureNoticeEnds('2024-12-24T18:00:00Z', 24).toISOString()).toBe('2024-12-25T18:00:00.000Z');
    expect(closureNoticeEnds('2024-12-24T18:00:00Z', 48).toISOString()).toBe('2024-12-27T18:00:00.000Z');
  });

  const notice = (occurredAt: string, over: Over<typeof ClosureNoticeServed> = {}): RecordedAction => ({
    detailType: 'ClosureNoticeServed',
    detail: { ...sampleFor(ClosureNoticeServed), eventId: id(), caseId, occurredAt, ...over },
  });

  it('needs the chief executive or a designate to sign a notice of more than 24 hours', () => {
    expect(verdict(notice('2024-06-14T18:00:00+01:00', { hours: 24 }))).toBe('ok');
    expect(verdict(notice('2024-06-14T18:00:00+01:00', { hours: 25 }))).toBe('closure-notice-over-24-hours-needs-authorisation');
    expect(verdict(notice('2024-06-14T18:00:00+01:00', { hours: 48, authorisedBy: 'Chief Executive' }))).toBe('ok');
  });

  it('records a closure notice with its end and hearing deadline worked out, and extends it to 48 hours in all while it has effect', async () => {
    const timeline: TimelineEntry[] = [];
    const deps = (now: string) => ({
      loadCase: async () => ({ view: caseView(), timeline }),
      publish: async (e: PublishEntry) => {
        const { eventId, occurredAt, actor, ...fields } = e.detail as Record<string, unknown> & { eventId: string; occurredAt: string; actor: TimelineEntry['actor'] };
        timeline.push({ eventId, occurredAt, actor, source: e.contract.source, detailType: e.contract.detailType, ...fields });
      },
      newId: id,
      now: () => new Date(now),
    });
    const served = await recordAction(
      { body: { detailType: 'ClosureNoticeServed', subjectRef: 'premises-9', hours: 24, occurredAt: '2024-12-24T18:00:00Z' }, caseId, principal: officer },
      deps('2024-12-24T18:05:00Z'),
    );
    expect(served).toMatchObject({ expiresAt: '2024-12-25T18:00:00.000Z', hearingDueBy: '2024-12-27T18:00:00.000Z' });
    const extend = (occurredAt: string, totalHours: number, authorisedBy?: string) =>
      recordAction(
        {
          body: { detailType: 'ClosureNoticeExtended', closureNoticeEventId: served.eventId, subjectRef: 'premises-9', totalHours, occurredAt, ...(authorisedBy ? { authorisedBy } : {}) },
          caseId,
          principal: officer,
        },
        deps('2024-12-26T12:00:00Z'),
      );
    await expect(extend('2024-12-25T12:00:00Z', 48)).rejects.toMatchObject({ code: 'closure-extension-needs-authorisation' });
    await expect(extend('2024-12-25T18:00:00Z', 48, 'Chief Executive')).rejects.toMatchObject({ code: 'closure-extension-after-expiry' });
    await expect(extend('2024-12-25T12:00:00Z', 48, 'Chief Executive')).resolves.toMatchObject({ expiresAt: '2024-12-27T18:00:00.000Z' });
    await expect(
      recordAction({ body: { detailType: 'ClosureNoticeServed', subjectRef: 'premises-9', hours: 24, expiresAt: '2024-12-30T00:00:00Z' }, caseId, principal: officer }, deps('2024-12-26T12:00:00Z')),
    ).rejects.toMatchObject({ details: [{ path: 'expiresAt' }] });
  });
});

describe('unit: statutory — FPN tariff changes at Europe/London midnight', () => {
  it('charges the old amount at 23:59 BST on 31 March 2024 and the new one from 00:00 on 1 April', () => {
    expect(verdict(fpn('2024-03-31T23:59:00+01:00', { offence: 'littering', amountPence: 15_000 }))).toBe('ok');
    expect(verdict(fpn('2024-03-31T23:59:00+01:00', { offence: 'littering', amountPence: 50_000 }))).toBe('fpn-amount-not-tariff');
    expect(verdict(fpn('2024-03-31T23:00:00Z', { offence: 'littering', amountPence: 50_000 }))).toBe('ok'); // 00:00 BST on 1 April
    expect(verdict(fpn('2024-03-31T23:00:00Z', { offence: 'littering', amountPence: 15_000 }))).toBe('fpn-amount-not-tariff');
  });

  it('takes a tier amount and refuses a tier the tariff does not have on the date', () => {
    expect(verdict(fpn('2024-05-01T10:00:00+01:00', { offence: 'fly-tipping', tier: 'medium-fly-tip', amountPence: 70_000 }))).toBe('ok');
    expect(verdict(fpn('2024-05-01T10:00:00+01:00', { offence: 'fly-tipping', amountPence: 50_000 }))).toBe('ok');
    expect(verdict(fpn('2024-05-01T10:00:00+01:00', { offence: 'fly-tipping', tier: 'medium-fly-tip', amountPence: 50_000 }))).toBe('fpn-amount-not-tariff');
    expect(verdict(fpn('2024-03-01T10:00:00Z', { offence: 'fly-tipping', tier: 'medium-fly-tip', amountPence: 70_000 }))).toBe('fpn-unknown-tier');
  });

  it('issues FPNs for abandoned vehicles and nuisance parking at the amounts set', () => {
    expect(verdict(fpn('2024-05-01T10:00:00+01:00', { offence: 'abandoned-vehicle', amountPence: 20_000 }))).toBe('ok');
    expect(verdict(fpn('2024-05-01T10:00:00+01:00', { offence: 'nuisance-parking-vehicle-repairs', amountPence: 10_000 }))).toBe('ok');
    expect(verdict(fpn('2024-05-01T10:00:00+01:00', { offence: 'abandoned-vehicle', amountPence: 25_000 }))).toBe('fpn-amount-not-tariff');
  });
});
