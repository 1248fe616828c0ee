import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError } from '#shared/errors';
import { readyEventIdOf } from '../../functions/kpis/export-deps.ts';
import { apiDownloadHref, buildDownload, pageDownloadHref } from '../../functions/kpis/export-download.ts';
import { buildListExports } from '../../functions/kpis/export-list.ts';
import { requestKpiExport } from '../../functions/kpis/export-request.ts';
import type { ExportObject, ExportRecord } from '../../functions/kpis/export.ts';
import { buildExportsPage } from '../../functions/kpis/exports-page.ts';
import { dashboardService } from '../../functions/kpis/service.ts';

const at = new Date('2024-07-03T09:12:00Z');

const ready: ExportRecord = {
  exportId: '2024-04-01_2024-06-30',
  period: '2024-25-Q1',
  from: '2024-04-01',
  to: '2024-06-30',
  createdAt: '2024-07-01T05:00:00.000Z',
  status: 'ready',
  objects: ['csv', 'json', 'html'].map((format) => ({ format: format as 'csv', bucket: 'exports-bucket', key: `kpis/2024-04-01_2024-06-30/kpis.${format}` })),
};
const requested: ExportRecord = { exportId: '2024-05-01_2024-05-31', period: '2024-05', from: '2024-05-01', to: '2024-05-31', createdAt: at.toISOString(), status: 'requested', objects: [] };

describe('unit: asking for a KPI export (POST /kpis/exports)', () => {
  const fakes = () => {
    const steps: string[] = [];
    const records: ExportRecord[] = [];
    const deps = {
      saveRecord: async (r: ExportRecord) => void (steps.push('record'), records.push(r)),
      publishRequested: async (range: { from: string; to: string }) => void steps.push(`event ${range.from} ${range.to}`),
      forgetRequested: async (r: ExportRecord) => void steps.push(`forget ${r.exportId} ${r.createdAt}`),
      now: () => at,
    };
    return { deps, steps, records };
  };

  it('records the export as requested, with no files, then puts KpiExportRequested on the bus', async () => {
    const { deps, steps, records } = fakes();
    const record = await requestKpiExport({ from: '2024-04-01', to: '2024-06-30' }, deps);
    expect(steps).toEqual(['record', 'event 2024-04-01 2024-06-30']);
    expect(record).toEqual({ exportId: '2024-04-01_2024-06-30', period: '2024-25-Q1', from: '2024-04-01', to: '2024-06-30', createdAt: '2024-07-03T09:12:00.000Z', status: 'requested', objects: [] });
    expect(records).toEqual([record]);
  });

  it('takes its requested record back when the event cannot be put, so the list never shows it as being prepared for ever', async () => {
    const { deps, steps } = fakes();
    const failing = { ...deps, publishRequested: async () => Promise.reject(new Error('EventBridge unavailable')) };
    await expect(requestKpiExport({ from: '2024-04-01', to: '2024-06-30' }, failing)).rejects.toThrow('EventBridge unavailable');
    expect(steps).toEqual(['record', 'forget 2024-04-01_2024-06-30 2024-07-03T09:12:00.000Z']);
    // If taking it back fails too, the caller still gets the first error.
    const both = { ...failing, forgetRequested: async () => Promise.reject(new Error('DynamoDB unavailable')) };
    await expect(requestKpiExport({ from: '2024-04-01', to: '2024-06-30' }, both)).rejects.toThrow('EventBridge unavailable');
  });

  it.each([
    [{ from: '2024-06-30', to: '2024-04-01' }, /is after to/],
    [{ from: '2024-04-01' }, /give to as a date written YYYY-MM-DD/],
    [{ from: '2019-01-01', to: '2024-01-01' }, /longer than 5 years/],
    [{ from: '2024-02-30', to: '2024-03-31' }, /not a date in the calendar/],
  ])('answers 400 and records and emits nothing for %j', async (range, message) => {
    const { deps, steps } = fakes();
    const refused = requestKpiExport(range, deps);
    await expect(refused).rejects.toBeInstanceOf(BadRequestError);
    await expect(refused).rejects.toThrow(message);
    expect(steps).toEqual([]);
  });

  it('gives the KpiExportReady of a request an eventId of its own, the same on every retry of that request', () => {
    expect(readyEventIdOf('request-1')).toBe(readyEventIdOf('request-1'));
    expect(readyEventIdOf('request-1')).not.toBe(readyEventIdOf('request-2'));
    expect(readyEventIdOf('x'.repeat(128)).length).toBeLessThanOrEqual(128);
  });
});

