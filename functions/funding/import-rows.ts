/**
 * The funding CSV import, the part that needs no network: read the file, check every row the
 * way the API will, and plan the requests. Any error in any row means nothing is sent.
 * The format is in docs/funding.md ("Importing a CSV").
 */
import { CsvError, parse } from 'csv-parse/sync';
import { councilId } from '#shared/config';
import { ValidationError } from '#shared/errors';
import { financialYearSpan } from '#shared/london-time';
import { printable } from '#shared/text';
import { commandFrom, type CommandKind, type FundingCommand } from './commands.ts';
import { derivedEventId } from './ids.ts';
import { parsePounds } from './money.ts';
import { findLedger, type FundingStreamConfig } from './streams.ts';

export const importColumns = ['type', 'stream', 'financialYear', 'kind', 'project', 'amount', 'reference', 'date'] as const;
const requiredColumns = ['type', 'stream', 'financialYear', 'amount'] as const;
type Column = (typeof importColumns)[number];

/** A problem with one row: `row` counts as a spreadsheet does, the header being row 1. */
export interface RowError {
  readonly row: number;
  readonly column?: string;
  readonly message: string;
}

export interface PlannedRow {
  readonly row: number;
  readonly kind: Exclude<CommandKind, 'reversal'>;
  readonly stream: string;
  readonly financialYear: string;
  /** Path under the API, e.g. `/funding/CSP/2024-25/spends`. */
  readonly path: string;
  /** The JSON body to POST; its eventId is derived from the row, so a re-run records nothing twice. */
  readonly body: Record<string, unknown>;
  readonly amountPence: number;
  readonly command: FundingCommand;
}

export type ImportPlan = { ok: true; rows: PlannedRow[] } | { ok: false; errors: RowError[] };

/** What a spreadsheet's CSV parser could not read, with the row it stopped at (the header is row 1). */
export interface CsvProblem {
  readonly row: number;
  readonly message: string;
}

const csvProblems: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed: check for a missing closing quote (")',
};

/**
 * RFC 4180 as spreadsheets write it (csv-parse): commas, double-quoted fields with `""` for a
 * quote, CRLF or LF, a leading byte-order mark ignored, blank lines skipped. Rows may differ
 * in length (planImport names each such row rather than failing on the first), and a quote
 * inside a cell that is not quoted is kept as written, as spreadsheets read it.
 */
export function parseCsv(text: string): { records: string[][]; error?: CsvProblem } {
  try {
    return { records: parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true }) };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // `records` counts the rows read before the one it stopped at.
    const read = Number(error.records ?? 0);
    return { records: [], error: { row: read + 1, message: csvProblems[error.code] ?? error.message } };
  }
}

/** `2025-03-31` or `31/03/2025` (as UK spreadsheets write it) → `2025-03-31`, or undefined. */
export function readDate(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : uk ? [uk[3], uk[2], uk[1]] : [];
  if (!y || !m || !d) return undefined;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const check = new Date(`${date}T12:00:00Z`);
  return !Number.isNaN(check.getTime()) && check.toISOString().slice(0, 10) === date ? date : undefined;
}

/** Noon in London on that date, with its offset: unambiguous whatever the clocks do that day. */
export function londonNoon(date: string): string {
  const probe = new Date(`${date}T12:00:00Z`);
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'shortOffset' })
    .formatToParts(probe)
    .find((p) => p.type === 'timeZoneName')?.value;
  return `${date}T12:00:00${name === 'GMT+1' ? '+01:00' : '+00:00'}`;
}

const pathFor: Record<PlannedRow['kind'], string> = { allocation: 'allocations', commitment: 'commitments', spend: 'spends' };

/**
 * Reads and checks a whole file against the open streams. Every row is checked; the plan
 * exists only if all are good. Rows without a date are dated `now`.
 */
