import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeError, londonNoon, parseCsv, planImport, readDate } from '../../functions/funding/import-rows.ts';
import { testStreams } from '../support/funding-streams.ts';

const now = new Date('2026-11-26T12:00:00Z');
const header = 'type,stream,financialYear,kind,project,amount,reference,date';
const report = readFileSync(new URL('../../docs/funding-csp-2024-25.csv', import.meta.url), 'utf8');

describe('unit: funding CSV rows', () => {
  it('reads quoted commas, doubled quotes, line breaks in quotes, CRLF and a byte-order mark', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\r\n\r\n')).toEqual({ records: [['a', 'b'], ['x, y', 'say "hi"\nthere']] });
    expect(parseCsv('a\n"open').error?.message).toContain('not closed');
  });

  it('names the row a file stops being readable at, counting the header as row 1', () => {
    const plan = planImport(`${header}\nspend,CSP,2024-25,,CCTV,1.00,INV-1,\n\nspend,CSP,2024-25,,"CCTV,1.00,INV-2,\n`, now, testStreams);
    expect(plan.ok ? [] : plan.errors.map(describeError)).toEqual(['row 3: a quoted field is not closed: check for a missing closing quote (")']);
  });

  it('keeps a quote inside a cell that is not quoted, as a spreadsheet does', () => {
    expect(parseCsv('project,amount\n12" pipe,1.00\n"CCTV" cameras,2.00\n')).toEqual({ records: [['project', 'amount'], ['12" pipe', '1.00'], ['"CCTV" cameras', '2.00']] });
  });

  it('reads UK and ISO dates, refuses impossible ones, and places them at noon London time', () => {
    expect(readDate('31/03/2025')).toBe('2025-03-31');
    expect(readDate('1/4/2024')).toBe('2024-04-01');
    expect(readDate('2024-04-01')).toBe('2024-04-01');
    expect(readDate('31/04/2024')).toBeUndefined();
    expect(readDate('2024-13-01')).toBeUndefined();
    expect(readDate('yesterday')).toBeUndefined();
    expect(londonNoon('2025-01-20')).toBe('2025-01-20T12:00:00+00:00');
    expect(londonNoon('2024-09-12')).toBe('2024-09-12T12:00:00+01:00');
  });

  it("plans the reported year with allocations first and the amounts in pence", () => {
    const plan = planImport(report, now, testStreams);
    if (!plan.ok) throw new Error(plan.errors.map(describeError).join('\n'));
    expect(plan.rows.map((r) => [r.row, r.kind, r.amountPence])).toEqual([
      [2, 'allocation', 3133575],
      [3, 'allocation', 479607],
      [4, 'spend', 1546200],
      [5, 'spend', 132000],
      [6, 'spend', 600000],
      [7, 'spend', 1083700],
    ]);
    expect(plan.rows.reduce((t, r) => t + (r.kind === 'spend' ? -r.amountPence : r.amountPence), 0)).toBe(251282);
    expect(plan.rows[2]).toMatchObject({ path: '/funding/CSP/2024-25/spends', body: { project: 'Safer Communities and Partnership Officer post (part funding)', occurredAt: '2025-03-31T12:00:00+01:00' } });
  });

  it('gives a row the same eventId in every run, and identical rows in one file different ones', () => {
    const ids = (text: string) => {
      const plan = planImport(text, now, testStreams);
      if (!plan.ok) throw new Error(plan.errors.map(describeError).join('\n'));
      return plan.rows.map((r) => r.body.eventId as string);
    };
    const twice = `${header}\nspend,CSP,2024-25,,CCTV,10.00,INV-1,01/05/2024\nspend,CSP,2024-25,,CCTV,10.00,INV-1,01/05/2024\n`;
    const [a, b] = ids(twice);
    expect(a).not.toBe(b);
    expect(ids(twice)).toEqual([a, b]);
    const edited = `${header}\nspend,CSP,2024-25,,CCTV,10.00,INV-1,01/05/2024\nspend,CSP,2024-25,,Lighting,99.00,INV-9,02/05/2024\n`;
    expect(ids(edited)[0]).toBe(a);
  });

  it('names unknown, missing and repeated columns, and rows with the wrong number of cells', () => {
    const bad = planImport('type,stream,financialYear,amount,amount,refrence\n', now, testStreams);
    expect(bad.ok ? [] : bad.errors.map(describeError)).toEqual([
      'row 1 (amount): column "amount" appears twice',
      'row 1 (refrence): unknown column "refrence": the columns are type, stream, financialYear, kind, project, amount, reference, date',
    ]);
    const missing = planImport('type,stream,amount\nspend,CSP,1.00\n', now, testStreams);
    expect(missing.ok ? [] : missing.errors.map(describeError)).toEqual(['row 1 (financialYear): the column "financialYear" is missing']);
    const short = planImport(`${header}\nspend,CSP,2024-25,,CCTV,1,320.00,INV-1,01/05/2024\n`, now, testStreams);
    expect(short.ok ? [] : short.errors.map(describeError)).toEqual(['row 2: has 9 cells but the header has 8: check for an unquoted comma']);
    expect(planImport('', now, testStreams).ok).toBe(false);
    expect(planImport(`${header}\n`, now, testStreams).ok).toBe(false);
  });

  it('refuses kinds, projects and dates in the wrong place, and a negative amount except for an adjustment', () => {
    const file = [
      header,
      'spend,CSP,2024-25,provisional,CCTV,1.00,INV-1,',
      'allocation,CSP,2024-25,provisional,CCTV,1.00,letter,',
      'allocation,CSP,2024-25,adjustment,,-12.50,rounding,',
      'allocation,CSP,2024-25,recall,,-12.50,recall,',
      'spend,CSP,2024-25,,CCTV,0.00,INV-2,',
      'spend,CSP,2024-25,,CCTV,1.00,INV-3,01/04/2025',
      'spend,CSP,2024-25,,CCTV,1.00,,',
    ].join('\n');
    const plan = planImport(file, now, testStreams);
    expect(plan.ok ? [] : plan.errors.map(describeError)).toEqual([
      'row 2 (kind): kind is only for allocations; leave it empty for a spend',
      'row 3 (project): an allocation has no project: leave it empty',
      'row 5 (amount): "-12.50" is negative: the amount must be more than zero',
      'row 6 (amount): the amount must not be zero',
      'row 7 (date): 01/04/2025 is outside 2024-25 (2024-04-01 to 2025-03-31)',
      'row 8 (reference): give a reference',
    ]);
  });
});
