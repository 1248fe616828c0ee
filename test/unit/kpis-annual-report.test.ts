import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { planImport } from '../../functions/funding/import-rows.ts';
import { entryFor, type LedgerEvent } from '../../functions/funding/ledger.ts';
import { memoryLedgerStore } from '../../functions/funding/memory-store.ts';
import { memoryStreamRegistry } from '../../functions/funding/stream-registry.ts';
import { buildReadLedgerView } from '../../functions/funding/views.ts';
import { annualReportHtml, annualStyleHash, renderAnnualReport } from '../../functions/kpis/annual-html.ts';
import { annualReportModel, committeeYearChoices, committeeYearFrom, readAnnualReport, totalChangeText, type AnnualReportDeps } from '../../functions/kpis/annual-report.ts';
import { countEvent } from '../../functions/kpis/count-event.ts';
import type { DateRange } from '../../functions/kpis/model.ts';
import { committeeYearPeriod, previousOf } from '../../functions/kpis/periods.ts';
import { readKpisFrom } from '../../functions/kpis/read.ts';
import { HousingStockRecorded } from '#events/tenancy';
import { cspCsv, documentTable, memoryCounterStore, publishedCsp, safeStreetsCsv } from '../support/annual-report.ts';
import { testStreams } from '../support/funding-streams.ts';
import { committeeYearEvents, committeeYears, kpiEvent, outsideCommitteeYears, outsideTenancyYear, tenancyYearEvents, withDuplicates } from '../support/kpi-events.ts';
import { committeeYearReport, reportFor } from '../support/kpi-reports.ts';

/** 2 October 2025, 10:00 BST: committee year 2024/25 has just ended. */
const now = new Date('2025-10-02T09:00:00Z');
const year2023 = committeeYearPeriod('2023/24');
if (!year2023) throw new Error('2023/24 is a committee year');
/** The streams finance has opened: CSP (annual) and SS5 (October 2023 to March 2025). */
const streams = memoryStreamRegistry(testStreams);

/** The funding ledgers as the finance import would leave them (the same rows, applied to the in-memory ledger store). */
async function fundingLedgers() {
  const store = memoryLedgerStore();
  for (const csv of [cspCsv, safeStreetsCsv]) {
    const plan = planImport(csv, now, testStreams);
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    for (const row of plan.rows) {
      const event = { detailType: row.command.contract.detailType, detail: row.command.contract.detail.parse(row.command.detail) } as LedgerEvent;
      await store.apply(row.stream, row.financialYear, entryFor(event));
    }
  }
  return buildReadLedgerView(store);
}

/** Counters from the contract events behind the published tables: both committee years, the tenancy year, edges either side, duplicated and shuffled. */
async function countedKpis(seed: number, withStock = true) {
  const store = memoryCounterStore();
  const stock = withStock
    ? [
        kpiEvent(HousingStockRecorded, { eventId: 'stock-2023', occurredAt: '2023-04-03T09:00:00+01:00', asOf: '2023-03-31', homes: 3_860 }),
        kpiEvent(HousingStockRecorded, { eventId: 'stock-2024', occurredAt: '2024-04-01T09:00:00+01:00', asOf: '2024-03-31', homes: 3_872 }),
      ]
    : [];
  const events = [
    ...committeeYearEvents(committeeYears[0] as never, 'y22'),
    ...committeeYearEvents(committeeYears[1] as never, 'y23'),
    ...outsideCommitteeYears('edge'),
    ...tenancyYearEvents('fy23'),
    ...outsideTenancyYear('fy23'),
    ...stock,
  ];
  for (const event of withDuplicates(events, 7, seed)) await countEvent(event, store as never);
  return readKpisFrom(store);
}

