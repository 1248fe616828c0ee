import { describe, expect, it } from 'vitest';
import { CourtOrderObtained, FixedPenaltyIssued, NoticeServed, ReferralMade, WarningIssued } from '#events/enforcement';
import { sampleFor } from '#events/samples';
import { checkLadder, type RecordedAction } from '../../functions/enforcement/ladder.ts';
import { verdict } from '../support/ladder.ts';

let seq = 0;
const id = () => `evt-${(seq += 1)}`;
const caseId = 'case-2024-0001';

const cpw = (occurredAt: string, complyBy: string, over: Partial<ReturnType<typeof sampleFor<typeof WarningIssued>>> = {}): RecordedAction => ({
  detailType: 'WarningIssued',
  detail: { ...sampleFor(WarningIssued), eventId: id(), caseId, subjectRef: 'subject-a', occurredAt, complyBy, ...over },
});
const cpn = (occurredAt: string, over: Partial<ReturnType<typeof sampleFor<typeof NoticeServed>>> = {}): RecordedAction => ({
  detailType: 'NoticeServed',
  detail: { ...sampleFor(NoticeServed), eventId: id(), caseId, subjectRef: 'subject-a', occurredAt, ...over },
});
const order = (
  orderType: 'closure-order' | 'closure-order-extension' | 's1-injunction',
  occurredAt: string,
  expiresAt: string,
  over: Partial<ReturnType<typeof sampleFor<typeof CourtOrderObtained>>> = {},
): RecordedAction => ({
  detailType: 'CourtOrderObtained',
  detail: { ...sampleFor(CourtOrderObtained), eventId: id(), caseId, subjectRef: 'premises-1', orderType, occurredAt, expiresAt, ...over },
});
const fpn = (offence: string, occurredAt: string, amountPence: number, over: Partial<ReturnType<typeof sampleFor<typeof FixedPenaltyIssued>>> = {}): RecordedAction => ({
  detailType: 'FixedPenaltyIssued',
  detail: { ...sampleFor(FixedPenaltyIssued), eventId: id(), caseId, subjectRef: 'subject-a', offence, occurredAt, amountPence, ...over },
});


describe('unit: ladder — CPN needs an earlier CPW whose comply-by date has passed', () => {
  const warning = cpw('2024-05-20T15:10:00+01:00', '2024-06-03');

  it('accepts a CPN when served the day after the comply-by date', () => {
    expect(verdict(cpn('2024-06-04T09:00:00+01:00'), [warning])).toBe('ok');
  });

  it('refuses a CPN when served on the comply-by date itself', () => {
    expect(verdict(cpn('2024-06-03T17:00:00+01:00'), [warning])).toBe('cpn-before-comply-by');
  });

  it('refuses a CPN at 23:59 London time on the comply-by date and accepts it at 00:00 the next day when in BST', () => {
    expect(verdict(cpn('2024-06-03T22:59:00Z'), [warning])).toBe('cpn-before-comply-by'); // 23:59 BST on 3 June
    expect(verdict(cpn('2024-06-03T23:00:00Z'), [warning])).toBe('ok'); // 00:00 BST on 4 June
  });

  it('refuses a CPN when there is no CPW at all', () => {
    expect(verdict(cpn('2024-06-04T09:00:00+01:00'))).toBe('cpn-needs-cpw');
  });

  it('refuses a CPN when the only CPW was to someone else', () => {
    expect(verdict(cpn('2024-06-04T09:00:00+01:00', { subjectRef: 'subject-b' }), [warning])).toBe('cpn-needs-cpw');
  });

  it('refuses a CPN when the CPW was recorded after it', () => {
    const later = cpw('2024-06-05T10:00:00+01:00', '2024-06-06');
    expect(verdict(cpn('2024-06-04T09:00:00+01:00'), [later])).toBe('cpn-needs-cpw');
  });

  it('refuses a CPN when the only earlier warning to the person was not a CPW', () => {
    const verbal = cpw('2024-05-01T10:00:00+01:00', '2024-05-02', { warningType: 'verbal' });
    expect(verdict(cpn('2024-06-04T09:00:00+01:00'), [verbal])).toBe('cpn-needs-cpw');
  });

  it('accepts a CPN when one of several CPWs to the person has passed its date', () => {
    const second = cpw('2024-06-01T10:00:00+01:00', '2024-06-20');
    expect(verdict(cpn('2024-06-04T09:00:00+01:00'), [second, warning])).toBe('ok');
  });

  it('refuses a CPN without a case', () => {
    expect(verdict(cpn('2024-06-04T09:00:00+01:00', { caseId: undefined }), [warning])).toBe('cpn-needs-case');
  });

  it('explains the refusal with the dates when the CPN comes too early', () => {
    expect(() => checkLadder(cpn('2024-06-03T10:00:00+01:00'), { history: [warning] })).toThrow(/until 3 June 2024.*from the day after \(4 June 2024\)/);
  });

  it('leaves other notices alone when they have no CPW', () => {
    expect(verdict(cpn('2024-06-04T09:00:00+01:00', { noticeType: 's47-epa' }))).toBe('ok');
  });
});

