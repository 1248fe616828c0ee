import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { financialYearOf, financialYearSpan, londonDateOf } from '../../../functions/shared/london-time.ts';
import { importFunding } from '../../../scripts/import-funding.ts';
import { repoRoot } from '../stack.ts';
import { demoStreams } from './streams.ts';
import type { DemoContext } from './types.ts';

export { demoStreams };

/** Opens the demo's streams through the API (a stream already open with the same definition is a 202 replay). */
export async function openDemoStreams(gateway: string, financeToken: string): Promise<void> {
  for (const stream of demoStreams) {
    const res = await fetch(`${gateway}/funding/streams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${financeToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(stream),
    });
    if (res.status !== 202) throw new Error(`opening the ${stream.code} stream answered ${res.status}: ${await res.text()}`);
  }
}

/** The national safer-streets fund over its two years, with the year-2 recall. */
const safeStreets = `type,stream,financialYear,kind,project,amount,reference,date
allocation,SS5,2023-24,provisional,,"95,000.00",Home Office grant agreement (year 1),02/10/2023
spend,SS5,2023-24,,Alley gating (Eastfield estate),"38,400.00",PO-2023-1104,15/12/2023
spend,SS5,2023-24,,Street lighting upgrades,"41,250.00",PO-2024-0112,20/02/2024
spend,SS5,2023-24,,Target-hardening packs for repeat victims,"14,980.00",JNL-2024-0328-02,28/03/2024
allocation,SS5,2024-25,provisional,,"205,000.00",Home Office grant agreement (year 2),01/04/2024
allocation,SS5,2024-25,recall,,"70,000.00",Home Office recall of year 2 funding,09/09/2024
spend,SS5,2024-25,,CCTV (town centre and parks),"86,300.00",PO-2024-0561,18/07/2024
spend,SS5,2024-25,,Youth diversion programme,"31,200.00",INV-2024-0933,30/11/2024
commitment,SS5,2024-25,,Youth diversion programme,"9,800.00",PO-2025-0042,10/01/2025
`;

/** This year's CSP allocation so far: a year in progress, with money committed but not yet spent. */
function currentYear(now: Date): string {
  const fy = financialYearOf(londonDateOf(now));
  const start = financialYearSpan(fy).from.split('-').reverse().join('/');
  return `type,stream,financialYear,kind,project,amount,reference,date
allocation,CSP,${fy},provisional,,"32,150.00",OPCC provisional allocation letter ${fy},${start}
commitment,CSP,${fy},,CCTV maintenance contract,"11,200.00",PO-${fy}-0031,
spend,CSP,${fy},,DISC app subscription,"1,380.00",INV-DISC-${fy},
spend,CSP,${fy},,Safer Communities and Partnership Officer post (part funding),"7,731.00",JNL-${fy}-0930-04,
`;
}

/**
 * Funding through the same CSV import finance uses (and so through the HTTP API): the
 * council's reported CSP year (docs/funding-csp-2024-25.csv), the safer-streets fund, and
 * the current year.
 */
export async function seedFunding({ gateway, token, log, settled }: DemoContext) {
  const finance = await token('finance');
  await openDemoStreams(gateway, finance);
  const files = [readFileSync(join(repoRoot, 'docs/funding-csp-2024-25.csv'), 'utf8'), safeStreets, currentYear(new Date())];
  // The streams' openings delivered first: each import checks its rows against the open streams.
  await settled();
  // Each file is a ledger of its own (CSP 2024-25, SS5, this year's CSP): imported at once.
  const results = await Promise.all(files.map((csv) => importFunding({ csv, apiUrl: gateway, token: finance, settled })));
  let rows = 0;
  for (const result of results) {
    if (!result.ok) throw new Error(`demo funding was refused: ${result.errors.map((e) => `row ${e.row}: ${e.message}`).join('; ')}`);
    rows += result.rows;
  }
  log(`demo data: funding streams ${demoStreams.map((s) => s.code).join(', ')}; ${rows} funding lines (CSP 2024-25 as reported, SS5 over two years, this year's CSP)`);
}