describe('unit: the annual report, from contract events to the document', () => {
  it.each([20_241_001, 7])("reproduces the published enforcement table, both years, and the tenancy quarters (shuffle seed %i)", async (seed) => {
    const deps: AnnualReportDeps = { readKpis: await countedKpis(seed), readLedger: await fundingLedgers(), streams, now: () => now };
    const html = annualReportHtml(year2023, deps);
    const doc = await html;

    const enforcement = documentTable(doc, 'Enforcement, committee years 2022/23 and 2023/24 (October to September)');
    expect(enforcement?.rows).toEqual([
      ['Figure', '2022/23', '2023/24', 'Change'],
      ['Closure order', '1', '1', 'no change'],
      ['Section 1 injunction', '1', '1', 'no change'],
      ['Community Protection Warnings', '58', '40', 'down 18'],
      ['Community Protection Notices', '19', '18', 'down 1'],
      ['Other enforcement notices', '5', '5', 'no change'],
      ['Interviews under caution', '14', '35', 'up 21'],
      ['Fixed Penalty Notices', '10', '15', 'up 5'],
      ['Case files presented to legal', '0', '6', 'up 6'],
      ['Waste-carrier stop-and-search operations', '0', '1', 'up 1'],
      ['Total recorded team actions', '2,606', '4,364', 'up 1,758'],
    ]);
    expect(doc).toContain('Total recorded team actions rose by 1,758, from 2,606 in 2022/23 to 4,364 in 2023/24.');

    const tenancy = documentTable(doc, 'Tenancy Services ASB cases opened by risk category and quarter, Financial year 2023-24 (April 2023 to March 2024)');
    expect(tenancy?.rows.slice(1)).toEqual([
      ['A', '3', '4', '0', '3', '10'],
      ['B', '5', '3', '8', '8', '24'],
      ['C', '16', '9', '23', '24', '72'],
      ['All', '24', '16', '31', '35', '106'],
    ]);
    // 106 cases per 3,872 homes (as at 31 March 2024), 6 hate-related; 2022-23 had the one case on 31 March 2023 (23:30 BST).
    expect(documentTable(doc, 'NM01: ASB cases per 1,000 council homes, financial years 2022-23 and 2023-24')?.rows.slice(1)).toEqual([
      ['NM01: ASB cases per 1,000 homes', '0.26', '27.38', 'up 27.12'],
      ['NM01: hate-related ASB cases per 1,000 homes', '0.00', '1.55', 'up 1.55'],
    ]);
    expect(doc).not.toContain('nm01-missing');
  });

  it('reproduces the published CSP table, to the penny, and the multi-year stream with its recall', async () => {
    const deps: AnnualReportDeps = { readKpis: await countedKpis(1), readLedger: await fundingLedgers(), streams, now: () => now };
    const doc = await annualReportHtml(year2023, deps);
    expect(documentTable(doc, 'CSP 2024-25: allocation, awards, spend by project and what remains')?.rows.slice(1)).toEqual(publishedCsp);
    // The committee year's other financial year has no lines, and says so.
    expect(documentTable(doc, 'CSP 2023-24')?.rows.find((r) => r[0] === 'Remaining')).toEqual(['Remaining', '£0.00']);
    expect(doc).toContain('Nothing has been recorded in the CSP 2023-24 ledger.');
    expect(documentTable(doc, 'SS5 by financial year')?.rows).toEqual([
      ['Financial year', 'Allocated', 'Awarded', 'Recalled', 'Spent', 'Remaining'],
      ['2023-24', '£120,000.00', '£0.00', '£0.00', '£120,000.00', '£0.00'],
      ['2024-25', '£180,000.00', '£0.00', '£70,000.00', '£106,000.00', '£4,000.00'],
      ['All years', '£300,000.00', '£0.00', '£70,000.00', '£226,000.00', '£4,000.00'],
    ]);
  });

  it('says plainly that NM01 is not available, and what would make it so, when no housing stock is recorded', async () => {
    const deps: AnnualReportDeps = { readKpis: await countedKpis(3, false), readLedger: await fundingLedgers(), streams, now: () => now };
    const doc = await annualReportHtml(year2023, deps);
    expect(doc).toContain('NM01 for 2023-24 is not available: no count of the homes the council owns has been recorded on or before 31 March 2024.');
    expect(doc).toContain('as a HousingStockRecorded event');
    expect(documentTable(doc, 'NM01')?.rows[1]).toEqual([
      'NM01: ASB cases per 1,000 homes',
      'Not available: no count of homes recorded by 31 March 2023',
      'Not available: no count of homes recorded by 31 March 2024',
      'Cannot compare',
    ]);
    // The quarter table does not need the stock.
    expect(documentTable(doc, 'Tenancy Services ASB cases opened')?.rows.at(-1)).toEqual(['All', '24', '16', '31', '35', '106']);
  });
});

