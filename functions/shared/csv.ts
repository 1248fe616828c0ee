/** CSV files people open in a spreadsheet (RFC 4180 by csv-stringify). */
import { stringify } from 'csv-stringify/sync';

/**
 * A text cell a spreadsheet will not run as a formula: text beginning `=`, `+`, `-`, `@`
 * (or their full-width forms, which some spreadsheets fold into them, or a tab or carriage
 * return, which some strip first) gets a leading apostrophe. Apply it to text that came
 * from people, not to amounts we write ourselves, so those stay numbers.
 */
export function formulaSafe(cell: string): string {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) ? `'${cell}` : cell;
}

/** Rows as Excel opens them as they are: UTF-8 with a byte-order mark, CRLF, quoted where needed. */
export function spreadsheetCsv(rows: readonly (readonly string[])[]): string {
  // Once record_delimiter is set, csv-stringify no longer quotes a lone LF or CR unless told:
  // a spreadsheet would break the row there.
  return stringify(rows as string[][], { bom: true, record_delimiter: '\r\n', quote_record_delimiter: true });
}