describe('unit: ladder — ages', () => {
  it.each([
    [16, 'ok'],
    [15, 'cpw-recipient-under-16'],
  ])('gives a CPW to a person aged %i: %s', (age, expected) => {
    expect(verdict(cpw('2024-05-20T10:00:00+01:00', '2024-06-03', { subjectAge: age }))).toBe(expected);
  });

  it.each([
    [16, 'ok'],
    [15, 'cpn-recipient-under-16'],
  ])('serves a CPN on a person aged %i: %s', (age, expected) => {
    const warning = cpw('2024-05-20T10:00:00+01:00', '2024-06-03');
    expect(verdict(cpn('2024-06-04T10:00:00+01:00', { subjectAge: age }), [warning])).toBe(expected);
  });

  it.each([
    [10, 'ok'],
    [9, 'injunction-respondent-under-10'],
  ])('obtains a s.1 injunction against a respondent aged %i: %s', (age, expected) => {
    expect(verdict(order('s1-injunction', '2024-05-01T10:00:00+01:00', '2025-05-01', { subjectAge: age }))).toBe(expected);
  });

  it('refuses a CPW when neither the kind of subject nor an age is recorded, and accepts one to a body', () => {
    expect(verdict(cpw('2024-05-20T10:00:00+01:00', '2024-06-03', { subjectAge: undefined }))).toBe('cpw-subject-kind-needed');
    expect(verdict(cpw('2024-05-20T10:00:00+01:00', '2024-06-03', { subjectAge: undefined, subjectKind: 'body' }))).toBe('ok');
  });

  it('lets a referral be made for a child under 16 when recorded', () => {
    expect(verdict({ detailType: 'ReferralMade', detail: { ...sampleFor(ReferralMade), subjectAge: 12 } })).toBe('ok');
  });
});

describe('unit: ladder — a CPW gives time to comply', () => {
  it('accepts a comply-by date the day after the warning', () => {
    expect(verdict(cpw('2024-05-20T23:30:00+01:00', '2024-05-21'))).toBe('ok');
  });

  it('refuses a comply-by date on the day of the warning', () => {
    expect(verdict(cpw('2024-05-20T09:00:00+01:00', '2024-05-20'))).toBe('cpw-comply-by-not-after-issue');
  });
});

describe('unit: ladder — closure orders', () => {
  it('accepts a closure order ending exactly 3 months after it was made', () => {
    expect(verdict(order('closure-order', '2024-01-30T12:00:00Z', '2024-04-30'))).toBe('ok');
  });

  it('refuses a closure order ending the day after 3 months', () => {
    expect(verdict(order('closure-order', '2024-01-30T12:00:00Z', '2024-05-01'))).toBe('closure-order-over-3-months');
  });

  it('uses the last day of a short month when 3 months land on a missing date', () => {
    expect(verdict(order('closure-order', '2023-11-30T12:00:00Z', '2024-02-29'))).toBe('ok');
    expect(verdict(order('closure-order', '2023-11-30T12:00:00Z', '2024-03-01'))).toBe('closure-order-over-3-months');
  });

  it('dates the order by London time when made just after midnight in BST', () => {
    // 00:30 BST on 1 June 2024 is 23:30 UTC on 31 May.
    expect(verdict(order('closure-order', '2024-05-31T23:30:00Z', '2024-09-01'))).toBe('ok');
    expect(verdict(order('closure-order', '2024-05-31T22:30:00Z', '2024-09-01'))).toBe('closure-order-over-3-months');
  });

  it('refuses an order that ends on or before the day it was made', () => {
    expect(verdict(order('closure-order', '2024-01-30T12:00:00Z', '2024-01-30'))).toBe('order-expiry-not-after-start');
  });

  const original = order('closure-order', '2024-01-30T12:00:00Z', '2024-04-30');

  it('accepts an extension to exactly 6 months in all', () => {
    expect(verdict(order('closure-order-extension', '2024-04-20T10:00:00+01:00', '2024-07-30'), [original])).toBe('ok');
  });

  it('refuses an extension to the day after 6 months in all', () => {
    expect(verdict(order('closure-order-extension', '2024-04-20T10:00:00+01:00', '2024-07-31'), [original])).toBe('closure-order-over-6-months');
  });

  it('counts earlier extensions toward the 6 months when extended twice', () => {
    const first = order('closure-order-extension', '2024-04-20T10:00:00+01:00', '2024-06-15');
    expect(verdict(order('closure-order-extension', '2024-06-10T10:00:00+01:00', '2024-07-30'), [original, first])).toBe('ok');
    expect(verdict(order('closure-order-extension', '2024-06-10T10:00:00+01:00', '2024-08-01'), [original, first])).toBe('closure-order-over-6-months');
    expect(verdict(order('closure-order-extension', '2024-06-10T10:00:00+01:00', '2024-06-15'), [original, first])).toBe('extension-not-later');
  });

  it('refuses an extension without an earlier closure order', () => {
    expect(verdict(order('closure-order-extension', '2024-04-20T10:00:00+01:00', '2024-06-30'))).toBe('extension-needs-closure-order');
  });

  it('refuses an extension for other premises', () => {
    expect(verdict(order('closure-order-extension', '2024-04-20T10:00:00+01:00', '2024-06-30', { subjectRef: 'premises-2' }), [original])).toBe(
      'extension-needs-closure-order',
    );
  });

  it('accepts an extension made on the last day of the order and refuses one made the day after it ended', () => {
    expect(verdict(order('closure-order-extension', '2024-04-30T10:00:00+01:00', '2024-06-30'), [original])).toBe('ok');
    expect(verdict(order('closure-order-extension', '2024-05-01T10:00:00+01:00', '2024-06-30'), [original])).toBe('extension-after-expiry');
  });
});