describe('unit: the annual report model', () => {
  const readLedger = vi.fn(async (stream: { code: string; name: string }, financialYear: string) => (await fundingLedgers())(stream as never, financialYear));

  it('reads the committee year, its financial year and each funding year once: a bounded number of reads', async () => {
    const readKpis = vi.fn(async (range: DateRange) => reportFor(range, previousOf(range)));
    const list = vi.spyOn(streams, 'list');
    await readAnnualReport(year2023, { readKpis, readLedger, streams, now: () => now });
    expect(list).toHaveBeenCalledTimes(1);
    list.mockRestore();
    expect(readKpis.mock.calls.map(([r]) => r)).toEqual([
      expect.objectContaining({ from: '2023-10-01', to: '2024-09-30' }),
      expect.objectContaining({ from: '2023-04-01', to: '2024-03-31' }),
    ]);
    expect(readLedger.mock.calls.map(([s, fy]) => `${s.code} ${fy}`).sort()).toEqual(['CSP 2023-24', 'CSP 2024-25', 'SS5 2023-24', 'SS5 2024-25']);
  });

  it('names the period of every section and leaves out a multi-year stream that does not overlap the year', async () => {
    const readKpis = async (range: DateRange) => reportFor(range, previousOf(range));
    const year = committeeYearPeriod('2021/22');
    if (!year) throw new Error('a committee year');
    const model = annualReportModel(await readAnnualReport(year, { readKpis, readLedger: await fundingLedgers(), streams, now: () => now }));
    expect(model.periods.map((p) => p.period)).toEqual([
      'Committee year 2021/22 (October 2021 to September 2022), beside Committee year 2020/21 (October 2020 to September 2021)',
      'Financial year 2021-22 (April 2021 to March 2022), the financial year that ended within the committee year, beside Financial year 2020-21 (April 2020 to March 2021)',
      'CSP Financial year 2021-22 (April 2021 to March 2022); CSP Financial year 2022-23 (April 2022 to March 2023): the financial years the committee year touches; multi-year streams in every year they run',
    ]);
    expect(model.funding.multiYear).toEqual([]);
    expect(model.enforcement.caption).toBe('Enforcement, committee years 2020/21 and 2021/22 (October to September)');
    expect(model.teamKpis.rows).toHaveLength(12);
    expect(model.caseReviews.rows.map((r) => r[0]?.text)).toEqual([
      'Case Review requests received',
      'Case Review requests where the threshold was not met',
      'Case Reviews carried out',
      'Case Reviews that led to recommendations',
      'Case Reviews where the panel upheld the complaint',
    ]);
  });

  it('says the year is not over when the committee year is still running', async () => {
    const readKpis = async (range: DateRange) => reportFor(range, previousOf(range));
    const year = committeeYearPeriod('2025/26');
    if (!year) throw new Error('a committee year');
    const model = annualReportModel(await readAnnualReport(year, { readKpis, readLedger: await fundingLedgers(), streams, now: () => now }));
    expect(model.enforcement.caption).toBe('Enforcement, committee years 2024/25 and 2025/26 (October to September) (the year so far)');
    expect(model.funding.annual.find((t) => t.id === 'funding-csp-2026-27')?.notes).toContain('2026-27 has not ended: figures to date.');
  });

  it('puts the change in total recorded actions in words, whichever way it went', () => {
    const names = { current: '2023/24', previous: '2022/23' };
    expect(totalChangeText(committeeYearReport(), names)).toBe('Total recorded team actions rose by 1,758, from 2,606 in 2022/23 to 4,364 in 2023/24.');
    const fell = reportFor({ from: '2023-10-01', to: '2024-09-30' }, { from: '2022-10-01', to: '2023-09-30' }, { total_team_actions: 90 }, { total_team_actions: 100 });
    expect(totalChangeText(fell, names)).toBe('Total recorded team actions fell by 10, from 100 in 2022/23 to 90 in 2023/24.');
    const same = reportFor({ from: '2023-10-01', to: '2024-09-30' }, { from: '2022-10-01', to: '2023-09-30' });
    expect(totalChangeText(same, names)).toBe('Total recorded team actions stayed at 0 in 2022/23 and 2023/24.');
  });
});

