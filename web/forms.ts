import type { ErrorDetail } from '#shared/errors';
import { isRealDate } from '#shared/london-time';

/** `{ text }` for a govuk macro's `errorMessage`, per field. */
export type InlineErrors = Record<string, { text: string }>;

export interface FormErrors {
  /** govukErrorSummary's `errorList`: one line per field, in the order the form asks. */
  summary: { text: string; href: string }[];
  /** By field key: pass `errorMessage: errors.fields.<key>` to the field's macro. */
  fields: InlineErrors;
}

/** A message as a sentence: "enter a postcode" → "Enter a postcode". */
export const sentence = (message: string) => (message ? message.charAt(0).toUpperCase() + message.slice(1) : message);

/**
 * Turns `{ path, message }` details (from `detailsFromZod`) into the GOV.UK error-summary
 * and inline-error pattern. `fields` lists the form's fields in page order: key → the id of
 * the element the summary link moves focus to. A detail belongs to the first key that is
 * its path or a prefix of it (`contact.email` → `contact.email`, else `contact`); details
 * with no field (e.g. `(body)`) go to `fallback`, or are listed without an inline message.
 */
export function formErrors(details: readonly ErrorDetail[], fields: Readonly<Record<string, string>>, fallback?: string): FormErrors {
  const keys = Object.keys(fields);
  const fieldOf = (path: string) =>
    keys.find((k) => k === path) ?? keys.filter((k) => path.startsWith(`${k}.`)).sort((a, b) => b.length - a.length)[0] ?? fallback;
  const inline: InlineErrors = {};
  const unplaced: { text: string; href: string }[] = [];
  for (const detail of details) {
    const key = fieldOf(detail.path);
    const text = sentence(detail.message);
    if (key === undefined) unplaced.push({ text, href: '#main-content' });
    else inline[key] ??= { text };
  }
  const summary = keys.flatMap((k) => (inline[k] ? [{ text: inline[k].text, href: `#${fields[k]}` }] : []));
  return { summary: [...summary, ...unplaced], fields: inline };
}

/** No errors: what a page renders with before anything was submitted. */
export const noErrors: FormErrors = { summary: [], fields: {} };

/**
 * A GOV.UK date input's three boxes (`<prefix>-day`, `-month`, `-year`) as an ISO date:
 * undefined when all three are empty, a problem when some are or the date is not real.
 */
export function dateFromParts(fields: Readonly<Record<string, string | undefined>>, prefix: string, what: string): { date?: string; problem?: string } {
  const [d, m, y] = ['day', 'month', 'year'].map((p) => (fields[`${prefix}-${p}`] ?? '').trim());
  if (!d && !m && !y) return {};
  if (!d || !m || !y) return { problem: `${what} must include a day, month and year` };
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y) || !isRealDate(Number(y), Number(m), Number(d))) {
    return { problem: `${what} must be a real date, like 31 3 2025` };
  }
  return { date: `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` };
}