export function planImport(text: string, now: Date, streams: readonly FundingStreamConfig[]): ImportPlan {
  const { records, error } = parseCsv(text);
  if (error) return { ok: false, errors: [error] };
  const [header, ...data] = records;
  if (!header) return { ok: false, errors: [{ row: 1, message: `the file is empty: the first row must name the columns (${importColumns.join(',')})` }] };
  const names = header.map((h) => h.trim());
  const errors: RowError[] = [];
  const index = new Map<Column, number>();
  names.forEach((n, i) => {
    const column = importColumns.find((c) => c.toLowerCase() === n.toLowerCase());
    if (!column) errors.push({ row: 1, column: n, message: `unknown column "${n}": the columns are ${importColumns.join(', ')}` });
    else if (index.has(column)) errors.push({ row: 1, column: n, message: `column "${n}" appears twice` });
    else index.set(column, i);
  });
  for (const c of requiredColumns) if (!index.has(c)) errors.push({ row: 1, column: c, message: `the column "${c}" is missing` });
  if (errors.length > 0) return { ok: false, errors };
  if (data.length === 0) return { ok: false, errors: [{ row: 2, message: 'the file has a header but no rows' }] };

  const seen = new Map<string, number>();
  const rows: PlannedRow[] = [];
  data.forEach((record, i) => {
    const row = i + 2;
    const cell = (c: Column) => {
      const at = index.get(c);
      return at === undefined ? '' : (record[at] ?? '').trim();
    };
    const rowErrors = (column: string | undefined, message: string) => errors.push({ row, ...(column ? { column } : {}), message });
    if (record.length !== names.length) {
      rowErrors(undefined, `has ${record.length} cells but the header has ${names.length}: check for an unquoted comma`);
      return;
    }
    const type = cell('type').toLowerCase();
    if (type !== 'allocation' && type !== 'commitment' && type !== 'spend') {
      rowErrors('type', type === 'reversal'
        ? 'reversals are not imported: reverse a spend on the finance page or with POST .../spends/{eventId}/reversal'
        : `type must be allocation, commitment or spend, not "${cell('type').slice(0, 30)}"`);
      return;
    }
    const ledger = findLedger(cell('stream'), cell('financialYear'), now, streams);
    if (!ledger.ok) {
      rowErrors(ledger.problem === 'malformed-year' ? 'financialYear' : 'stream', ledger.message);
      return;
    }
    if (type === 'allocation' && cell('project')) rowErrors('project', 'an allocation has no project: leave it empty');
    if (type !== 'allocation' && cell('kind')) rowErrors('kind', `kind is only for allocations; leave it empty for a ${type}`);
    const amount = parsePounds(cell('amount'), { allowNegative: type === 'allocation' && cell('kind') === 'adjustment' });
    if (!amount.ok) rowErrors('amount', amount.message);
    else if (amount.pence === 0) rowErrors('amount', 'the amount must not be zero');
    let occurredAt: string | undefined;
    if (cell('date')) {
      const date = readDate(cell('date'));
      if (!date) rowErrors('date', `"${cell('date').slice(0, 30)}" is not a date: write it like 31/03/2025 or 2025-03-31`);
      else {
        const span = financialYearSpan(ledger.financialYear);
        if (date < span.from || date > span.to) rowErrors('date', `${cell('date')} is outside ${ledger.financialYear} (${span.from} to ${span.to})`);
        occurredAt = londonNoon(date);
      }
    }
    if (!amount.ok || amount.pence === 0 || errors.some((e) => e.row === row)) return;

    // Identical rows in one file are separate facts; the same row in a re-run (or in another
    // file) is the same fact, so it gets the same eventId and is not counted twice.
    const identity = [type, ledger.stream.code, ledger.financialYear, cell('kind'), cell('project'), String(amount.pence), cell('reference'), occurredAt?.slice(0, 10) ?? ''];
    const key = identity.join('\u001f');
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    const body: Record<string, unknown> = {
      eventId: derivedEventId('funding-csv', councilId, ...identity, String(occurrence)),
      amountPence: amount.pence,
      ...(type === 'allocation' ? { kind: cell('kind') } : { project: cell('project') }),
      ...(cell('reference') ? { reference: cell('reference') } : {}),
      ...(occurredAt ? { occurredAt } : {}),
    };
    try {
      const command = commandFrom(type, body, {
        stream: ledger.stream.code,
        financialYear: ledger.financialYear,
        actor: { kind: 'officer' },
        now,
        councilId,
      });
      rows.push({ row, kind: type, stream: ledger.stream.code, financialYear: ledger.financialYear, path: `/funding/${ledger.stream.code}/${ledger.financialYear}/${pathFor[type]}`, body, amountPence: amount.pence, command });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      for (const d of e.details ?? [{ path: undefined, message: e.message }]) {
        const column = d.path === 'amountPence' ? 'amount' : d.path;
        rowErrors(column, d.message);
      }
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  // Allocations first: a spend sent before its year's allocation would be flagged as an overspend.
  const order: Record<PlannedRow['kind'], number> = { allocation: 0, commitment: 1, spend: 2 };
  rows.sort((a, b) => order[a.kind] - order[b.kind] || a.row - b.row);
  return { ok: true, rows };
}

/** A row error as one line for a terminal: cells are quoted in messages, and their control characters escaped. */
export function describeError(e: RowError): string {
  return printable(`row ${e.row}${e.column ? ` (${e.column})` : ''}: ${e.message}`);
}
