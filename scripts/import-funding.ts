/**
 * `npm run import:funding -- file.csv [--dry-run]`: loads allocations, commitments and spends
 * from a CSV through the running stack's HTTP API (docs/funding.md, "Importing a CSV").
 *
 * Locally the API and a finance token come from the stack's state directory (SC_STATE_DIR,
 * default .local); against AWS set SC_API_URL and SC_TOKEN.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError, planImport, type PlannedRow, type RowError } from '../functions/funding/import-rows.ts';
import { formatPounds } from '../functions/funding/money.ts';
import type { FundingStreamConfig } from '../functions/funding/streams.ts';
import { printable } from '../functions/shared/text.ts';
import { progressReporter } from './progress.ts';

export interface ImportOptions {
  readonly csv: string;
  readonly apiUrl: string;
  readonly token: string;
  readonly dryRun?: boolean;
  readonly fetch?: typeof fetch;
  readonly onProgress?: (done: number, total: number) => void;
  /** How long to wait for the ledgers to show every imported line (default 30 s). */
  readonly settleTimeoutMs?: number;
  /**
   * Resolves once what was sent has been delivered (the local stack's bus idle): the ledgers
   * are read back after it, rather than polled every 150 ms from the moment the rows are sent.
   */
  readonly settled?: () => Promise<void>;
  readonly now?: Date;
  /** The open streams to check rows against; by default the API's (GET /funding). */
  readonly streams?: readonly FundingStreamConfig[];
}

export interface LedgerSummary {
  readonly stream: string;
  readonly financialYear: string;
  readonly rows: number;
  /** Once every imported line shows in the ledger: the year's remaining balance. */
  readonly remainingPence?: number;
  readonly overspent?: boolean;
}

export type ImportResult =
  | { readonly ok: false; readonly errors: readonly RowError[] }
  | { readonly ok: true; readonly dryRun: boolean; readonly rows: number; readonly sent: number; readonly alreadyRecorded: number; readonly ledgers: readonly LedgerSummary[]; readonly settled: boolean };

/** The API refused or failed a request after retries; rows before it were sent. Its message is safe to print. */
export class ImportRequestError extends Error {
  override name = 'ImportRequestError';
  constructor(message: string) {
    super(printable(message));
  }
}

