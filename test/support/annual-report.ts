/**
 * What the annual report's tests share: the funding of the report's year as the council keeps
 * it (docs/funding-csp-2024-25.csv, and a multi-year Safer Streets stream cut by a recall), an
 * in-memory KPI counter store with the DynamoDB store's semantics (once per eventId; the latest
 * housing stock by date), and a reader of the figures in the rendered document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CounterStore } from '../../functions/kpis/counter-store.ts';
import { addCounters, zeroCounters } from '../../functions/kpis/counters.ts';
import type { DayCounters, HousingStock } from '../../functions/kpis/figures.ts';

export const cspCsv = readFileSync(join(import.meta.dirname, '../../docs/funding-csp-2024-25.csv'), 'utf8');

/** Safer Streets round 5: £300,000 over October 2023 to March 2025, year 2 cut by a £70,000 recall. */
export const safeStreetsCsv = [
  'type,stream,financialYear,kind,project,amount,reference,date',
  'allocation,SS5,2023-24,provisional,,"120,000.00",Home Office grant agreement year 1,02/10/2023',
  'allocation,SS5,2024-25,provisional,,"180,000.00",Home Office grant agreement year 2,02/04/2024',
  'allocation,SS5,2024-25,recall,,"70,000.00",Home Office recall notice,15/11/2024',
  'spend,SS5,2023-24,,Town-centre CCTV cameras,"96,450.00",PO-2023-00511,12/02/2024',
  'spend,SS5,2023-24,,Street lighting in the park,"23,550.00",PO-2024-00102,20/03/2024',
  'spend,SS5,2024-25,,Youth diversion sessions,"64,200.00",JNL-2025-0328-02,28/03/2025',
  'spend,SS5,2024-25,,Town-centre CCTV cameras,"41,800.00",PO-2024-00290,09/09/2024',
].join('\n');

/** The published CSP table (domain.md), as the document writes it. */
export const publishedCsp = [
  ['Provisional allocation', '£31,335.75'],
  ['Award from the underspend pot', '£4,796.07'],
  ['Spent: CCTV contract transition and police live-viewing upgrade', '£10,837.00'],
  ['Spent: DISC app subscription, one more year', '£1,320.00'],
  ['Spent: Response Fund (skate-park graffiti event, anti-climb spikes)', '£6,000.00'],
  ['Spent: Safer Communities and Partnership Officer post (part funding)', '£15,462.00'],
  ['Total spent', '£33,619.00'],
  ['Remaining', '£2,512.82'],
  ['Total committed (not subtracted)', '£0.00'],
];

/** The KPI counter store in memory: an event counts once, whatever the order or the repeats. */
export function memoryCounterStore(): Pick<CounterStore, 'apply' | 'recordStock' | 'readDays' | 'latestStock'> {
  const seen = new Set<string>();
  const days = new Map<string, DayCounters['counters']>();
  const stocks = new Map<string, HousingStock & { occurredAt: string }>();
  return {
    apply: async (eventId, effect) => {
      if (seen.has(eventId)) return 'duplicate';
      seen.add(eventId);
      days.set(effect.day, addCounters({ ...zeroCounters(), ...days.get(effect.day) }, effect.deltas));
      return 'applied';
    },
    recordStock: async (stock) => {
      const held = stocks.get(stock.asOf);
      if (held && held.occurredAt >= stock.occurredAt) return 'kept';
      stocks.set(stock.asOf, { asOf: stock.asOf, homes: stock.homes, occurredAt: stock.occurredAt });
      return 'stored';
    },
    readDays: async ({ from, to }) =>
      [...days.entries()].filter(([day]) => day >= from && day <= to).sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, counters]) => ({ day, counters })),
    latestStock: async (onOrBefore) => {
      const latest = [...stocks.values()].filter((s) => s.asOf <= onOrBefore).sort((a, b) => (a.asOf < b.asOf ? 1 : -1))[0];
      return latest ? { asOf: latest.asOf, homes: latest.homes } : undefined;
    },
  };
}

const decode = (s: string) =>
  s
    .replace(/<span class="kpi-id">[\s\S]*?<\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** A table of the document by its caption (a prefix is enough): its caption and its rows' cells as text, head first. */
export function documentTable(html: string, captionStart: string): { caption: string; rows: string[][] } | undefined {
  for (const table of html.split('<table').slice(1)) {
    const caption = decode(/<caption>([\s\S]*?)<\/caption>/.exec(table)?.[1] ?? '');
    if (!caption.startsWith(captionStart)) continue;
    const body = table.slice(0, table.indexOf('</table>'));
    const rows = body
      .split(/<tr[\s>]/)
      .slice(1)
      .map((row) => [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => decode(m[1] ?? '')));
    return { caption, rows };
  }
  return undefined;
}
