import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { kpiCsv, kpiCsvRows } from '../../functions/kpis/export-csv.ts';
import { exportKpis, type ExportDeps, type ExportRecord, type StoredObject } from '../../functions/kpis/export.ts';
import { figuresOf } from '../../functions/kpis/figures.ts';
import { kpiIds, type KpiReport } from '../../functions/kpis/model.ts';
import { readKpisFrom } from '../../functions/kpis/read.ts';
import { renderKpiExportHtml } from '../../functions/kpis/report-html.ts';

const report: KpiReport = {
  from: '2024-04-01',
  to: '2024-06-30',
  kpis: figuresOf(
    [
      { day: '2024-04-02', counters: { sc_cases: 3, sc_housing: 1, cpw: 4, team_actions: 10, ten_A: 2, ten_C: 1 } },
      { day: '2024-07-01', counters: {} },
    ],
    { asOf: '2024-03-31', homes: 3872 },
  ),
  previous: { from: '2024-01-01', to: '2024-03-31', kpis: figuresOf([{ day: '2024-01-05', counters: { sc_cases: 4, sc_housing: 2, cpw: 7, team_actions: 6, ten_A: 1 } }], undefined) },
};

describe('unit: KPI CSV rows', () => {
  it('writes one row per KPI with the tenancy table flattened when a report is exported', () => {
    const rows = kpiCsvRows(report);
    expect(rows[0]).toEqual(['id', 'label', 'value', 'previous', 'change']);
    const ids = rows.slice(1).map((r) => r[0]);
    expect(ids).toHaveLength(kpiIds.length - 1 + 16);
    expect(ids).toContain('tenancy_cases.A.Q1');
    expect(ids).toContain('tenancy_cases.C.total');
    expect(ids.at(-3)).toBe('tenancy_cases.total');
    const row = (id: string) => rows.find((r) => r[0] === id);
    expect(row('cpw_issued')).toEqual(['cpw_issued', 'Community Protection Warnings issued', '4', '7', '-3']);
    expect(row('pct_cases_referred_from_housing')).toEqual(['pct_cases_referred_from_housing', 'Percentage of cases referred from Housing', '33.3', '50', '-16.7']);
    expect(row('nm01_asb_per_1000_homes')?.slice(2)).toEqual(['0.77', '', '']);
    expect(row('tenancy_cases.A.Q1')?.slice(2)).toEqual(['2', '0', '2']);
    expect(row('tenancy_cases.A.Q4')?.slice(2)).toEqual(['0', '1', '-1']);
    expect(row('tenancy_cases.total')?.slice(2)).toEqual(['3', '1', '2']);
  });

  it('opens in a spreadsheet as it is: a BOM, CRLF rows, and RFC 4180 quoting of the labels', () => {
    const csv = kpiCsv(report);
    expect(csv.startsWith('\uFEFFid,label,value,previous,change\r\n')).toBe(true);
    expect(csv).toContain('nm01_asb_per_1000_homes,"NM01: ASB cases per 1,000 homes",0.77,,\r\n');
    const parsed = parse(csv, { bom: true }) as string[][];
    expect(parsed).toEqual(kpiCsvRows(report));
  });
});

