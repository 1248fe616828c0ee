import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/local/stack';
import { importFunding } from '../../scripts/import-funding.ts';
import { openTestStreams } from '../support/funding-streams.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const reportCsv = readFileSync(join(repoRoot, 'docs/funding-csp-2024-25.csv'), 'utf8');

interface YearBody {
  remainingPence: number;
  spentPence: number;
  committedPence: number;
  state: string;
  lines: { eventId: string; type: string; reversedBy?: string }[];
  profile?: { quarterPence: number[] };
  quarters: { quarter: number; spentPence: number; profilePence?: number; differencePence?: number }[];
  spentOutsideYearPence: number;
  outturn: { availablePence: number; forecastOutturnPence: number; spentTenthsOfPercent?: number };
}

describe('integration: finance at the desk (streams, forms, profile, export, import)', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack();
    await openTestStreams(stack);
    token = await stack.token('finance');
    expect((await importFunding({ csv: reportCsv, apiUrl: stack.endpoints.gateway, token })).ok).toBe(true);
    await stack.settle();
    stack.observed.length = 0;
  });
  afterAll(() => stack.dispose());

  const year = async (stream: string, fy: string): Promise<YearBody> => {
    await stack.settle();
    const res = await stack.request('GET', `/funding/${stream}/${fy}`, { role: 'officer' });
    expect(res.status).toBe(200);
    return (await res.json()) as YearBody;
  };
  /** A form sent as a browser sends it from the page: same-origin. */
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }) =>
    stack.request('POST', path, { role: 'finance', form: fields, headers: { accept: 'text/html', ...headers } });

  it('opens a stream as data: once, the same definition again is a replay, a different one a 409, bad input a 422', async () => {
    const ss6 = { code: 'SS6', name: 'Safer Streets Fund (round 6)', description: 'Home Office, two years', startsOn: '2025-10-01', endsOn: '2027-03-31' };
    expect((await stack.request('GET', '/funding/SS6/2025-26', { role: 'finance' })).status).toBe(404);
    const opened = await stack.request('POST', '/funding/streams', { role: 'finance', json: ss6 });
    expect(opened.status).toBe(202);
    const { eventId } = (await opened.json()) as { eventId: string };
    const again = await stack.request('POST', '/funding/streams', { role: 'admin', json: ss6 });
    expect(await again.json()).toEqual({ eventId, stream: 'SS6', alreadyRecorded: true });
    const clash = await stack.request('POST', '/funding/streams', { role: 'finance', json: { ...ss6, code: 'ss6', name: 'Something else' } });
    expect(clash.status).toBe(409);
    const bad = await stack.request('POST', '/funding/streams', { role: 'finance', json: { code: 'import', name: '', description: 'x', startsOn: '2025-02-30', endsOn: '2024-01-01' } });
    expect(bad.status).toBe(422);
    const { error } = (await bad.json()) as { error: { details: { path: string }[] } };
    expect(error.details.map((d) => d.path).sort()).toEqual(['code', 'endsOn', 'name', 'startsOn']);
    await stack.settle();
    expect(stack.observedOf('FundingStreamOpened').map((e) => e.detail)).toEqual([expect.objectContaining({ eventId, stream: 'SS6', startsOn: '2025-10-01', endsOn: '2027-03-31' })]);
    expect((await year('SS6', '2025-26')).remainingPence).toBe(0);
    expect((await stack.request('GET', '/funding/SS6/2027-28', { role: 'finance' })).status).toBe(404);
    const list = (await (await stack.request('GET', '/funding', { role: 'officer' })).json()) as { streams: { stream: string }[] };
    expect(list.streams.map((s) => s.stream)).toEqual(['CSP', 'SS5', 'SS6']);
  });

  it('records a spend from the page form: the same event as the JSON route, then the page shows the new balance', async () => {
    const before = await year('CSP', '2024-25');
    const res = await form('/finance/funding/CSP/2024-25/record/spend', { project: 'Street pastors', amount: '£1,234.56', reference: 'INV-77', 'date-day': '3', 'date-month': '3', 'date-year': '2025', formToken: 'tok-1' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/^\/finance\/funding\/CSP\/2024-25\?recorded=/);
    const page = await (await stack.request('GET', location, { role: 'finance' })).text();
    expect(page).toContain('Recorded: a spend of £1,234.56 on Street pastors. £1,278.26 remaining.');
    expect(page).toContain('CSP 2024-25: £1,278.26 remaining');
    const after = await year('CSP', '2024-25');
    expect(after.remainingPence).toBe(before.remainingPence - 123456);
    const spent = stack.observedOf('FundingSpent');
    expect(spent).toHaveLength(1);
    expect(spent[0]?.detail).toMatchObject({ stream: 'CSP', financialYear: '2024-25', project: 'Street pastors', amountPence: 123456, reference: 'INV-77', occurredAt: '2025-03-03T12:00:00+00:00', actor: { kind: 'officer' } });
    // The form sent twice (a double click, a reload) is one fact: its token is the Idempotency-Key.
    expect((await form('/finance/funding/CSP/2024-25/record/spend', { project: 'Street pastors', amount: '£1,234.56', reference: 'INV-77', 'date-day': '3', 'date-month': '3', 'date-year': '2025', formToken: 'tok-1' })).status).toBe(303);
    expect((await year('CSP', '2024-25')).remainingPence).toBe(after.remainingPence);
    expect(stack.observedOf('FundingSpent')).toHaveLength(1);
  });

  it('answers bad input on a form with the page again: error summary, a message on each field, nothing recorded', async () => {
    stack.observed.length = 0;
    const res = await form('/finance/funding/CSP/2024-25/record/spend', { project: '', amount: '12.345', reference: 'INV-1', 'date-day': '1', 'date-month': '5', 'date-year': '2026' });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('There is a problem');
    expect(page).toContain('<title>Error: Record a spend');
    expect(page).toContain('The date must be in 2024-25');
    const blank = await (await form('/finance/funding/CSP/2024-25/record/spend', { project: '', amount: '1.00', reference: 'INV-1' })).text();
    expect(blank).toContain('href="#project"');
    const amount = await (await form('/finance/funding/CSP/2024-25/record/allocation', { kind: 'provisional', amount: '-5', reference: 'x' })).text();
    expect(amount).toContain('is negative: the amount must be more than zero');
    expect(amount).toContain('href="#amount"');
    await stack.settle();
    expect(stack.observed).toHaveLength(0);
  });

  it('refuses a form posted from another site before reading it', async () => {
    const crossSite = await form('/finance/funding/CSP/2024-25/record/spend', { project: 'x', amount: '1.00', reference: 'r' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const otherOrigin = await form('/finance/funding/CSP/2024-25/record/spend', { project: 'x', amount: '1.00', reference: 'r' }, { origin: 'https://evil.example' });
    expect(otherOrigin.status).toBe(403);
    await stack.settle();
    expect(stack.observedOf('FundingSpent')).toHaveLength(0);
  });

  it('records an award, a recall and a commitment from the forms, and reverses a spend once', async () => {
    const start = await year('SS5', '2024-25');
    for (const [entry, fields] of [
      ['allocation', { kind: 'provisional', amount: '100,000.00', reference: 'Grant letter' }],
      ['allocation', { kind: 'recall', amount: '20,000', reference: 'Recall letter' }],
      ['commitment', { project: 'CCTV', amount: '5,000.00' }],
      ['spend', { project: 'CCTV', amount: '7,500.00', reference: 'PO-1' }],
    ] as const) {
      expect((await form(`/finance/funding/SS5/2024-25/record/${entry}`, fields)).status).toBe(303);
    }
    const recorded = await year('SS5', '2024-25');
    expect(recorded.remainingPence - start.remainingPence).toBe(10_000_000 - 2_000_000 - 750_000);
    expect(recorded.committedPence - start.committedPence).toBe(500_000);
    const spend = recorded.lines.find((l) => l.type === 'spend' && !l.reversedBy);
    const reverseAt = `/finance/funding/SS5/2024-25/spends/${spend?.eventId}/reversal`;
    const formPage = await (await stack.request('GET', reverseAt, { role: 'finance' })).text();
    expect(formPage).toContain('Reverse the spend');
    expect((await form(reverseAt, { reason: 'Wrong cost centre' })).status).toBe(303);
    expect((await year('SS5', '2024-25')).remainingPence).toBe(recorded.remainingPence + 750_000);
    const twice = await form(reverseAt, { reason: 'Again' });
    expect(twice.status).toBe(422);
    expect(await twice.text()).toContain('was already reversed');
    expect((await stack.request('GET', '/finance/funding/SS5/2024-25/spends/no-such-spend/reversal', { role: 'finance' })).status).toBe(404);
  });

  it('keeps a grant profile per stream and year, and shows spend by quarter against it with the forecast outturn', async () => {
    const set = await stack.request('POST', '/funding/CSP/2024-25/profile', { role: 'finance', json: { quarterPence: [900_000, 900_000, 900_000, 913_575] }, headers: { 'idempotency-key': 'p-1' } });
    expect(set.status).toBe(202);
    const replay = await stack.request('POST', '/funding/CSP/2024-25/profile', { role: 'finance', json: { quarterPence: [900_000, 900_000, 900_000, 913_575] }, headers: { 'idempotency-key': 'p-1' } });
    expect(await replay.json()).toMatchObject({ alreadyRecorded: true });
    expect((await stack.request('POST', '/funding/CSP/2024-25/profile', { role: 'finance', json: { q1: '1', q2: 'x', q3: '', q4: '2' } })).status).toBe(422);
    const body = await year('CSP', '2024-25');
    expect(body.profile?.quarterPence).toEqual([900_000, 900_000, 900_000, 913_575]);
    // The reported year's spends by date: May 2024 (Q1), September 2024 (Q2), January 2025 (Q4), 31 March 2025 (Q4),
    // and the form's spend of 3 March 2025 (Q4).
    expect(body.quarters.map((q) => q.spentPence)).toEqual([132_000, 600_000, 0, 1_083_700 + 1_546_200 + 123_456]);
    expect(body.quarters[0]).toMatchObject({ profilePence: 900_000, differencePence: 132_000 - 900_000 });
    expect(body.quarters.reduce((sum, q) => sum + q.spentPence, 0) + body.spentOutsideYearPence).toBe(body.spentPence);
    expect(body.outturn).toMatchObject({ availablePence: 3_613_182, forecastOutturnPence: body.spentPence + body.committedPence });
    expect(body.state).toBe('ended');

    const viaForm = await form('/finance/funding/CSP/2024-25/profile', { q1: '8,000.00', q2: '9,000', q3: '9,000.00', q4: '10,131.82' });
    expect(viaForm.status).toBe(303);
    expect((await year('CSP', '2024-25')).profile?.quarterPence).toEqual([800_000, 900_000, 900_000, 1_013_182]);
    const page = await (await stack.request('GET', '/finance/funding/CSP/2024-25', { role: 'finance' })).text();
    expect(page).toContain('Spend by quarter against the grant profile');
    expect(page).toContain('£6,680.00 behind profile');
    expect(page).toContain('Forecast outturn: spent + committed');
    expect(page).toContain('Ended, not closed');
    await stack.settle();
    expect(stack.observedOf('FundingProfileSet').length).toBeGreaterThanOrEqual(2);
  });

  it('exports every ledger line as CSV: dates, references, commitments, and an effect column that sums to the balance', async () => {
    const res = await stack.request('GET', '/funding/SS5/2024-25?format=ledger-csv', { role: 'officer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="funding-SS5-2024-25-ledger.csv"');
    const rows = parse(await res.text(), { bom: true, columns: true }) as Record<string, string>[];
    const body = await year('SS5', '2024-25');
    expect(rows).toHaveLength(body.lines.length);
    expect(rows.map((r) => r.Line)).toEqual(expect.arrayContaining(['Allocation', 'Commitment', 'Spend', 'Reversal']));
    expect(rows.find((r) => r.Line === 'Commitment')).toMatchObject({ Project: 'CCTV', 'Amount (£)': '5000.00', 'Effect on remaining (£)': '0.00' });
    expect(rows.find((r) => r.Reference === 'Recall letter')).toMatchObject({ Kind: 'Recall', 'Effect on remaining (£)': '-20000.00', Date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const pence = rows.reduce((sum, r) => sum + Math.round(Number(r['Effect on remaining (£)']) * 100), 0);
    expect(pence).toBe(body.remainingPence);
  });

  const upload = async (csv: string, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }) => {
    const data = new FormData();
    data.append('file', new Blob([csv], { type: 'text/csv' }), 'funding.csv');
    return fetch(`${stack.endpoints.gateway}/finance/funding/import`, { method: 'POST', body: data, redirect: 'manual', headers: { authorization: `Bearer ${token}`, accept: 'text/html', ...headers } });
  };

  it('imports a CSV from the page: a preview first, then confirm records it once', async () => {
    stack.observed.length = 0;
    const csv = 'type,stream,financialYear,kind,project,amount,reference,date\nallocation,CSP,2023-24,provisional,,"30,000.00",Letter 2023,10/04/2023\nspend,CSP,2023-24,,Youth club,"2,500.50",INV-9,01/06/2023\ncommitment,CSP,2023-24,,Youth club,"1,000.00",PO-9,01/07/2023\n';
    const uploaded = await upload(csv);
    expect(uploaded.status).toBe(303);
    const previewAt = uploaded.headers.get('location') ?? '';
    expect(previewAt).toMatch(/^\/finance\/funding\/import\/[0-9a-f-]{36}$/);
    const preview = await (await stack.request('GET', previewAt, { role: 'finance' })).text();
    expect(preview).toContain('Check the import before recording it');
    expect(preview).toContain('3 rows, 3 of them new');
    expect(preview).toContain('£27,499.50');
    await stack.settle();
    expect(stack.observed).toHaveLength(0);

    const confirmed = await form(previewAt, {});
    expect(confirmed.status).toBe(303);
    const done = await (await stack.request('GET', previewAt, { role: 'finance' })).text();
    expect(done).toContain('Import recorded');
    expect(done).toContain('3 of 3 rows recorded');
    expect((await year('CSP', '2023-24')).remainingPence).toBe(3_000_000 - 250_050);
    expect(stack.observedOf('FundingOverspent')).toHaveLength(0);

    // Confirming again, or uploading the same rows again, records nothing twice.
    expect((await form(previewAt, {})).status).toBe(303);
    const again = await upload(csv);
    const secondPreview = await (await stack.request('GET', again.headers.get('location') ?? '', { role: 'finance' })).text();
    expect(secondPreview).toContain('3 rows, 0 of them new');
    await stack.settle();
    expect(['FundingAllocated', 'FundingSpent', 'FundingCommitted'].map((t) => stack.observedOf(t).length)).toEqual([1, 1, 1]);
    expect((await year('CSP', '2023-24')).lines).toHaveLength(3);
  });

  it('shows every problem in a bad file and stores nothing; an unknown import is a page not found', async () => {
    const bad = await upload('type,stream,financialYear,kind,project,amount,reference\nspend,XYZ,2024-25,,CCTV,1.00,INV-1\nspend,CSP,2024-25,,CCTV,12.345,INV-2\n');
    expect(bad.status).toBe(422);
    const page = await bad.text();
    expect(page).toContain('The file has 2 problems: nothing was imported.');
    expect(page).toContain('row 2 (stream): there is no funding stream &quot;XYZ&quot;');
    expect(page).toContain('row 3 (amount): &quot;12.345&quot; has more than two decimal places');
    expect((await upload('')).status).toBe(422);
    expect((await upload('type\n', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const unknown = await stack.request('GET', '/finance/funding/import/00000000-0000-0000-0000-000000000000', { role: 'finance' });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('upload the file again');
  });

  it('lists years with their state and leaves empty years out of the tables', async () => {
    const page = await (await stack.request('GET', '/finance/funding', { role: 'finance' })).text();
    expect(page).toContain('href="/finance/funding/CSP/2024-25"');
    const table = page.slice(page.indexOf('id="stream-CSP"'), page.indexOf('Years of CSP with nothing recorded'));
    expect(table).not.toContain('/finance/funding/CSP/2021-22');
    expect(page).toContain('Years of CSP with nothing recorded');
    expect(page).toContain('Open a funding stream');
    expect(page).toContain('Ended, not closed');
    const officer = await (await stack.request('GET', '/finance/funding/CSP/2024-25', { role: 'officer' })).text();
    expect(officer).not.toContain('Record a spend');
    expect(officer).not.toContain('/reversal');
    expect((await stack.request('GET', '/finance/funding/CSP/2024-25/record/spend', { role: 'officer' })).status).toBe(403);
  });
});