describe('unit: which committee year the annual report is for', () => {
  it.each([
    ['2025', '2024-10-01', '2025-09-30'],
    ['2024/25', '2024-10-01', '2025-09-30'],
    ['2024', '2023-10-01', '2024-09-30'],
    [undefined, '2024-10-01', '2025-09-30'],
    ['', '2024-10-01', '2025-09-30'],
    ['2026', '2025-10-01', '2026-09-30'],
  ])('reads year=%s as %s to %s', (year, from, to) => {
    expect(committeeYearFrom(year, now).year).toMatchObject({ kind: 'committee-year', from, to });
  });

  it('takes the last year ended when none is asked for, by the London date (30 September 23:30 UTC is 1 October in London)', () => {
    expect(committeeYearFrom(undefined, new Date('2025-09-30T23:30:00Z')).year?.year).toBe('2024/25');
    expect(committeeYearFrom(undefined, new Date('2025-09-30T22:30:00Z')).year?.year).toBe('2023/24');
  });

  it.each([
    ['2024-25', /choose a committee year from 2000\/01 to 2099\/00: write the year it ends, like 2025/],
    ['twenty', /choose a committee year/],
    ['1999', /choose a committee year/],
    ['2027', /committee year 2026\/27 has not begun: choose 2025\/26 \(the year so far\) or an earlier one/],
  ])('refuses year=%s with what to write instead', (year, message) => {
    const choice = committeeYearFrom(year, now);
    expect(choice.year).toBeUndefined();
    expect(choice.errors?.[0]).toMatchObject({ path: 'year', message: expect.stringMatching(message) });
  });

  it('offers the year so far and the ten before it, newest first, the chosen one selected', () => {
    const choices = committeeYearChoices(now, committeeYearPeriod('2023/24'));
    expect(choices).toHaveLength(11);
    expect(choices[0]).toEqual({ value: '2026', text: '2025/26 (October 2025 to September 2026), so far' });
    expect(choices[2]).toEqual({ value: '2024', text: '2023/24 (October 2023 to September 2024)', selected: true });
  });
});

describe('unit: the annual report document', () => {
  const doc = renderAnnualReport(
    annualReportModel({
      year: year2023,
      kpis: committeeYearReport(),
      financialYear: { kind: 'financial-year', from: '2023-04-01', to: '2024-03-31', name: 'Financial year 2023-24 (April 2023 to March 2024)', label: '2023-24', year: '2023-24' },
      tenancy: reportFor({ from: '2023-04-01', to: '2024-03-31' }, { from: '2022-04-01', to: '2023-03-31' }, { nm01_asb_per_1000_homes: null, nm01_hate_asb_per_1000_homes: null }, { nm01_asb_per_1000_homes: null, nm01_hate_asb_per_1000_homes: null }),
      annualStreams: [],
      multiYearStreams: [],
      createdAt: '2024-10-01T05:45:00Z',
    }),
  );

  it('stands alone: its CSS inline (allowed by its hash), charts as inline SVG, no script and nothing fetched', () => {
    const css = /<style>([\s\S]*?)<\/style>/.exec(doc)?.[1] ?? '';
    expect(annualStyleHash).toBe(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
    expect(css).toContain('@media print');
    expect(doc).not.toMatch(/<script|<link|src=|style="/);
    expect(doc.match(/<svg class="sc-chart" role="img"/g)).toHaveLength(3);
    expect(doc.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(doc).toContain('made 1 October 2024 at 06:45 (UK time)');
  });

  it('names the period in every table caption and each KPI by its id', () => {
    const captions = [...doc.matchAll(/<caption>([\s\S]*?)<\/caption>/g)].map((m) => m[1] ?? '');
    expect(captions.length).toBeGreaterThanOrEqual(5);
    for (const caption of captions) expect(caption).toMatch(/20\d\d[-/]\d\d/);
    expect(doc).toContain('<span class="kpi-id">total_team_actions</span>');
    expect(doc).toContain('<code>GET /kpis?from=2023-10-01&amp;to=2024-09-30</code>');
  });

  it('has no staff navigation in the exported copy, and the year picker on the page', () => {
    expect(doc).not.toContain('<header class="staff">');
    const page = renderAnnualReport(undefined, { dashboardHref: '/officer/kpis', exportsHref: '/officer/kpis/exports', years: committeeYearChoices(now), error: 'Choose a committee year' });
    expect(page).toContain('<title>Error: Annual report figures: choose a committee year</title>');
    expect(page).toContain('<a href="#year">Choose a committee year</a>');
    expect(page).toContain('aria-describedby="year-error"');
  });
});

describe('unit: the annual report of a year a stream does not cover', () => {
  it('says which financial years have no ledger instead of showing empty ones', async () => {
    const readKpis = async (range: DateRange) => reportFor(range, previousOf(range));
    const year = committeeYearPeriod('2019/20');
    if (!year) throw new Error('a committee year');
    const model = annualReportModel(await readAnnualReport(year, { readKpis, readLedger: await fundingLedgers(), streams, now: () => now }));
    expect(model.funding.annual.map((t) => t.id)).toEqual(['funding-csp-2020-21']);
    expect(model.funding.notes).toEqual(['Community Safety Partnership fund: no ledger for 2019-20; the stream covers 2020-21 to 2026-27.']);
  });
});