describe('unit: the list of KPI exports links to the download routes, and signs nothing', () => {
  const list = async () => ({ records: [requested, ready], next: 'older' });

  it('gives each file of a written export the API download route, and a requested one no files', async () => {
    const listing = await buildListExports(list, apiDownloadHref)({ limit: 50 });
    expect(listing.next).toBe('older');
    expect(listing.exports[0]).toEqual({ exportId: '2024-05-01_2024-05-31', period: '2024-05', from: '2024-05-01', to: '2024-05-31', createdAt: at.toISOString(), status: 'requested', objects: [] });
    expect(listing.exports[1]?.status).toBe('ready');
    expect(listing.exports[1]?.objects).toEqual([
      { format: 'csv', href: '/kpis/exports/2024-04-01_2024-06-30/csv' },
      { format: 'json', href: '/kpis/exports/2024-04-01_2024-06-30/json' },
      { format: 'html', href: '/kpis/exports/2024-04-01_2024-06-30/html' },
    ]);
  });

  it('shows the staff page\'s download links, and "Being prepared" for an export asked for and not written yet', async () => {
    const page = await buildExportsPage({ listExports: buildListExports(list, pageDownloadHref), service: dashboardService })({});
    expect(page.statusCode ?? 200).toBe(200);
    const body = String(page.body);
    expect(body).toContain('<a class="govuk-link" href="/officer/kpis/exports/2024-04-01_2024-06-30/csv">CSV (spreadsheet)<span class="govuk-visually-hidden"> for Q1 2024-25');
    expect(body).toMatch(/May 2024[\s\S]*Being prepared/);
    expect(body).not.toContain('/officer/kpis/exports/2024-05-01_2024-05-31/');
    expect(body).not.toMatch(/X-Amz-Signature/i);
  });
});

describe('unit: downloading an export file', () => {
  const setUp = () => {
    const signed: ExportObject[] = [];
    const records = new Map([ready, requested].map((r) => [r.exportId, r]));
    const download = buildDownload({
      readRecord: async (id) => records.get(id),
      presign: async (o) => (signed.push(o), `https://s3.example/${o.bucket}/${o.key}?X-Amz-Expires=60`),
    });
    return { download, signed };
  };

  it('redirects to a presigned GET of the object, never cached', async () => {
    const { download, signed } = setUp();
    const answer = await download('2024-04-01_2024-06-30', 'json');
    expect(answer).toEqual({
      statusCode: 302,
      headers: { location: 'https://s3.example/exports-bucket/kpis/2024-04-01_2024-06-30/kpis.json?X-Amz-Expires=60', 'cache-control': 'no-store' },
      body: '',
    });
    expect(signed).toEqual([{ format: 'json', bucket: 'exports-bucket', key: 'kpis/2024-04-01_2024-06-30/kpis.json' }]);
  });

  it.each([
    ['2023-04-01_2023-06-30', 'csv', /there is no KPI export 2023-04-01_2023-06-30/],
    ['../../etc', 'csv', /there is no KPI export/],
    ['2024-04-01_2024-06-30', 'annual-report', /has no annual-report file: it has csv, json, html/],
    ['2024-04-01_2024-06-30', 'xlsx', /has no xlsx file/],
    ['2024-05-01_2024-05-31', 'csv', /is being prepared/],
  ])('answers 404 and signs nothing for %s/%s', async (exportId, format, message) => {
    const { download, signed } = setUp();
    const refused = download(exportId, format);
    await expect(refused).rejects.toBeInstanceOf(NotFoundError);
    await expect(refused).rejects.toThrow(message);
    expect(signed).toEqual([]);
  });
});
