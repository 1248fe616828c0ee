/**
 * The finance forms as plain data: which fields each one asks for, and how what was typed
 * becomes the body the JSON routes take (so a form emits exactly what the API would).
 */
import { allocationKinds } from '#events/funding';
import { ValidationError, type ErrorDetail } from '#shared/errors';
import { financialYearSpan } from '#shared/london-time';
import { dateFromParts } from '../../web/forms.ts';
import type { CommandKind } from './commands.ts';
import { londonNoon } from './import-rows.ts';
import { quarterFields, streamFrom } from './setup.ts';

export type Entry = Exclude<CommandKind, 'reversal'>;
export const entries: readonly Entry[] = ['allocation', 'commitment', 'spend'];
export const isEntry = (value: string | undefined): value is Entry => (entries as readonly string[]).includes(value ?? '');

export const entryTitles: Record<Entry, string> = {
  allocation: 'Record an allocation, award, recall or adjustment',
  commitment: 'Record a commitment',
  spend: 'Record a spend',
};

export const allocationKindItems: readonly { value: (typeof allocationKinds)[number]; text: string; hint: string }[] = [
  { value: 'provisional', text: 'Provisional allocation', hint: 'The year’s allocation, as in the allocation letter' },
  { value: 'underspend-award', text: 'Award from the underspend pot', hint: 'Money won from the county’s pooled underspend' },
  { value: 'recall', text: 'Recall', hint: 'Money taken back: it reduces what the year may spend' },
  { value: 'adjustment', text: 'Adjustment', hint: 'A correction; may be negative, like -12.50' },
];

/** Field key → input id, in page order: the error summary links to these. */
export const recordFieldIds: Record<Entry, Record<string, string>> = {
  allocation: { kind: 'kind', amount: 'amount', reference: 'reference', date: 'date-day' },
  commitment: { project: 'project', amount: 'amount', reference: 'reference', date: 'date-day' },
  spend: { project: 'project', amount: 'amount', reference: 'reference', date: 'date-day' },
};
export const reversalFieldIds = { reason: 'reason' };
export const profileFieldIds = Object.fromEntries(quarterFields.map((q) => [q, q]));
export const streamFieldIds = { code: 'code', name: 'name', description: 'description', startsOn: 'startsOn-day', endsOn: 'endsOn-day' };

type Fields = Readonly<Record<string, string | undefined>>;
const value = (fields: Fields, name: string) => (fields[name] ?? '').trim();

/**
 * The JSON body for a record form, as the API takes it. The amount stays text (pounds, parsed
 * exactly by the command); the date, when given, must fall in the year and is taken as noon in
 * London. The form's token is returned as the Idempotency-Key, so sending the form twice is one fact.
 */
export function recordBody(entry: Entry, fields: Fields, financialYear: string): { body: Record<string, unknown>; idempotencyKey?: string } {
  const problems: ErrorDetail[] = [];
  if (!value(fields, 'amount')) problems.push({ path: 'amount', message: 'enter the amount, like 1,320.00' });
  const { date, problem } = dateFromParts(fields, 'date', 'the date');
  if (problem) problems.push({ path: 'date', message: problem });
  const span = financialYearSpan(financialYear);
  if (date && (date < span.from || date > span.to)) problems.push({ path: 'date', message: `the date must be in ${financialYear}: from ${span.from} to ${span.to}` });
  if (entry === 'allocation' && !value(fields, 'kind')) problems.push({ path: 'kind', message: 'choose what kind of allocation this is' });
  if (problems.length > 0) throw new ValidationError(`the ${entry} could not be recorded: correct the fields listed`, problems);
  const body: Record<string, unknown> = {
    amount: value(fields, 'amount'),
    ...(entry === 'allocation' ? { kind: value(fields, 'kind') } : { project: value(fields, 'project') }),
    ...(value(fields, 'reference') ? { reference: value(fields, 'reference') } : {}),
    ...(date ? { occurredAt: londonNoon(date) } : {}),
  };
  const token = value(fields, 'formToken');
  return { body, ...(token ? { idempotencyKey: token } : {}) };
}

/** The stream form's fields as the JSON body of POST /funding/streams. */
export function streamBody(fields: Fields): Record<string, unknown> {
  const problems: ErrorDetail[] = [];
  const starts = dateFromParts(fields, 'startsOn', 'the start date');
  const ends = dateFromParts(fields, 'endsOn', 'the end date');
  if (starts.problem) problems.push({ path: 'startsOn', message: starts.problem });
  else if (!starts.date) problems.push({ path: 'startsOn', message: 'enter the day the stream starts' });
  if (ends.problem) problems.push({ path: 'endsOn', message: ends.problem });
  const body = { code: value(fields, 'code'), name: value(fields, 'name'), description: value(fields, 'description'), startsOn: starts.date ?? '', ...(ends.date ? { endsOn: ends.date } : {}) };
  if (problems.length > 0) {
    // The other fields are checked too, so every problem shows at once.
    try {
      streamFrom({ ...body, startsOn: '2000-04-01', endsOn: undefined });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...(error.details ?? []).filter((d) => d.path !== 'startsOn' && d.path !== 'endsOn'));
    }
    throw new ValidationError('the stream could not be opened: correct the fields listed', problems);
  }
  return body;
}
