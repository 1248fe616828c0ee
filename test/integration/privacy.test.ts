import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonDateOf } from '#shared/london-time';
import { REMOVED_TEXT } from '../../functions/privacy/retention-rules.ts';
import { archivedObjects, compactArchive } from '../support/archive.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
const person = { name: 'Ada Quickfall', email: 'ada.quickfall@example.org', phone: '07700 900461', consentToContact: true };
const report = (description: string, over: Record<string, unknown> = {}) => ({
  category: 'asb.noise',
  description,
  occurredAt: '2026-11-20T22:30:00Z',
  location: { postcode: 'LE13 0UL', text: 'Flat above the bakery' },
  hateMotivated: false,
  contact: person,
  ...over,
});

describe('integration: people\'s personal data', () => {
  let stack: TestStack;
  const reportIds: string[] = [];
  let reviewId = '';

  beforeAll(async () => {
    stack = await startTestStack();
    for (const d of ['Music until 3am from the flat above', 'Shouting and music again']) {
      const res = await stack.request('POST', '/reports', { json: report(d) });
      expect(res.status, await res.clone().text()).toBe(202);
      reportIds.push(((await res.json()) as { reportId: string }).reportId);
    }
    const today = londonDateOf(new Date());
    const cr = await stack.request('POST', '/case-reviews', {
      json: { applicant: person, hateIncident: false, description: 'I have reported this three times and nothing changes.', complaints: [{ reportedTo: 'police', incidentOn: today, reportedOn: today }] },
    });
    expect(cr.status).toBe(202);
    reviewId = ((await cr.json()) as { reviewId: string }).reviewId;
    await stack.settle();
  });
  afterAll(() => stack.dispose());

  const showForm = (kind: string, id: string, form: Record<string, string>, role: 'officer' | 'tenancy' | 'admin' = 'officer') =>
    stack.request('POST', `/officer/privacy/contact/${kind}/${id}`, { role, form });
  const accessRecord = async (query = '') => {
    const res = await stack.request('GET', `/privacy/access-record${query}`, { role: 'admin' });
    expect(res.status).toBe(200);
    return (await res.json()) as { entries: any[]; next?: string };
  };

  it('shows a reporter\'s details only after a reason is given, and records who, when, which report and why', async () => {
    const [reportId] = reportIds as [string];
    const form = await stack.request('GET', `/officer/privacy/contact/report/${reportId}`, { role: 'officer' });
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain('Why do you need to see them?');
    expect(formHtml).not.toContain(person.email);

    const noReason = await showForm('report', reportId, {});
    expect(noReason.status).toBe(422);
    const noReasonHtml = await noReason.text();
    expect(noReasonHtml).toContain('Choose why you need to see their contact details');
    expect(noReasonHtml).not.toContain(person.email);
    expect((await showForm('report', reportId, { reason: 'other', note: '' })).status).toBe(422);
    expect((await accessRecord()).entries).toHaveLength(0);

    const shown = await showForm('report', reportId, { reason: 'contact-about-report' });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const html = await shown.text();
    expect(html).toContain(person.email);
    expect(html).toContain('07700 900461');

    const [entry] = (await accessRecord()).entries;
    expect(entry).toMatchObject({ action: 'show-contact', by: 'local-officer', item: { kind: 'report', id: reportId }, reason: 'contact-about-report' });
    expect(Date.now() - Date.parse(entry.at)).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(entry)).not.toContain(person.email);
  });

  it('answers the same step as JSON, and keeps case review applicants to the reviewers', async () => {
    const [, second] = reportIds as [string, string];
    const json = await stack.request('POST', '/privacy/contact-access', { role: 'tenancy', json: { kind: 'report', id: second, reason: 'other', note: 'Joint visit with the housing officer' } });
    expect(json.status).toBe(200);
    expect(((await json.json()) as any).contact).toMatchObject({ email: person.email });
    expect((await stack.request('POST', '/privacy/contact-access', { role: 'tenancy', json: { kind: 'case-review', id: reviewId, reason: 'safeguarding' } })).status).toBe(403);
    expect((await stack.request('POST', '/privacy/contact-access', { role: 'officer', json: { kind: 'report', id: second } })).status).toBe(400);
    expect((await stack.request('POST', '/privacy/contact-access', { role: 'officer', json: { kind: 'report', id: 'no-such-report', reason: 'safeguarding' } })).status).toBe(404);

    // The case review page no longer shows the applicant's details: only the step does.
    const page = await stack.request('GET', `/officer/case-reviews/${reviewId}`, { role: 'officer' });
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).not.toContain(person.email);
    expect(pageHtml).toContain(`/officer/privacy/contact/case-review/${reviewId}`);
    const shown = await showForm('case-review', reviewId, { reason: 'case-review-letter' });
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain(person.email);
  });

  it('lists the record newest first, paged, by report and by officer, as JSON and as a page', async () => {
    const all = await accessRecord();
    expect(all.entries.map((e) => e.action)).toEqual(['show-contact', 'show-contact', 'show-contact']);
    expect(all.entries.map((e) => e.at)).toEqual([...all.entries.map((e) => e.at)].sort().reverse());
    expect(all.entries[0].item).toEqual({ kind: 'case-review', id: reviewId });

    const first = await accessRecord('?limit=2');
    expect(first.entries).toHaveLength(2);
    const rest = await accessRecord(`?limit=2&cursor=${first.next}`);
    expect(rest.entries.map((e) => e.entryId)).toEqual([all.entries[2].entryId]);
    expect(rest.next).toBeUndefined();
    expect((await stack.request('GET', '/privacy/access-record?cursor=bm90LWEtY3Vyc29y', { role: 'admin' })).status).toBe(400);

    expect((await accessRecord(`?report=${reportIds[1]}`)).entries.map((e) => e.by)).toEqual(['local-tenancy']);
    expect((await accessRecord('?officer=local-officer')).entries).toHaveLength(2);

    const page = await stack.request('GET', `/admin/privacy/access-record?report=${reportIds[0]}`, { role: 'admin', headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('To contact them about what they reported');
    expect(html).not.toContain('Joint visit');
  });

  it('exports everything held about the person, found by e-mail, as JSON and as a page, and records the export', async () => {
    const res = await stack.request('POST', '/privacy/subject-access', { role: 'admin', json: { email: 'Ada.Quickfall@example.org', requestReference: 'SAR-2026-014' } });
    expect(res.status).toBe(200);
    const sar = (await res.json()) as any;
    expect(sar.found).toBe(true);
    expect(sar.contactDetails).toMatchObject({ name: person.name, email: person.email, phone: person.phone });
    expect(sar.reports.map((r: any) => r.description).sort()).toEqual(['Music until 3am from the flat above', 'Shouting and music again']);
    expect(sar.caseReviews).toHaveLength(1);
    expect(sar.caseReviews[0]).toMatchObject({ role: 'applicant', reviewId, description: 'I have reported this three times and nothing changes.' });
    expect(sar.accessRecord).toHaveLength(3);

    const byPhone = (await (await stack.request('POST', '/privacy/subject-access', { role: 'admin', json: { phone: '+44 7700 900461', requestReference: 'SAR-2026-014' } })).json()) as any;
    expect(byPhone.contactRef).toBe(sar.contactRef);

    const page = await stack.request('POST', '/admin/privacy/subject-access', { role: 'admin', form: { requestReference: 'SAR-2026-015', contactRef: sar.contactRef } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Shouting and music again');
    expect(html).toContain(person.name);

    const missing = await stack.request('POST', '/admin/privacy/subject-access', { role: 'admin', form: { email: person.email } });
    expect(missing.status).toBe(422);

    const recorded = (await accessRecord()).entries.filter((e) => e.action === 'subject-access');
    expect(recorded.map((e) => e.reason)).toEqual(['SAR-2026-015', 'SAR-2026-014', 'SAR-2026-014']);
    expect(JSON.stringify(recorded)).not.toContain(person.email);
    expect(JSON.stringify(recorded)).not.toContain('7700');
  });

  it('erases the person: the details and their free text go, KPIs stay exactly as they were, the archive held only opaque references', async () => {
    const today = londonDateOf(new Date());
    const kpis = async () => {
      const res = await stack.request('GET', `/kpis?from=${today.slice(0, 8)}01&to=${today}`, { role: 'officer' });
      expect(res.status).toBe(200);
      return res.json();
    };
    const before = await kpis();
    const sar = (await (await stack.request('POST', '/privacy/subject-access', { role: 'admin', json: { email: person.email, requestReference: 'ER-1' } })).json()) as any;

    const res = await stack.request('POST', '/privacy/erasures', { role: 'admin', json: { email: person.email, requestReference: 'ER-1' } });
    expect(res.status).toBe(200);
    const erased = (await res.json()) as any;
    expect(erased.outcome).toMatchObject({ contact: 1, 'contact-identity': 2, report: 2, 'case-review': 1 });

    expect(await kpis()).toEqual(before);
    // Found by nothing now: the identity digests went with the vault item.
    const after = (await (await stack.request('POST', '/privacy/subject-access', { role: 'admin', json: { email: person.email, requestReference: 'ER-1' } })).json()) as any;
    expect(after.contactRef).toBeUndefined();
    const byRef = (await (await stack.request('POST', '/privacy/subject-access', { role: 'admin', json: { contactRef: sar.contactRef, requestReference: 'ER-1' } })).json()) as any;
    expect(byRef.contactDetails).toBeUndefined();
    expect(byRef.reports).toEqual([]);
    expect(byRef.caseReviews[0].description).toBe(REMOVED_TEXT);
    const stored = (await (await stack.request('GET', `/reports/${reportIds[0]}`, { role: 'officer' })).json()) as any;
    expect(stored.description).toBe(REMOVED_TEXT);
    expect(stored.location.text).toBe(REMOVED_TEXT);
    expect(stored.reporter).toEqual({ anonymous: true });
    expect((await stack.request('POST', '/privacy/contact-access', { role: 'officer', json: { kind: 'report', id: reportIds[0], reason: 'safeguarding' } })).status).toBe(400);

    const erasures = (await accessRecord()).entries.filter((e) => e.action === 'erasure');
    expect(erasures).toHaveLength(1);
    const [entry] = erasures;
    expect(entry).toMatchObject({ action: 'erasure', by: 'local-admin', contactRef: sar.contactRef, reason: 'ER-1' });
    expect(JSON.stringify(entry)).not.toMatch(/Quickfall|ada\.quickfall|7700|Music/);

    // A second erasure finds nothing held.
    expect((await stack.request('POST', '/privacy/erasures', { role: 'admin', json: { email: person.email, requestReference: 'ER-1' } })).status).toBe(404);

    // Every event in the archive (both prefixes) names the reporter only by the opaque contactRef.
    await compactArchive(stack);
    const objects = await archivedObjects(stack);
    expect(objects.length).toBeGreaterThan(0);
    const text = objects.map((o) => o.text).join('\n');
    expect(text).toContain(sar.contactRef);
    for (const personal of [person.name, 'Quickfall', person.email, 'ada.quickfall', '07700 900461', '07700900461']) expect(text).not.toContain(personal);
  });

  it('erasure refuses an enforcement subject and asks for a request reference', async () => {
    expect((await stack.request('POST', '/privacy/erasures', { role: 'admin', json: { subjectRef: 'subj-1', requestReference: 'ER-2' } })).status).toBe(400);
    expect((await stack.request('POST', '/privacy/erasures', { role: 'admin', json: { email: 'x@example.org' } })).status).toBe(400);
    const page = await stack.request('POST', '/admin/privacy/erasure', { role: 'admin', form: { requestReference: 'ER-3', email: 'x@example.org' } });
    expect(page.status).toBe(422);
    expect(await page.text()).toContain('Tick the box to confirm the erasure');
  });

  it('the nightly retention job removes report text past its period and reports past theirs, and keeps the rest', async () => {
    const old = await stack.request('POST', '/reports', { json: report('Old noise complaint', { occurredAt: '2023-01-10T20:00:00Z', contact: undefined }) });
    const fresh = await stack.request('POST', '/reports', { json: report('New noise complaint', { contact: undefined }) });
    const oldId = ((await old.json()) as any).reportId as string;
    const freshId = ((await fresh.json()) as any).reportId as string;
    await stack.settle();
    const sweep = stack.invokers.get('PrivacyRetention');
    expect(sweep).toBeDefined();
    const get = async (id: string) => stack.request('GET', `/reports/${id}`, { role: 'officer' });

    const run = (await sweep?.({ schedule: 'PrivacyRetentionSweep', scheduledTime: new Date().toISOString() })) as any;
    expect(run.textRemoved.report).toBe(1);
    expect(((await (await get(oldId)).json()) as any).description).toBe(REMOVED_TEXT);
    expect(((await (await get(freshId)).json()) as any).description).toBe('New noise complaint');
    // Run again: nothing more to do.
    expect(((await sweep?.({ scheduledTime: new Date().toISOString() })) as any).textRemoved.report).toBe(0);

    // Seven years on, the old report is past its record period; the new one (under 6 years then) is only stripped of its text.
    const later = new Date(Date.parse('2023-01-10T20:00:00Z') + 6 * 366 * 86_400_000 + 86_400_000);
    const laterRun = (await sweep?.({ scheduledTime: later.toISOString() })) as any;
    expect(laterRun.deleted.report).toBe(1);
    expect((await get(oldId)).status).toBe(404);
    expect(((await (await get(freshId)).json()) as any).description).toBe(REMOVED_TEXT);
  });

  it('exports what the enforcement subject index holds about a subject: the actions and their cases', async () => {
    const created = await stack.request('POST', '/reports', { json: report('Threats at the bus shelter', { contact: undefined }) });
    const reportId = ((await created.json()) as any).reportId as string;
    await stack.settle();
    const opened = await stack.request('POST', `/reports/${reportId}/triage`, { role: 'officer', json: { action: 'open-case', kind: 'asb', owner: 'safer-communities' } });
    expect(opened.status, await opened.clone().text()).toBe(202);
    const { caseId } = (await opened.json()) as { caseId: string };
    await stack.settle();
    const cpw = await stack.request('POST', `/cases/${caseId}/actions`, {
      role: 'officer',
      json: { detailType: 'WarningIssued', warningType: 'CPW', subjectRef: 'sr_privacy-test-subject', subjectKind: 'person', subjectAge: 34, complyBy: londonDateOf(new Date(Date.now() + 14 * 86_400_000)) },
    });
    expect(cpw.status, await cpw.clone().text()).toBe(202);
    await stack.settle();

    const res = await stack.request('POST', '/privacy/subject-access', { role: 'admin', json: { subjectRef: 'sr_privacy-test-subject', requestReference: 'SAR-S1' } });
    expect(res.status).toBe(200);
    const sar = (await res.json()) as any;
    expect(sar.found).toBe(true);
    expect(sar.enforcementActions).toHaveLength(1);
    expect(sar.enforcementActions[0]).toMatchObject({ detailType: 'WarningIssued', caseId, warningType: 'CPW', subjectRef: 'sr_privacy-test-subject' });
    expect(sar.cases.map((c: any) => c.caseId)).toEqual([caseId]);
    expect(sar.contactDetails).toBeUndefined();
    const recorded = (await accessRecord()).entries[0];
    expect(recorded).toMatchObject({ action: 'subject-access', subjectRef: 'sr_privacy-test-subject', reason: 'SAR-S1' });

    const nobody = (await (await stack.request('POST', '/privacy/subject-access', { role: 'admin', json: { subjectRef: 'sr_nobody', requestReference: 'SAR-S2' } })).json()) as any;
    expect(nobody.found).toBe(false);
  });

  it('the retention job removes a case review application\'s text after 2 years and the whole review after 6', async () => {
    const today = londonDateOf(new Date());
    const cr = await stack.request('POST', '/case-reviews', {
      json: { applicant: { email: 'someone.else@example.org', consentToContact: true }, hateIncident: false, description: 'Still going on next door.', complaints: [{ reportedTo: 'police', incidentOn: today, reportedOn: today }] },
    });
    const id = ((await cr.json()) as any).reviewId as string;
    await stack.settle();
    const sweep = stack.invokers.get('PrivacyRetention');
    const review = async () => stack.request('GET', `/case-reviews/${id}`, { role: 'officer' });
    const description = async () => ((await (await review()).json()) as any).description;
    expect(await description()).toBe('Still going on next door.');

    const inYears = (years: number) => new Date(Date.now() + years * 366 * 86_400_000 + 86_400_000).toISOString();
    expect(((await sweep?.({ scheduledTime: new Date().toISOString() })) as any).textRemoved['case-review']).toBe(0);
    expect(((await sweep?.({ scheduledTime: inYears(2) })) as any).textRemoved['case-review']).toBeGreaterThanOrEqual(1);
    expect(await description()).toBe(REMOVED_TEXT);
    expect(((await sweep?.({ scheduledTime: inYears(6) })) as any).deleted['case-review']).toBeGreaterThanOrEqual(1);
    expect((await review()).status).toBe(404);
  });
});
