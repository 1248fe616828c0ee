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

/** A cursor that carries where a page stopped (a key, shared/paged-query.ts); anything else is a 400. */
export function keyFromCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  const value = decodeCursor(cursor);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError('the cursor is not one this service gave out');
  return value as Record<string, unknown>;
}