describe('unit: KPI export', () => {
  const fakes = () => {
    const objects = new Map<string, StoredObject>();
    const records = new Map<string, ExportRecord>();
    const ready: unknown[] = [];
    const steps: string[] = [];
    let clock = Date.parse('2024-07-01T05:00:00Z');
    const deps: ExportDeps = {
      readKpis: readKpisFrom({ readDays: async () => [{ day: '2024-04-02', counters: { cpw: 4, team_actions: 5 } }], latestStock: async () => undefined }),
      renderHtml: renderKpiExportHtml,
      bucket: 'exports-bucket',
      putObject: async (o) => void (steps.push(`put ${o.key}`), objects.set(o.key, o)),
      saveRecord: async (r) => void (steps.push('record'), records.set(r.exportId, r)),
      publishReady: async (r) => void (steps.push('event'), ready.push(r)),
      now: () => new Date((clock += 60_000)),
    };
    return { deps, objects, records, ready, steps };
  };

  it('writes CSV, JSON and HTML under kpis/ then the record then the event when a period is exported', async () => {
    const { deps, objects, records, ready, steps } = fakes();
    const record = await exportKpis({ from: '2024-04-01', to: '2024-06-30' }, deps);
    expect(steps).toEqual(['put kpis/2024-04-01_2024-06-30/kpis.csv', 'put kpis/2024-04-01_2024-06-30/kpis.json', 'put kpis/2024-04-01_2024-06-30/kpis.html', 'record', 'event']);
    expect(record).toMatchObject({ exportId: '2024-04-01_2024-06-30', period: '2024-25-Q1', from: '2024-04-01', to: '2024-06-30' });
    expect(ready).toEqual([{ period: '2024-25-Q1', from: '2024-04-01', to: '2024-06-30', objects: record.objects }]);
    const json = JSON.parse(objects.get('kpis/2024-04-01_2024-06-30/kpis.json')?.body ?? '') as KpiReport & { exportId: string; period: string; createdAt: string };
    expect(json).toMatchObject({ exportId: '2024-04-01_2024-06-30', period: '2024-25-Q1', from: '2024-04-01', to: '2024-06-30', previous: { from: '2024-01-01', to: '2024-03-31' } });
    expect(json.kpis.cpw_issued).toBe(4);
    expect(objects.get('kpis/2024-04-01_2024-06-30/kpis.csv')).toMatchObject({ contentType: 'text/csv; charset=utf-8', contentDisposition: 'attachment; filename="safer-communities-kpis-2024-25-Q1.csv"' });
    const html = objects.get('kpis/2024-04-01_2024-06-30/kpis.html')?.body ?? '';
    expect(html).toContain('<title>Safer Communities KPIs: Q1 2024-25 (April to June 2024)</title>');
    expect(html).toMatch(/Community Protection Warnings issued<span class="kpi-id">cpw_issued<\/span><\/th><td class="num">4<\/td>/);
    expect(records.size).toBe(1);
  });

  it('replaces the same objects and record when the same period is exported again', async () => {
    const { deps, objects, records } = fakes();
    const first = await exportKpis({ from: '2024-04-01', to: '2024-06-30' }, deps);
    const second = await exportKpis({ from: '2024-04-01', to: '2024-06-30' }, deps);
    expect(objects.size).toBe(3);
    expect(records.size).toBe(1);
    expect(second.exportId).toBe(first.exportId);
    expect(second.createdAt > first.createdAt).toBe(true);
  });

  it('writes nothing when the range is refused', async () => {
    const { deps, steps } = fakes();
    await expect(exportKpis({ from: '2024-06-30', to: '2024-04-01' }, deps)).rejects.toThrow(/is after to/);
    expect(steps).toEqual([]);
  });

  it('adds the annual report figures to a committee year, and to no other period', async () => {
    const { deps, objects, ready } = fakes();
    const years: string[] = [];
    const withAnnual: ExportDeps = { ...deps, annualReportHtml: async (year, createdAt) => (years.push(`${year.label} ${createdAt}`), '<!DOCTYPE html><title>annual</title>') };
    const record = await exportKpis({ from: '2023-10-01', to: '2024-09-30' }, withAnnual);
    expect(record.objects.map((o) => `${o.format} ${o.key}`)).toEqual([
      'csv kpis/2023-10-01_2024-09-30/kpis.csv',
      'json kpis/2023-10-01_2024-09-30/kpis.json',
      'html kpis/2023-10-01_2024-09-30/kpis.html',
      'annual-report kpis/2023-10-01_2024-09-30/annual-report.html',
    ]);
    expect(years).toEqual([`2023-24-oct-sep ${record.createdAt}`]);
    expect(objects.get('kpis/2023-10-01_2024-09-30/annual-report.html')).toMatchObject({ contentType: 'text/html; charset=utf-8', contentDisposition: 'inline' });
    expect(ready).toEqual([expect.objectContaining({ period: '2023-24-oct-sep', objects: record.objects })]);

    await exportKpis({ from: '2024-04-01', to: '2025-03-31' }, withAnnual);
    await exportKpis({ from: '2023-10-02', to: '2024-09-30' }, withAnnual);
    expect(years).toHaveLength(1);
    expect([...objects.keys()].filter((k) => k.endsWith('annual-report.html'))).toHaveLength(1);
  });
});
