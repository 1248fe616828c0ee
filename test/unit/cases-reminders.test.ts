import { describe, expect, it } from 'vitest';
import type { CaseView, TimelineEntry } from '../../functions/cases/case-model.ts';
import { caseView } from '../support/cases.ts';
import { dueItems, reminderEventId, type CaseWithTimeline } from '../../functions/cases/reminders.ts';

const view = (over: Partial<CaseView> = {}) => caseView({ openedAt: '2024-01-02T09:00:00.000Z', ...over });

let n = 0;
const entry = (detailType: string, occurredAt: string, fields: Record<string, unknown>): TimelineEntry => ({
  eventId: `evt-${(n += 1)}`,
  occurredAt,
  source: 'safer-communities.enforcement',
  detailType,
  actor: { kind: 'officer', id: 'officer-1' },
  officerId: 'officer-1',
  caseId: 'case-2024-0001',
  ...fields,
});

const kinds = (cases: CaseWithTimeline[], today: string) => dueItems(cases, today).map((i) => `${i.reminder}@${i.dueOn}`);

describe('unit: reminders — ABC reviews every 6 weeks', () => {
  const abc = entry('WarningIssued', '2024-01-10T10:00:00Z', { warningType: 'ABC', subjectRef: 's1' });
  const c = [{ view: view(), timeline: [abc] }];

  it('lists the first review from 7 days before it until its day', () => {
    expect(kinds(c, '2024-02-13')).toEqual([]);
    expect(kinds(c, '2024-02-14')).toEqual(['abc-review@2024-02-21']);
    expect(kinds(c, '2024-02-21')).toEqual(['abc-review@2024-02-21']);
  });

  it('moves on to the next review the day after one', () => {
    expect(kinds(c, '2024-02-22')).toEqual([]);
    expect(kinds(c, '2024-03-27')).toEqual(['abc-review@2024-04-03']);
  });

  it('lists nothing once the case is closed', () => {
    expect(kinds([{ view: view({ status: 'closed' }), timeline: [abc] }], '2024-02-21')).toEqual([]);
  });
});

describe('unit: reminders — CPW comply-by dates passed', () => {
  const cpw = entry('WarningIssued', '2024-05-20T14:10:00Z', { warningType: 'CPW', subjectRef: 's1', complyBy: '2024-06-03' });

  it('lists a CPW from the day after its comply-by date', () => {
    expect(kinds([{ view: view(), timeline: [cpw] }], '2024-06-03')).toEqual([]);
    expect(kinds([{ view: view(), timeline: [cpw] }], '2024-06-04')).toEqual(['cpw-comply-by-passed@2024-06-04']);
    expect(kinds([{ view: view(), timeline: [cpw] }], '2024-07-01')).toEqual(['cpw-comply-by-passed@2024-06-04']);
  });

  it('drops it once something about the same person is recorded after the date', () => {
    const cpn = entry('NoticeServed', '2024-06-05T09:00:00Z', { noticeType: 'CPN', subjectRef: 's1' });
    expect(kinds([{ view: view(), timeline: [cpw, cpn] }], '2024-06-10')).toEqual([]);
  });

  it('keeps it when the later action was about someone else or before the date', () => {
    const other = entry('TeamActionRecorded', '2024-06-05T09:00:00Z', { actionType: 'visit', subjectRef: 's2' });
    const early = entry('TeamActionRecorded', '2024-06-01T09:00:00Z', { actionType: 'visit', subjectRef: 's1' });
    expect(kinds([{ view: view(), timeline: [cpw, other, early] }], '2024-06-10')).toEqual(['cpw-comply-by-passed@2024-06-04']);
  });
});

describe('unit: reminders — orders expiring within 14 days', () => {
  const closure = entry('CourtOrderObtained', '2024-01-30T12:00:00Z', { orderType: 'closure-order', expiresAt: '2024-04-30', subjectRef: 'p1' });

  it('lists a closure order from 14 days before it ends until its last day', () => {
    expect(kinds([{ view: view(), timeline: [closure] }], '2024-04-15')).toEqual([]);
    expect(kinds([{ view: view(), timeline: [closure] }], '2024-04-16')).toEqual(['order-expiring@2024-04-30']);
    expect(kinds([{ view: view(), timeline: [closure] }], '2024-04-30')).toEqual(['order-expiring@2024-04-30']);
    expect(kinds([{ view: view(), timeline: [closure] }], '2024-05-01')).toEqual([]);
  });

  it('follows an extension to its new end date', () => {
    const extension = entry('CourtOrderObtained', '2024-04-20T09:00:00Z', { orderType: 'closure-order-extension', expiresAt: '2024-07-30', subjectRef: 'p1' });
    expect(kinds([{ view: view(), timeline: [closure, extension] }], '2024-04-20')).toEqual([]);
    expect(kinds([{ view: view(), timeline: [closure, extension] }], '2024-07-20')).toEqual(['order-expiring@2024-07-30']);
  });

  it('lists an injunction ending soon', () => {
    const injunction = entry('CourtOrderObtained', '2023-06-01T12:00:00Z', { orderType: 's1-injunction', expiresAt: '2024-06-01', subjectRef: 's1' });
    const due = dueItems([{ view: view(), timeline: [injunction] }], '2024-05-25');
    expect(due).toMatchObject([{ reminder: 'order-expiring', orderType: 's1-injunction', dueOn: '2024-06-01', message: expect.stringContaining('in 7 days') }]);
  });
});

describe('unit: reminders — tenancy first-contact targets missed', () => {
  const tenancy = view({ owner: 'tenancy-services', kind: 'tenancy', riskCategory: 'A', firstContact: { dueBy: '2024-06-04', state: 'overdue' } });

  it('lists an overdue case and not one that is still in time', () => {
    expect(kinds([{ view: tenancy, timeline: [] }], '2024-06-05')).toEqual(['first-contact-missed@2024-06-04']);
    expect(kinds([{ view: { ...tenancy, firstContact: { dueBy: '2024-06-04', state: 'due' } }, timeline: [] }], '2024-06-04')).toEqual([]);
  });
});

describe('unit: reminder event ids', () => {
  const [item] = dueItems([{ view: view(), timeline: [entry('WarningIssued', '2024-05-20T14:10:00Z', { warningType: 'CPW', subjectRef: 's1', complyBy: '2024-06-03' })] }], '2024-06-04');

  it('gives the same item the same id on the same day and a different id on another day', () => {
    if (!item) throw new Error('expected an item');
    expect(reminderEventId(item, '2024-06-04')).toBe(reminderEventId({ ...item }, '2024-06-04'));
    expect(reminderEventId(item, '2024-06-05')).not.toBe(reminderEventId(item, '2024-06-04'));
    expect(reminderEventId(item, '2024-06-04')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
