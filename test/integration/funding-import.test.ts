import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/local/stack';
import { importFunding } from '../../scripts/import-funding.ts';
import { openTestStreams } from '../support/funding-streams.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const reportCsv = readFileSync(join(repoRoot, 'docs/funding-csp-2024-25.csv'), 'utf8');
const run = promisify(execFile);

describe('integration: funding CSV import and year end', () => {
  let stack: TestStack;
  let token: string;
  let dir: string;

  beforeAll(async () => {
    stack = await startTestStack();
    await openTestStreams(stack);
    token = await stack.token('finance');
    dir = mkdtempSync(join(tmpdir(), 'sc-funding-import-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await stack.dispose();
  });

  const balance = async (stream: string, fy: string) => {
    await stack.settle();
    return (await (await stack.request('GET', `/funding/${stream}/${fy}`, { role: 'finance' })).json()) as { remainingPence: number; spentPence: number; lines: unknown[]; closed?: { remainingPence: number } };
  };

  it('lists every problem by row and imports nothing when any row is wrong', async () => {
    const bad = [
      'type,stream,financialYear,kind,project,amount,reference,date',
      'allocation,CSP,2024-25,provisional,,"31,335.75",letter,08/04/2024',
      'spend,CSP,2024-25,,CCTV,-12.00,INV-1,01/05/2024',
      'spend,CSP,2024-25,,CCTV,12.345,INV-2,01/05/2024',
      'spend,XYZ,2024-25,,CCTV,12.00,INV-3,01/05/2024',
      'spend,CSP,2024-2025,,CCTV,12.00,INV-4,01/05/2024',
      'spend,CSP,2024-25,,CCTV,12.00,INV-5,31/04/2024',
      'spend,CSP,2024-25,,,12.00,INV-6,01/05/2024',
      'reversal,CSP,2024-25,,,,,',
    ].join('\n');
    const result = await importFunding({ csv: bad, apiUrl: stack.endpoints.gateway, token });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'amount'],
      [4, 'amount'],
      [5, 'stream'],
      [6, 'financialYear'],
      [7, 'date'],
      [8, 'project'],
      [9, 'type'],
    ]);
    expect(errors[0]?.message).toContain('negative');
    expect(errors[1]?.message).toContain('more than two decimal places');
    await stack.settle();
    expect(stack.observed).toHaveLength(0);
  });

  it('changes nothing on a dry run', async () => {
    const result = await importFunding({ csv: reportCsv, apiUrl: stack.endpoints.gateway, token, dryRun: true });
    expect(result).toMatchObject({ ok: true, dryRun: true, rows: 6, sent: 0, ledgers: [{ stream: 'CSP', financialYear: '2024-25', rows: 6 }] });
    await stack.settle();
    expect(stack.observed).toHaveLength(0);
  });

  it("imports the council's reported year and shows the remaining £2,512.82", async () => {
    const progress: [number, number][] = [];
    const result = await importFunding({ csv: reportCsv, apiUrl: stack.endpoints.gateway, token, onProgress: (d, t) => progress.push([d, t]) });
    expect(result).toMatchObject({ ok: true, rows: 6, sent: 6, alreadyRecorded: 0, settled: true, ledgers: [{ stream: 'CSP', financialYear: '2024-25', rows: 6, remainingPence: 251282, overspent: false }] });
    expect(progress.at(-1)).toEqual([6, 6]);
    expect(await balance('CSP', '2024-25')).toMatchObject({ remainingPence: 251282, spentPence: 3361900 });
    expect(stack.observedOf('FundingOverspent')).toHaveLength(0);
  });

  it('counts nothing twice when the same file, or a longer one overlapping it, is imported again', async () => {
    const again = await importFunding({ csv: reportCsv, apiUrl: stack.endpoints.gateway, token });
    expect(again).toMatchObject({ ok: true, rows: 6, sent: 0, alreadyRecorded: 6 });
    const longer = `${reportCsv.trimEnd()}\ncommitment,CSP,2024-25,,CCTV maintenance 2025,"2,400.00",PO-2025-0007,28/03/2025\n`;
    const more = await importFunding({ csv: longer, apiUrl: stack.endpoints.gateway, token });
    expect(more).toMatchObject({ ok: true, rows: 7, sent: 1, alreadyRecorded: 6 });
    const after = await balance('CSP', '2024-25');
    expect(after).toMatchObject({ remainingPence: 251282, spentPence: 3361900, committedPence: 240000 });
    expect(after.lines).toHaveLength(7);
  });

  it('closes the year on 1 April with the underspend, once however often the job runs', async () => {
    const yearEnd = stack.invokers.get('FundingYearEnd');
    expect(yearEnd).toBeDefined();
    const payload = { schedule: 'FundingYearEnd', scheduledTime: '2025-03-31T23:05:00Z' };
    const first = (await yearEnd?.(payload)) as { financialYear: string; closed: { stream: string; remainingPence: number; published: boolean }[] };
    expect(first).toEqual({
      financialYear: '2024-25',
      closed: [
        { stream: 'CSP', remainingPence: 251282, published: true },
        { stream: 'SS5', remainingPence: 0, published: true },
      ],
    });
    await yearEnd?.(payload);
    await stack.settle();
    const closed = stack.observedOf('FundingYearClosed');
    expect(closed.map((e) => [e.detail.stream, e.detail.financialYear, e.detail.remainingPence])).toEqual([
      ['CSP', '2024-25', 251282],
      ['SS5', '2024-25', 0],
    ]);
    expect((await balance('CSP', '2024-25')).closed).toMatchObject({ remainingPence: 251282 });
  });

  it('runs from the command line with a progress bar, row errors and exit codes', async () => {
    const env = { ...process.env, SC_API_URL: stack.endpoints.gateway, SC_TOKEN: token };
    const tsx = join(repoRoot, 'node_modules/.bin/tsx');
    const script = join(repoRoot, 'scripts/import-funding.ts');
    const badFile = join(dir, 'bad.csv');
    writeFileSync(badFile, 'type,stream,financialYear,amount,project,reference\nspend,SS5,2023-24,"1,00.00",Lighting,INV-1\n');
    const failed = await run(tsx, [script, badFile], { env, cwd: repoRoot }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('nothing was imported');
    expect(failed.stderr).toContain('row 2 (amount): "1,00.00" is not an amount of money');

    const goodFile = join(dir, 'ss5.csv');
    writeFileSync(goodFile, 'type,stream,financialYear,kind,project,amount,reference,date\nallocation,SS5,2023-24,provisional,,"100,000.00",Grant letter,01/10/2023\nspend,SS5,2023-24,,Street lighting,"4,250.50",INV-77,15/02/2024\n');
    const ok = await run(tsx, [script, goodFile], { env, cwd: repoRoot });
    expect(ok.stderr).toContain('sent 2/2 rows (100%)');
    expect(ok.stdout).toContain('SS5 2023-24: 2 row(s): remaining £95,749.50');
  });
});
