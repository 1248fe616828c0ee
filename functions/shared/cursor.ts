import { BadRequestError } from './errors.ts';

/** Paging cursors: opaque to callers, JSON inside. */
export const encodeCursor = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The value inside a cursor this service gave out; anything else is a 400 with a reason. */
export function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw new BadRequestError('the cursor is not one this service gave out');
  }
}