/** How long a 429 asked us to wait (Retry-After in seconds), within reason; undefined without one. */
const retryAfterMs = (res: Response | undefined) => {
  const seconds = Number(res?.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : undefined;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * 1. Asks the API for the open streams (GET /funding: it answers, and the token may read).
 * 2. Reads and checks every row against them; on any error, returns them all and sends nothing.
 * 3. Sends allocations, waits until the ledgers show them, then commitments and spends —
 *    so no spend is judged an overspend against a year whose allocation is still on its way.
 * 4. Waits until every line shows and reports each year's remaining balance.
 * Each row's eventId comes from its content, so running the same file again records nothing twice.
 */
export async function importFunding(options: ImportOptions): Promise<ImportResult> {
  const http = options.fetch ?? fetch;
  const api = options.apiUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  const streams = options.streams ?? (await openStreams(http, api, headers));
  const plan = planImport(options.csv, options.now ?? new Date(), streams);
  if (!plan.ok) return { ok: false, errors: plan.errors };
  const ledgers = groupByLedger(plan.rows);
  if (options.dryRun) {
    return { ok: true, dryRun: true, rows: plan.rows.length, sent: 0, alreadyRecorded: 0, ledgers: ledgers.map(({ rows, ...l }) => ({ ...l, rows: rows.length })), settled: false };
  }
  // Streams given by the caller: the API has not been asked yet whether it answers and the token may read.
  if (options.streams) await openStreams(http, api, headers);

  const send = async (row: PlannedRow): Promise<boolean> => {
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let text = '';
      let res: Response | undefined;
      try {
        res = await http(`${api}${row.path}`, { method: 'POST', headers, body: JSON.stringify(row.body) });
        status = res.status;
        text = await res.text();
        if (status === 202) return (JSON.parse(text) as { alreadyRecorded?: boolean }).alreadyRecorded === true;
      } catch (error) {
        text = (error as Error).message;
      }
      const retryable = status === 0 || status === 429 || status >= 500;
      if (!retryable || attempt >= 4) {
        throw new ImportRequestError(`row ${row.row}: the API answered ${status || 'nothing'}: ${text.slice(0, 300)} — rows sent so far are recorded; fix the problem and run the same file again (nothing is counted twice)`);
      }
      await sleep((status === 429 ? retryAfterMs(res) : undefined) ?? 200 * 2 ** attempt);
    }
  };

  const total = plan.rows.length;
  let done = 0;
  let alreadyRecorded = 0;
  options.onProgress?.(0, total);
  const sendAll = async (rows: readonly PlannedRow[]) => {
    for (const row of rows) {
      if (await send(row)) alreadyRecorded += 1;
      options.onProgress?.(++done, total);
    }
  };
  const deadline = Date.now() + (options.settleTimeoutMs ?? 30_000);
  const allocations = plan.rows.filter((r) => r.kind === 'allocation');
  await sendAll(allocations);
  await waitForLines(http, api, headers, allocations, deadline, options.settled);
  await sendAll(plan.rows.filter((r) => r.kind !== 'allocation'));
  const balances = await waitForLines(http, api, headers, plan.rows, deadline, options.settled);
  return {
    ok: true,
    dryRun: false,
    rows: total,
    sent: total - alreadyRecorded,
    alreadyRecorded,
    settled: balances !== undefined,
    ledgers: ledgers.map(({ rows, ...l }) => {
      const b = balances?.get(`${l.stream}/${l.financialYear}`);
      return { ...l, rows: rows.length, ...(b ? { remainingPence: b.remainingPence, overspent: b.overspent } : {}) };
    }),
  };
}

/** The streams the API knows (GET /funding), which also shows the API answers and the token may read. */
async function openStreams(http: typeof fetch, api: string, headers: Record<string, string>): Promise<FundingStreamConfig[]> {
  const probe = await http(`${api}/funding`, { headers }).catch((error: unknown) => {
    throw new ImportRequestError(`cannot reach the API at ${api} (${(error as Error).message}): is the stack running?`);
  });
  if (probe.status === 401 || probe.status === 403) throw new ImportRequestError(`the API refused the token (${probe.status}): use a finance token`);
  if (!probe.ok) throw new ImportRequestError(`the API at ${api} answered ${probe.status} to GET /funding`);
  const { streams } = (await probe.json()) as { streams: { stream: string; name: string; description: string; startsOn: string; endsOn?: string }[] };
  return streams.map((s) => ({ code: s.stream, name: s.name, description: s.description, startsOn: s.startsOn, ...(s.endsOn ? { endsOn: s.endsOn } : {}) }));
}

function groupByLedger(rows: readonly PlannedRow[]) {
  const groups = new Map<string, { stream: string; financialYear: string; rows: PlannedRow[] }>();
  for (const r of rows) {
    const key = `${r.stream}/${r.financialYear}`;
    const g = groups.get(key) ?? { stream: r.stream, financialYear: r.financialYear, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  return [...groups.values()];
}

interface LedgerBalance {
  remainingPence: number;
  overspent: boolean;
  lines: { eventId: string }[];
}

/**
 * Polls each ledger the rows touch until all their eventIds show; undefined if time runs out.
 * With `settled`, the first read waits for it, so it usually finds every line at once.
 */
async function waitForLines(http: typeof fetch, api: string, headers: Record<string, string>, rows: readonly PlannedRow[], deadline: number, settled?: () => Promise<void>) {
  const balances = new Map<string, LedgerBalance>();
  await settled?.();
  for (const { stream, financialYear, rows: wanted } of groupByLedger(rows)) {
    const ids = wanted.map((r) => r.body.eventId as string);
    for (;;) {
      const res = await http(`${api}/funding/${stream}/${financialYear}`, { headers });
      if (!res.ok) throw new ImportRequestError(`reading ${stream} ${financialYear} back answered ${res.status}`);
      const ledger = (await res.json()) as LedgerBalance;
      const present = new Set(ledger.lines.map((l) => l.eventId));
      if (ids.every((id) => present.has(id))) {
        balances.set(`${stream}/${financialYear}`, ledger);
        break;
      }
      if (Date.now() > deadline) return undefined;
      await sleep(150);
    }
  }
  return balances;
}

/** The API and a finance token: SC_API_URL and SC_TOKEN, or the local stack's state directory. */
async function connection(): Promise<{ apiUrl: string; token: string }> {
  if (process.env.SC_API_URL) {
    if (!process.env.SC_TOKEN) throw new Error('SC_API_URL is set but SC_TOKEN is not: give a finance bearer token');
    return { apiUrl: process.env.SC_API_URL, token: process.env.SC_TOKEN };
  }
  const stateDir = resolve(process.env.SC_STATE_DIR ?? '.local');
  const file = join(stateDir, 'endpoints.json');
  if (!existsSync(file)) throw new Error(`no local stack found (${file} is missing): run npm start, or set SC_API_URL and SC_TOKEN`);
  const { gateway } = JSON.parse(readFileSync(file, 'utf8')) as { gateway: string };
  const { issueToken } = await import('../infra/local/auth.ts');
  return { apiUrl: gateway, token: process.env.SC_TOKEN ?? (await issueToken(stateDir, ['finance'], { subject: 'funding-import' })) };
}

async function main(argv: readonly string[]): Promise<number> {
  const dryRun = argv.includes('--dry-run');
  const files = argv.filter((a) => a !== '--dry-run');
  if (files.length !== 1 || files[0]?.startsWith('-')) {
    process.stderr.write('usage: npm run import:funding -- file.csv [--dry-run]\n');
    return 2;
  }
  const file = files[0] ?? '';
  if (!existsSync(file)) {
    process.stderr.write(`there is no file ${printable(file)}\n`);
    return 2;
  }
  const csv = readFileSync(file, 'utf8');
  // A dry run reads the open streams from the API too: rows are checked against them.
  const { apiUrl, token } = await connection();
  const result = await importFunding({ csv, apiUrl, token, dryRun, onProgress: progressReporter({ unit: 'rows', verb: 'sent' }) });
  if (!result.ok) {
    process.stderr.write(`${printable(file)}: nothing was imported; ${result.errors.length} problem(s) to fix:\n`);
    for (const e of result.errors) process.stderr.write(`  ${describeError(e)}\n`);
    return 1;
  }
  const verb = result.dryRun ? 'would import' : 'imported';
  process.stdout.write(`${printable(file)}: ${verb} ${result.rows} row(s)${result.dryRun ? ' (dry run: nothing sent)' : `, ${result.alreadyRecorded} of them already recorded`}\n`);
  for (const l of result.ledgers) {
    const balance = l.remainingPence === undefined ? '' : `: remaining ${formatPounds(l.remainingPence)}${l.overspent ? ' (OVERSPENT)' : ''}`;
    process.stdout.write(`  ${l.stream} ${l.financialYear}: ${l.rows} row(s)${balance}\n`);
  }
  if (!result.dryRun && !result.settled) process.stdout.write('  the ledgers are still catching up: check GET /funding/{stream}/{year} shortly\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`import failed: ${printable((error as Error).message)}\n`);
      process.exit(1);
    },
  );
}
