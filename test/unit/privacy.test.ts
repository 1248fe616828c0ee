import { describe, expect, it } from 'vitest';
import { keys } from '#shared/keys';
import { retention } from '#shared/retention';
import { viewsOf } from '../../functions/privacy/access-record.ts';
import { checkReason } from '../../functions/privacy/contact-step.ts';
import { planErasure, tally } from '../../functions/privacy/erasure.ts';
import { parsePersonQuery, type Holdings } from '../../functions/privacy/holdings.ts';
import { retentionStep } from '../../functions/privacy/retention-rules.ts';
import { subjectAccessExport } from '../../functions/privacy/subject-access.ts';

const ref = 'ct_0123456789abcdef0123456789abcdef';
const DAY = 86_400_000;
const now = new Date('2030-06-01T12:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY).toISOString();

const holdings = (over: Partial<Holdings> = {}): Holdings => ({
  searchedBy: 'email',
  contactRef: ref,
  contact: { ...keys.contact(ref), type: 'contact', contact: { name: 'Ada Jones', email: 'ada@example.org', phone: '07700 900123', consentToContact: true }, createdAt: '2030-01-02T10:00:00.000Z', expiresAt: 1_900_000_000 },
  identityDigests: ['default#CONTACT-ID#aa', 'default#CONTACT-ID#bb'],
  reports: [
    { ...keys.report('r2'), type: 'report', reportId: 'r2', occurredAt: '2030-02-01T10:00:00Z', description: 'Music again', location: { postcode: 'LE11 1AA', text: 'Flat 3' }, reporter: { anonymous: false, contactRef: ref }, receivedEventId: 'e2', caseId: 'c1' },
    { ...keys.report('r1'), type: 'report', reportId: 'r1', occurredAt: '2030-01-01T10:00:00Z', description: 'Music', location: { postcode: 'LE11 1AA' }, reporter: { anonymous: false, contactRef: ref } },
  ],
  heldReportKeys: [{ pk: 'default#CASE-REVIEW#REPORTER#x', sk: 'REPORT#1' }],
  caseReviews: [
    { item: { pk: 'default#CASE-REVIEW#cr1', sk: 'EVENT#e9', gsi1sk: '2030-03-01T00:00:00.000Z#cr1', detail: { reviewId: 'cr1', description: 'Nothing was done', applicantRef: ref } }, role: 'applicant' },
    { item: { pk: 'default#CASE-REVIEW#cr2', sk: 'EVENT#e8', detail: { reviewId: 'cr2', description: 'About my neighbour', thirdParty: { representativeRef: ref, relationship: 'her son' } } }, role: 'representative' },
  ],
  cases: [{ ...keys.case('c1'), caseId: 'c1', status: 'open' }],
  subjectActions: [],
  access: [],
  ...over,
});

describe('privacy: retention decisions per data class', () => {
  it('keeps a report younger than its free text period, removes the text after it, deletes the report after its record period', () => {
    expect(retentionStep('report', daysAgo(retention.publicTextDays - 1), now, false)).toBe('keep');
    expect(retentionStep('report', daysAgo(retention.publicTextDays), now, false)).toBe('redact-text');
    expect(retentionStep('report', daysAgo(retention.publicTextDays + 10), now, true)).toBe('keep');
    expect(retentionStep('report', daysAgo(retention.reportDays), now, true)).toBe('delete');
    expect(retentionStep('case-review', daysAgo(retention.caseReviewDays + 1), now, false)).toBe('delete');
  });
  it('keeps a record whose date does not parse', () => {
    expect(retentionStep('report', 'yesterday', now, false)).toBe('keep');
  });
});

describe('privacy: the reason for showing contact details', () => {
  it('takes a listed reason, and a note with "other"', () => {
    expect(checkReason({ reason: 'safeguarding' })).toEqual({ reason: 'safeguarding' });
    expect(checkReason({ reason: 'other', note: '  court asked ' })).toEqual({ reason: 'other', note: 'court asked' });
  });
  it('refuses no reason, an unknown one, "other" without a note, and a long note', () => {
    expect(checkReason({})).toEqual({ problems: [{ path: 'reason', message: expect.stringContaining('choose why') }] });
    expect(checkReason({ reason: 'toString' })).toHaveProperty('problems');
    expect(checkReason({ reason: 'other', note: ' ' })).toEqual({ problems: [{ path: 'note', message: expect.stringContaining('say why') }] });
    expect(checkReason({ reason: 'safeguarding', note: 'x'.repeat(501) })).toHaveProperty('problems');
  });
});

describe('privacy: naming a person', () => {
  it('takes exactly one of e-mail, phone, contact reference or subject reference', () => {
    expect(parsePersonQuery({ email: 'a@example.org', phone: '' })).toEqual({ email: 'a@example.org' });
    expect(parsePersonQuery({ contactRef: ref })).toEqual({ contactRef: ref });
    expect(() => parsePersonQuery({})).toThrow(/exactly one/);
    expect(() => parsePersonQuery({ email: 'a@example.org', phone: '01509 123456' })).toThrow(/exactly one/);
    expect(() => parsePersonQuery({ contactRef: 'ada@example.org' })).toThrow(/ct_/);
  });
});

describe('privacy: the access record lists', () => {
  it('files an entry under every list it belongs to', () => {
    expect(viewsOf({ by: 'officer-1', item: { kind: 'report', id: 'r1' }, contactRef: ref })).toEqual([['ALL'], ['OFFICER', 'officer-1'], ['ITEM', 'report', 'r1'], ['CONTACT', ref]]);
    expect(viewsOf({ by: 'admin-1', subjectRef: 's1' })).toEqual([['ALL'], ['OFFICER', 'admin-1'], ['SUBJECT', 's1']]);
  });
});

describe('privacy: a subject access export', () => {
  it('holds the contact details, reports with their text oldest first, case reviews with the person\'s role, and cases, without table keys', () => {
    const out = subjectAccessExport(holdings(), now);
    expect(out.found).toBe(true);
    expect(out.contactDetails).toEqual({ name: 'Ada Jones', email: 'ada@example.org', phone: '07700 900123', consentToContact: true, heldSince: '2030-01-02T10:00:00.000Z', keptUntil: new Date(1_900_000_000_000).toISOString() });
    expect(out.reports.map((r) => [r.reportId, r.description])).toEqual([['r1', 'Music'], ['r2', 'Music again']]);
    expect(out.reports.every((r) => !('pk' in r) && !('type' in r))).toBe(true);
    expect(out.caseReviews.map((r) => [r.reviewId, r.role, r.description])).toEqual([['cr2', 'representative', 'About my neighbour'], ['cr1', 'applicant', 'Nothing was done']]);
    expect(out.cases).toEqual([{ caseId: 'c1', status: 'open' }]);
  });
  it('says when nothing is held', () => {
    const out = subjectAccessExport({ searchedBy: 'phone', identityDigests: [], reports: [], heldReportKeys: [], caseReviews: [], cases: [], subjectActions: [], access: [] }, now);
    expect(out.found).toBe(false);
    expect(out.contactDetails).toBeUndefined();
  });
  it('lists a subject\'s enforcement actions with their fields', () => {
    const out = subjectAccessExport(
      { ...holdings({ contact: undefined, reports: [], caseReviews: [], cases: [] }), contactRef: undefined, searchedBy: 'subjectRef', subjectRef: 's1', subjectActions: [{ pk: 'x', sk: 'y', eventId: 'e1', detailType: 'WarningIssued', fields: { caseId: 'c1', warningType: 'cpw' } }] },
      now,
    );
    expect(out.enforcementActions).toEqual([{ eventId: 'e1', detailType: 'WarningIssued', caseId: 'c1', warningType: 'cpw' }]);
  });
});

describe('privacy: planning an erasure', () => {
  it('deletes the vault item, its identity digests and the reporter index; blanks the free text the person wrote; keeps counts out of it', () => {
    const steps = planErasure(holdings());
    expect(tally(steps)).toEqual({ contact: 1, 'contact-identity': 2, 'reporter-index': 1, report: 2, 'report-progress': 1, 'case-review': 2 });
    const r2 = steps.find((s) => s.op === 'update' && s.what === 'report' && s.key.pk.endsWith('#r2'));
    expect(r2).toMatchObject({ blank: [['description'], ['location', 'text']], set: [{ path: ['reporter'], value: { anonymous: true } }] });
    const r1 = steps.find((s) => s.op === 'update' && s.what === 'report' && s.key.pk.endsWith('#r1'));
    expect(r1).toMatchObject({ blank: [['description']] });
    expect(steps.find((s) => s.what === 'report-progress')).toMatchObject({ key: keys.statusReportEntry('r2', 'e2'), remove: [['step', 'contactRef']] });
    // As applicant: the application's text; as representative: only what they said of themselves.
    expect(steps.filter((s) => s.what === 'case-review').map((s) => (s.op === 'update' ? s.blank : []))).toEqual([[['detail', 'description']], [['detail', 'thirdParty', 'relationship']]]);
    // Nothing about KPI counters, ledgers or cases.
    expect(steps.some((s) => /#(KPI|FUNDING|CASE)#/.test(s.key.pk))).toBe(false);
  });
  it('plans nothing for someone the vault does not know', () => {
    expect(planErasure({ searchedBy: 'email', identityDigests: [], reports: [], heldReportKeys: [], caseReviews: [], cases: [], subjectActions: [], access: [] })).toEqual([]);
  });
});
