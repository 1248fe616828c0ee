/**
 * Money at the edge: people write pounds (`£1,320.00`), the system holds integer pence. Both
 * directions are string arithmetic, so no amount ever passes through a binary fraction.
 */
import { MAX_ABS_PENCE } from '#events/envelope';

export type PoundsParse = { ok: true; pence: number } | { ok: false; message: string };

const poundsPattern = /^(-)?£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/**
 * `1,320.00` → 132000. Accepts an optional `£`, thousands separators in groups of three, and
 * up to two decimal places; a leading minus only when `allowNegative` (adjustments).
 */
export function parsePounds(input: string, options: { allowNegative?: boolean } = {}): PoundsParse {
  const text = input.trim().replace(/^£\s*-/, '-£').replace(/^(-?)£\s+/, '$1£');
  const match = poundsPattern.exec(text);
  if (!match) {
    if (/\.\d{3,}$/.test(text)) return { ok: false, message: `"${short(input)}" has more than two decimal places: give pounds and pence, like 1,320.00` };
    return { ok: false, message: `"${short(input)}" is not an amount of money: write it like 1,320.00` };
  }
  const [, minus, whole = '', fraction = ''] = match;
  if (minus && !options.allowNegative) return { ok: false, message: `"${short(input)}" is negative: the amount must be more than zero` };
  const digits = `${whole.replaceAll(',', '')}${fraction.padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_ABS_PENCE).length || Number(digits) > MAX_ABS_PENCE) {
    return { ok: false, message: `"${short(input)}" is larger than this system records (£1bn)` };
  }
  const pence = Number(digits);
  return { ok: true, pence: minus && pence !== 0 ? -pence : pence };
}

const short = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** 251282 → `2512.82` (a plain number a spreadsheet reads as one); negative keeps its sign. */
export function penceToDecimal(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const digits = String(Math.abs(pence)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** 251282 → `£2,512.82`; −125000 → `−£1,250.00` (with a true minus sign for reading). */
export function formatPounds(pence: number): string {
  const [whole = '0', fraction = '00'] = penceToDecimal(Math.abs(pence)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${pence < 0 ? '−' : ''}£${grouped}.${fraction}`;
}