describe('unit: ladder — fixed penalty amounts from the tariff', () => {
  it('accepts the tariff amount for fly-tipping before and after the council raised it in April 2024', () => {
    expect(verdict(fpn('fly-tipping', '2024-03-31T12:00:00+01:00', 40_000))).toBe('ok');
    expect(verdict(fpn('fly-tipping', '2024-04-01T09:00:00+01:00', 100_000))).toBe('ok');
  });

  it('refuses the old amount the day the new one took effect, and the new one the day before', () => {
    expect(verdict(fpn('fly-tipping', '2024-04-01T09:00:00+01:00', 40_000))).toBe('fpn-amount-not-tariff');
    expect(verdict(fpn('fly-tipping', '2024-03-31T23:30:00+01:00', 100_000))).toBe('fpn-amount-not-tariff');
  });

  it('dates the tariff by London time when the FPN is issued just after midnight in BST', () => {
    // 00:15 BST on 1 April 2024 is 23:15 UTC on 31 March: the new amounts apply.
    expect(verdict(fpn('littering', '2024-03-31T23:15:00Z', 50_000))).toBe('ok');
  });

  it('refuses the early-payment amount as the amount of the notice', () => {
    expect(verdict(fpn('littering', '2024-05-01T10:00:00+01:00', 25_000))).toBe('fpn-amount-not-tariff');
  });

  it('refuses an offence the tariff does not know', () => {
    expect(verdict(fpn('jaywalking', '2024-05-01T10:00:00+01:00', 5_000))).toBe('fpn-no-tariff');
  });

  it('refuses an offence before the tariff has any amount for it', () => {
    expect(verdict(fpn('littering', '2019-03-31T10:00:00+01:00', 15_000))).toBe('fpn-no-tariff');
  });

  it('refuses a penalty when the tariff itself is above the statutory maximum on the date', () => {
    const tariff = {
      bands: [{ offence: 'littering' as const, effectiveFrom: '2018-04-01', maxPence: 15_000, authority: 'test' }],
      entries: [{ offence: 'littering' as const, effectiveFrom: '2023-01-01', amountPence: 50_000, earlyPaymentPence: 25_000 }],
    };
    expect(() => checkLadder(fpn('littering', '2023-06-01T10:00:00+01:00', 50_000), { history: [], tariff })).toThrow(
      expect.objectContaining({ code: 'fpn-above-statutory-maximum' }),
    );
  });

  it('needs an earlier CPN to the same person for a CPN-breach penalty', () => {
    const warning = cpw('2024-05-01T10:00:00+01:00', '2024-05-10');
    const notice = cpn('2024-05-11T10:00:00+01:00', { complyBy: '2024-05-25' });
    expect(verdict(fpn('cpn-breach', '2024-06-01T10:00:00+01:00', 10_000), [warning, notice])).toBe('ok');
    expect(verdict(fpn('cpn-breach', '2024-06-01T10:00:00+01:00', 10_000), [warning])).toBe('fpn-needs-cpn');
    expect(verdict(fpn('cpn-breach', '2024-06-01T10:00:00+01:00', 10_000, { subjectRef: 'subject-b' }), [warning, notice])).toBe('fpn-needs-cpn');
  });
});
