import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, londonDateOf } from '#shared/london-time';
import { buildAddReportPhoto } from '../../functions/intake/photos.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const DAY = 86_400_000;

describe('integration: the officer pages (home, search, triage with photos and duplicates, the case page forms)', () => {
  let stack: TestStack;
  let db: DynamoDBDocumentClient;

  beforeAll(async () => {
    stack = await startTestStack();
    db = DynamoDBDocumentClient.from(stack.dynamodb);
  });
  afterAll(() => stack.dispose());

  const officer = { role: 'officer' as const };
  const html = async (res: Response) => res.text();
  async function newReport(location: Record<string, unknown>, category = 'enviro.fly-tipping') {
    const res = await stack.request('POST', '/reports', {
      json: { category, description: 'Mattresses and bags dumped by the gate.', occurredAt: new Date(Date.now() - DAY).toISOString(), location, hateMotivated: false },
    });
    expect(res.status).toBe(202);
    return (await res.json()) as { reportId: string; reference: string };
  }
  /** A photo stored as intake stores an accepted one: the object under its report, and the report's photo list. */
  async function addPhoto(reportId: string) {
    const key = `photos/${reportId}/1.png`;
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.endpoints.buckets.intake, Key: key, Body: PNG, ContentType: 'image/png' }));
    await buildAddReportPhoto(db, stack.endpoints.tables.main)(reportId, { n: 1, key, contentType: 'image/png', bytes: PNG.length, addedAt: new Date().toISOString() });
  }
  const caseOf = async (caseId: string) => (await (await stack.request('GET', `/cases/${caseId}`, officer)).json()) as { status: string; assignedTo?: string; sharedWith?: string[]; reportIds: string[]; outcome?: string };

  let caseId = '';
  let first: { reportId: string; reference: string };
  let second: { reportId: string; reference: string };

  it('groups likely duplicates on the triage queue, with every part of the place and photos through short-lived links', async () => {
    first = await newReport({ postcode: 'LE13 9ZZ', text: 'Gate of the allotments, Hill Road' });
    second = await newReport({ postcode: 'le139zz', lat: 52.77, lng: -0.89 });
    const apart = await newReport({ postcode: 'LE13 9ZZ' }, 'asb.noise');
    await stack.settle();
    await addPhoto(first.reportId);

    const res = await stack.request('GET', '/officer/triage', officer);
    expect(res.status).toBe(200);
    const page = await html(res);
    expect(page).toContain('2 reports that look like the same thing');
    expect(page).toContain('Gate of the allotments, Hill Road');
    expect(page).toContain('52.77000, -0.89000');
    expect(page).toContain('Online form');
    expect(page).toContain(apart.reference);
    // The page links the photo to OfficerPhotos on its own origin; nothing is signed in the page.
    const src = /<img class="sc-thumb" src="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(src).toBe(`/officer/photos/${first.reportId}/1`);
    expect(page).not.toContain('X-Amz-');
    // The link redirects to the bucket: the page may show images from the bucket's origin.
    const bucketOrigin = new URL(stack.endpoints.s3).origin;
    expect(res.headers.get('content-security-policy')).toContain(`img-src 'self' data: ${bucketOrigin};`);

    const redirect = await stack.request('GET', src, officer);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    const location = new URL(redirect.headers.get('location') ?? '');
    expect(location.origin).toBe(bucketOrigin);
    expect(location.pathname).toBe(`/${stack.endpoints.buckets.intake}/photos/${first.reportId}/1.png`);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
    // The link works without any token, and gives the photo as stored.
    const photo = await fetch(location);
    expect(photo.status).toBe(200);
    expect(Buffer.from(await photo.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('answers "page not found" for a photo there is not, and refuses roles that do not work cases', async () => {
    for (const path of [`/officer/photos/${first.reportId}/2`, `/officer/photos/${second.reportId}/1`, '/officer/photos/no-such-report/1', `/officer/photos/${first.reportId}/x`]) {
      const missing = await stack.request('GET', path, { ...officer, headers: { accept: 'text/html' } });
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get('content-type'), path).toContain('text/html');
      expect(await html(missing), path).toContain('Page not found');
    }
    for (const role of ['tenancy', 'admin'] as const) expect((await stack.request('GET', `/officer/photos/${first.reportId}/1`, { role })).status, role).toBe(302);
    for (const role of ['partner', 'finance'] as const) {
      const refused = await stack.request('GET', `/officer/photos/${first.reportId}/1`, { role, headers: { accept: 'text/html' } });
      expect(refused.status, role).toBe(403);
      expect(refused.headers.get('location'), role).toBeNull();
      expect(await html(refused), role).toContain('You cannot see this page');
    }
    // A browser that is not signed in is sent to sign in, and brought back to the photo.
    const anonymous = await stack.request('GET', `/officer/photos/${first.reportId}/1`, { headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain(`returnTo=${encodeURIComponent(`/officer/photos/${first.reportId}/1`)}`);
  });

  it('opens a case for one report and links its ticked duplicate with one decision', async () => {
    const form = new URLSearchParams({ action: 'open-case', kind: 'enviro', owner: 'safer-communities', hateRelated: 'no', also: second.reportId });
    const res = await stack.request('POST', `/officer/triage/${first.reportId}`, {
      ...officer,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/^\/officer\/cases\/case-\d{4}-\d{4}\?linked=1$/);
    caseId = /case-\d{4}-\d{4}/.exec(location)?.[0] ?? '';
    await stack.settle();
    expect((await caseOf(caseId)).reportIds.sort()).toEqual([first.reportId, second.reportId].sort());
    expect(stack.observedOf('ReportLinked').map((e) => e.detail)).toEqual([expect.objectContaining({ reportId: second.reportId, caseId })]);
    const casePage = await stack.request('GET', location, officer);
    const page = await html(casePage);
    expect(page).toContain('1 more report was linked to this case');
    // CasePage links the photo to OfficerPhotos too, and allows the bucket's origin; a page without photos does not.
    expect(page).toContain(`src="/officer/photos/${first.reportId}/1"`);
    expect(casePage.headers.get('content-security-policy')).toContain(`img-src 'self' data: ${new URL(stack.endpoints.s3).origin};`);
    expect((await stack.request('GET', '/officer/cases', officer)).headers.get('content-security-policy')).toContain("img-src 'self' data:;");
    expect(page).toContain(`Report ${first.reference}`);
    expect(page).toContain(`Report ${second.reference}`);
    // The opener runs the case until it is assigned: by name, not id.
    expect(page).toContain('Sam Okafor');
    // The id is never shown as text (it is only an option's value in the assign form).
    expect(page).not.toMatch(/>\s*local-officer\s*</);
    expect(page.replaceAll('value="local-officer"', '')).not.toContain('local-officer');
  });

  it('shows only the chosen action\'s fields, and what can be done next from the rules', async () => {
    const step1 = await html(await stack.request('GET', `/officer/cases/${caseId}`, officer));
    expect(step1).toContain('name="action"');
    expect(step1).not.toContain('name="complyBy-day"');
    const step2 = await html(await stack.request('GET', `/officer/cases/${caseId}?action=WarningIssued:CPW`, officer));
    expect(step2).toContain('name="complyBy-day"');
    expect(step2).toContain('name="subjectKind"');
    expect(step2).not.toContain('name="offence"');
    expect(step2).not.toContain('name="service"');

    const complyBy = addDays(londonDateOf(new Date()), 10);
    const [y, m, d] = complyBy.split('-');
    const recorded = await stack.request('POST', `/officer/cases/${caseId}/actions`, {
      ...officer,
      form: { action: 'WarningIssued:CPW', subjectRef: 'subject_tipper', subjectKind: 'body', 'complyBy-day': d ?? '', 'complyBy-month': m ?? '', 'complyBy-year': y ?? '' },
    });
    expect(recorded.status).toBe(303);
    const page = await html(await stack.request('GET', `/officer/cases/${caseId}`, officer));
    const from = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${addDays(complyBy, 1)}T12:00:00Z`));
    expect(page).toContain(`A Community Protection Notice (CPN) can be served on subject_tipper from ${from}.`);
  });

  it('assigns, shares and closes from the page, each with a message on the form when something is missing', async () => {
    const missing = await stack.request('POST', `/officer/cases/${caseId}/assign`, { ...officer, form: { assignedTo: '' } });
    expect(missing.status).toBe(422);
    expect(await html(missing)).toContain('Choose who runs the case');
    const unknown = await stack.request('POST', `/officer/cases/${caseId}/assign`, { ...officer, form: { assignedTo: 'nobody-here' } });
    expect(unknown.status).toBe(422);
    expect(await html(unknown)).toContain('Choose someone from the staff list');

    const assigned = await stack.request('POST', `/officer/cases/${caseId}/assign`, { ...officer, form: { assignedTo: 'officer-jo' } });
    expect(assigned.status).toBe(303);
    expect((await caseOf(caseId)).assignedTo).toBe('officer-jo');
    const after = await html(await stack.request('GET', assigned.headers.get('location') ?? '', officer));
    expect(after).toContain('The case was assigned.');
    expect(after).toContain('Jo Marsh');
    // Assigning the same person again is a conflict, said on the form.
    const again = await stack.request('POST', `/officer/cases/${caseId}/assign`, { ...officer, form: { assignedTo: 'officer-jo' } });
    expect(again.status).toBe(409);

    const shared = await stack.request('POST', `/officer/cases/${caseId}/share`, { ...officer, form: { organisation: 'Leicestershire Police' } });
    expect(shared.status).toBe(303);
    expect((await caseOf(caseId)).sharedWith).toEqual(['Leicestershire Police']);

    const noOutcome = await stack.request('POST', `/officer/cases/${caseId}/close`, { ...officer, form: {} });
    expect(noOutcome.status).toBe(422);
    expect(await html(noOutcome)).toContain('Choose how the case ended');
    const closed = await stack.request('POST', `/officer/cases/${caseId}/close`, { ...officer, form: { outcome: 'enforcement-complete' } });
    expect(closed.status).toBe(303);
    expect((await caseOf(caseId)).status).toBe('closed');
    const page = await html(await stack.request('GET', `/officer/cases/${caseId}`, officer));
    expect(page).toContain('Enforcement complete');
    expect(page).not.toContain('Record an action');
    const timeline = ((await (await stack.request('GET', `/cases/${caseId}`, officer)).json()) as { timeline: { detailType: string }[] }).timeline.map((e) => e.detailType);
    expect(timeline).toEqual(expect.arrayContaining(['CaseAssigned', 'CaseShared', 'CaseClosed']));
  });

  it('assigns over the API too: 202 and CaseAssigned, a 422 naming the field, 404 for a case the caller cannot see', async () => {
    const res = await stack.request('POST', '/cases/case-2099-9999/assign', { ...officer, json: { assignedTo: 'officer-lee' } });
    expect(res.status).toBe(404);
    const bad = await stack.request('POST', `/cases/${caseId}/assign`, { ...officer, json: {} });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('assignedTo');
    // A closed case is not assigned.
    expect((await stack.request('POST', `/cases/${caseId}/assign`, { ...officer, json: { assignedTo: 'officer-lee' } })).status).toBe(409);
  });

  it("shows the officer's home: their cases, and KPI tiles that link to the dashboard", async () => {
    const report = await newReport({ postcode: 'LE14 1QQ' }, 'asb.noise');
    await stack.settle();
    const opened = await stack.request('POST', `/reports/${report.reportId}/triage`, { ...officer, json: { action: 'open-case', kind: 'asb', owner: 'safer-communities' } });
    const mine = ((await opened.json()) as { caseId: string }).caseId;
    await stack.settle();
    const res = await stack.request('GET', '/officer', officer);
    expect(res.status).toBe(200);
    const page = await html(res);
    const yours = page.slice(page.indexOf('id="mine"'), page.indexOf('id="overdue"'));
    expect(yours).toContain(mine);
    // The case assigned to someone else is not "yours".
    expect(yours).not.toContain(caseId);
    expect(page).toContain('ASB cases investigated');
    expect(page).toMatch(/href="\/officer\/kpis\?period=custom&amp;from=\d{4}-04-01&amp;to=\d{4}-\d{2}-\d{2}"/);
    expect(page).toContain('Case Reviews due');
    // Tenancy Services see no KPI tiles and no case reviews (their roles cannot open them).
    const tenancy = await html(await stack.request('GET', '/officer', { role: 'tenancy' }));
    expect(tenancy).not.toContain('ASB cases investigated');
    expect(tenancy).not.toContain('Case Reviews due');
  });

  it('finds cases and reports by case id, reference, postcode (whole or its first part) and subject', async () => {
    const search = async (q: string) => html(await stack.request('GET', `/officer/search?q=${encodeURIComponent(q)}`, officer));
    expect(await search(caseId)).toContain(`>${caseId}</a>`);
    const byReference = await search(first.reference.toLowerCase());
    expect(byReference).toContain(`>${first.reference}</a>`);
    expect(byReference).toContain(`>${caseId}</a>`);
    const byPostcode = await search('le13 9zz');
    expect(byPostcode).toContain(first.reference);
    expect(byPostcode).toContain(second.reference);
    expect(await search('LE13')).toContain(second.reference);
    expect(await search('subject_tipper')).toContain(`>${caseId}</a>`);
    expect(await search('ZZ9 9ZZ')).toContain('No report matches');
    const empty = await stack.request('GET', '/officer/search?q=', officer);
    expect(empty.status).toBe(400);
    expect(await html(empty)).toContain('Enter a case or report reference');
  });
});
