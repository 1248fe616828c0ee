import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { staffDirectory, staffName } from '#shared/staff-directory';
import { actionFields, ageText, locationParts } from '../../functions/cases/page-model.ts';
import { dueToday, reviewRows, yearToDate } from '../../functions/officer-home/home-model.ts';
import { buildSearchIndex, queryTerms, termsOf } from '../../functions/officer-home/search.ts';
import { channelText, outcomeText, referralText } from '../../web/vocabulary.ts';

describe('unit: the officer pages show words and names', () => {
  it('asks only for the fields of the chosen action', () => {
    expect(actionFields('WarningIssued:CPW')).toEqual(['subjectRef', 'subjectKind', 'subjectAge', 'complyBy']);
    expect(actionFields('TeamActionRecorded:visit')).toEqual(['contactWith', 'subjectRef']);
    expect(actionFields('FixedPenaltyIssued')).toEqual(['subjectRef', 'offence']);
    expect(actionFields('CourtOrderObtained:closure-order')).toEqual(['subjectRef', 'expiresAt']);
    expect(actionFields('ReferralMade')).toEqual(['referral', 'subjectRef', 'subjectAge']);
    expect(actionFields('NotAnAction')).toEqual([]);
    expect(actionFields(undefined)).toEqual([]);
  });

  it('says codes as words, and an unknown code as it is', () => {
    expect(channelText('webform')).toBe('Online form');
    expect(referralText('housing')).toBe('Housing');
    expect(outcomeText('insufficient-evidence')).toBe('Not enough evidence to act');
    expect(outcomeText('Offender identified; FPN paid.')).toBe('Offender identified; FPN paid.');
  });

  it('names staff from the directory setting, the demo list without it, an unknown id as it is', () => {
    expect(staffName('local-officer', staffDirectory({}))).toBe('Sam Okafor');
    const directory = staffDirectory({ SC_STAFF_DIRECTORY: '{"u-123": "Alex Example"}' });
    expect(staffName('u-123', directory)).toBe('Alex Example');
    expect(staffName('u-999', directory)).toBe('u-999');
    expect(() => staffDirectory({ SC_STAFF_DIRECTORY: '["not", "an", "object"]' })).toThrow(/SC_STAFF_DIRECTORY/);
  });

  it('gives every part of a location, and an age in its largest whole unit', () => {
    expect(locationParts({ text: 'Mill Lane lay-by', postcode: 'LE2 1AB', lat: 52.6, lng: -1.1 })).toEqual([
      { key: 'Place', value: 'Mill Lane lay-by' },
      { key: 'Postcode', value: 'LE2 1AB' },
      { key: 'Map point', value: '52.60000, -1.10000' },
    ]);
    const now = new Date('2026-12-01T12:00:00Z');
    expect(ageText('2026-12-01T11:20:00Z', now)).toBe('40 minutes');
    expect(ageText('2026-12-01T11:00:00Z', now)).toBe('1 hour');
    expect(ageText('2026-11-28T12:00:00Z', now)).toBe('3 days');
  });
});

describe("unit: the officer's home page and search", () => {
  it('indexes a report by reference, whole postcode, outward code and the subjects it names', () => {
    expect(termsOf({ reference: 'sc-7K2M', location: { postcode: 'le2 1ab' }, subjectRefs: ['subject_x'] })).toEqual([
      'ref:SC-7K2M',
      'postcode:LE21AB',
      'postcode:LE2',
      'subject:subject_x',
    ]);
    expect(termsOf({ location: { text: 'Mill Lane' } })).toEqual([]);
  });

  it('fails the delivery when its puts stay unprocessed, so it is retried, rather than dropping terms', async () => {
    // DynamoDB answering every batch with all of it unprocessed (throttled throughout).
    let requests = 0;
    const db = { send: async (command: { input: { RequestItems: unknown } }) => (requests += 1, { UnprocessedItems: command.input.RequestItems }) } as unknown as DynamoDBDocumentClient;
    const report = { reportId: 'rpt-1', reference: 'SC-1', location: { postcode: 'LE2 1AB' } } as Parameters<ReturnType<typeof buildSearchIndex>['index']>[0];
    vi.useFakeTimers();
    try {
      const indexed = buildSearchIndex(db, 'main').index(report, '2024-05-14T08:31:00Z');
      const outcome = expect(indexed).rejects.toThrow(/3 items of the search index of report rpt-1 left unwritten after 8 attempts/);
      await vi.runAllTimersAsync();
      await outcome;
      expect(requests).toBe(8);
    } finally {
      vi.useRealTimers();
    }
  });

  it('looks a query up as a reference, a postcode and a subject, and as a case id when it is one', () => {
    expect(queryTerms(' le2 1ab ')).toEqual({ terms: ['ref:LE2 1AB', 'ref:LE21AB', 'postcode:LE21AB', 'subject:le2 1ab'] });
    expect(queryTerms('Case-2026-0012').caseId).toBe('case-2026-0012');
    expect(queryTerms('  ')).toEqual({ terms: [] });
  });

  it('lists reminders due today or passed, and case reviews due within a week', () => {
    const item = (dueOn: string) => ({ reminder: 'abc-review' as const, caseId: 'case-1', owner: 'safer-communities' as const, dueOn, message: 'm' });
    expect(dueToday([item('2026-12-01'), item('2026-11-30'), item('2026-12-02')], '2026-12-01').map((i) => i.dueOn)).toEqual(['2026-12-01', '2026-11-30']);
    const review = (dueOn: string, overdue = false) => ({ reviewId: 'r', reference: 'CR-1', kind: 'hold-review' as const, dueOn, overdue, message: 'Hold it.' });
    expect(reviewRows([review('2026-11-20', true), review('2026-12-08'), review('2026-12-09')], '2026-12-01').map((r) => r.due)).toEqual(['20 November 2026 (overdue)', '8 December 2026']);
  });

  it('shows the KPI tiles for the financial year so far', () => {
    expect(yearToDate('2026-12-01')).toEqual({ from: '2026-04-01', to: '2026-12-01', name: '2026-27 so far' });
    expect(yearToDate('2027-02-10').from).toBe('2026-04-01');
  });
});
