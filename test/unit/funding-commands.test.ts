import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import { amountFrom, commandFrom, decide, type CommandContext } from '../../functions/funding/commands.ts';
import { applyEntry, emptyLedger, entryFor, type LedgerEvent } from '../../functions/funding/ledger.ts';
import { ledgerCsv, ledgerView } from '../../functions/funding/views.ts';
import { formulaSafe, spreadsheetCsv } from '../../functions/shared/csv.ts';
import { csp as cspStream } from '../support/funding-streams.ts';

const ctx: CommandContext = {
  stream: 'CSP',
  financialYear: '2024-25',
  actor: { kind: 'officer', id: 'finance-1' },
  now: new Date('2024-06-01T09:00:00Z'),
  councilId: 'default',
};

const problems = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return (error.details ?? []).map((d) => `${d.path}: ${d.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('unit: funding commands', () => {
  it('builds a spend event from pounds written as people write them', () => {
    const command = commandFrom('spend', { project: 'DISC app subscription', amount: '£1,320.00', reference: 'INV-117' }, ctx);
    expect(command.kind).toBe('spend');
    expect(command.detail).toMatchObject({
      stream: 'CSP',
      financialYear: '2024-25',
      project: 'DISC app subscription',
      amountPence: 132000,
      reference: 'INV-117',
      occurredAt: '2024-06-01T09:00:00.000Z',
      actor: { kind: 'officer', id: 'finance-1' },
    });
    expect(command.detail.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes a negative adjustment, and refuses a negative anything else', () => {
    expect(commandFrom('allocation', { kind: 'adjustment', amountPence: -1050, reference: 'rounding' }, ctx).detail).toMatchObject({ amountPence: -1050 });
    expect(problems(() => commandFrom('allocation', { kind: 'recall', amountPence: -1050, reference: 'x' }, ctx))).toEqual(['amountPence: amountPence must be more than zero']);
    expect(problems(() => commandFrom('spend', { project: 'p', amount: '-5.00', reference: 'x' }, ctx))[0]).toContain('negative');
  });

  it.each([
    [{ project: 'p', amountPence: 12.5, reference: 'r' }, 'amountPence: amountPence must be a whole number of pence, not 12.5'],
    [{ project: 'p', amountPence: -100, reference: 'r' }, 'amountPence: amountPence must be more than zero'],
    [{ project: 'p', amountPence: 0, reference: 'r' }, 'amountPence: amountPence must be more than zero'],
    [{ project: 'p', amountPence: '100', amount: '1.00', reference: 'r' }, 'amount: give amountPence or amount, not both'],
    [{ project: 'p', amount: 13.2, reference: 'r' }, 'amount: give amount in pounds as text, like "1,320.00", or amountPence as a whole number'],
    [{ project: 'p', amount: '1.234', reference: 'r' }, 'amount: "1.234" has more than two decimal places: give pounds and pence, like 1,320.00'],
    [{ project: 'p', reference: 'r' }, 'amountPence: give the amount: amountPence (whole pence) or amount (pounds, like 1,320.00)'],
    [{ project: ' ', amountPence: 1, reference: 'r' }, 'project: give the project'],
    [{ project: 'p', amountPence: 1 }, 'reference: give a reference'],
    [{ project: 'p', amountPence: 1, reference: 'r', occurredAt: 'yesterday' }, 'occurredAt: give the date and time with its offset, like 2024-05-02T14:00:00+01:00'],
    [{ project: 'p', amountPence: 1, reference: 'r', eventId: 'has spaces' }, expect.stringContaining('eventId: an eventId is 1 to 128')],
    [{ project: 'p', amountPence: 1e12, reference: 'r' }, expect.stringContaining('amountPence')],
  ])('refuses a spend %j naming the problem', (body, problem) => {
    expect(problems(() => commandFrom('spend', body, ctx))).toContainEqual(problem);
  });

  it('refuses an allocation of an unknown kind', () => {
    expect(problems(() => commandFrom('allocation', { kind: 'gift', amountPence: 1, reference: 'r' }, ctx))[0]).toContain('kind must be one of provisional');
  });

  it('gives a retried request the same eventId from its Idempotency-Key, and different keys different ids', () => {
    const body = { project: 'p', amountPence: 100, reference: 'r' };
    const a = commandFrom('spend', body, { ...ctx, idempotencyKey: 'k-1' }).detail.eventId;
    expect(commandFrom('spend', body, { ...ctx, idempotencyKey: 'k-1' }).detail.eventId).toBe(a);
    expect(commandFrom('spend', body, { ...ctx, idempotencyKey: 'k-2' }).detail.eventId).not.toBe(a);
    expect(commandFrom('spend', body, { ...ctx, stream: 'SS5', idempotencyKey: 'k-1' }).detail.eventId).not.toBe(a);
    expect(commandFrom('spend', { ...body, eventId: 'mine-1' }, ctx).detail.eventId).toBe('mine-1');
    expect(problems(() => commandFrom('spend', { ...body, eventId: 'mine-1' }, { ...ctx, idempotencyKey: 'k' }))).toEqual(['eventId: give one or the other']);
  });

  it('replays a request already recorded, refuses an id reused for different facts, and publishes anything new', () => {
    const spend = commandFrom('spend', { project: 'p', amountPence: 100, reference: 'r', eventId: 's1' }, ctx);
    const ledger = applyEntry(emptyLedger(), entryFor({ detailType: 'FundingSpent', detail: { ...spend.detail, schemaVersion: 1 } } as LedgerEvent)).ledger;
    expect(decide(spend, undefined)).toBe('publish');
    expect(decide(spend, ledger)).toBe('replay');
    const different = commandFrom('spend', { project: 'p', amountPence: 101, reference: 'r', eventId: 's1' }, ctx);
    expect(() => decide(different, ledger)).toThrow(ConflictError);
  });

  it('reverses a recorded spend once: an unknown spend is 404, a second different reversal is 409, a retry is a replay', () => {
    const spend = commandFrom('spend', { project: 'p', amountPence: 100, reference: 'r', eventId: 's1' }, ctx);
    let ledger = applyEntry(emptyLedger(), entryFor({ detailType: 'FundingSpent', detail: { ...spend.detail, schemaVersion: 1 } } as LedgerEvent)).ledger;
    const reversal = commandFrom('reversal', { reason: 'double posted', eventId: 'r1' }, { ...ctx, spendEventId: 's1' });
    expect(decide(reversal, ledger)).toBe('publish');
    expect(() => decide(commandFrom('reversal', { reason: 'x' }, { ...ctx, spendEventId: 'nope' }), ledger)).toThrow(NotFoundError);
    ledger = applyEntry(ledger, entryFor({ detailType: 'FundingSpendReversed', detail: { ...reversal.detail, schemaVersion: 1 } } as LedgerEvent)).ledger;
    expect(decide(reversal, ledger)).toBe('replay');
    expect(() => decide(commandFrom('reversal', { reason: 'again' }, { ...ctx, spendEventId: 's1' }), ledger)).toThrow(ConflictError);
    expect(problems(() => commandFrom('reversal', {}, { ...ctx, spendEventId: 's1' }))).toEqual(['reason: give the reason for the reversal']);
  });

  it('publishes a spend whose eventId names an Object.prototype member instead of calling it a conflict', () => {
    for (const eventId of ['constructor', 'toString', 'valueOf']) {
      const command = commandFrom('spend', { eventId, project: 'DISC', amountPence: 100, reference: 'r' }, ctx);
      expect(decide(command, emptyLedger()), eventId).toBe('publish');
      expect(decide(command, undefined), eventId).toBe('publish');
      const reversal = commandFrom('reversal', { reason: 'posted twice' }, { ...ctx, spendEventId: eventId });
      expect(() => decide(reversal, emptyLedger()), eventId).toThrow(NotFoundError);
    }
  });

  it('reads amountPence from a form field of digits', () => {
    expect(amountFrom({ amountPence: '132000' }, false)).toEqual({ pence: 132000 });
    expect(amountFrom({ amountPence: '12.5' }, false)).toMatchObject({ problem: { path: 'amountPence' } });
  });
});

describe('unit: funding CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas when they start with = + - @, a tab or a carriage return', () => {
    expect(formulaSafe('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(formulaSafe('+44')).toBe("'+44");
    expect(formulaSafe('-1')).toBe("'-1");
    expect(formulaSafe('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(formulaSafe('\tcmd')).toBe("'\tcmd");
    expect(formulaSafe('\r=1+1')).toBe("'\r=1+1");
    expect(formulaSafe('\uFF1D1+1')).toBe("'\uFF1D1+1");
    expect(formulaSafe('Plain = fine')).toBe('Plain = fine');
    expect(formulaSafe('')).toBe('');
  });

  it('quotes cells with commas, quotes or line breaks, with a byte-order mark and CRLF', () => {
    expect(spreadsheetCsv([['a', 'b'], [formulaSafe('=HYPERLINK("http://x")'), 'CCTV, upgrade'], ['two\nlines', '']])).toBe(
      `\uFEFFa,b\r\n"'=HYPERLINK(""http://x"")","CCTV, upgrade"\r\n"two\nlines",\r\n`,
    );
  });

  it('writes the balance table in pounds, with a byte-order mark and CRLF', () => {
    const csp = cspStream;
    let ledger = emptyLedger();
    const add = (e: LedgerEvent) => (ledger = applyEntry(ledger, entryFor(e)).ledger);
    const base = { occurredAt: '2024-06-01T10:00:00+01:00', schemaVersion: 1, actor: { kind: 'officer' as const }, stream: 'CSP', financialYear: '2024-25' };
    add({ detailType: 'FundingAllocated', detail: { ...base, eventId: 'a', kind: 'provisional', amountPence: 3133575, reference: 'r' } });
    add({ detailType: 'FundingAllocated', detail: { ...base, eventId: 'b', kind: 'underspend-award', amountPence: 479607, reference: 'r' } });
    add({ detailType: 'FundingSpent', detail: { ...base, eventId: 's', project: '=cmd|calc', amountPence: 3361900, reference: 'r' } });
    const csv = ledgerCsv(ledgerView(csp, '2024-25', ledger));
    expect(csv.startsWith('\uFEFFLine,Project,Amount (£)\r\n')).toBe(true);
    expect(csv).toContain('\r\nProvisional allocation,,31335.75\r\n');
    expect(csv).toContain("\r\nSpent,'=cmd|calc,33619.00\r\n");
    expect(csv).toContain('\r\nRemaining,,2512.82\r\n');
  });
});
