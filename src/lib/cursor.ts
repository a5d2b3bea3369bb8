// The keyset cursor of every list (api.md "Lists": `limit`, `cursor`, `nextCursor`): the sort
// key and id of the last row of the page before, opaque to clients (base64url JSON).
import { validationFailed } from '../domain/errors.js';

export interface Cursor {
  at: string;
  id: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString()) as Cursor;
    // Only what encodeCursor writes: anything else would reach SQL as a timestamp PostgreSQL
    // refuses (a 500), e.g. "1" or year 275760.
    if (
      typeof c?.at !== 'string' ||
      typeof c.id !== 'string' ||
      c.id.includes('\u0000') ||
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(c.at) ||
      Number.isNaN(Date.parse(c.at))
    )
      throw new Error();
    return c;
  } catch {
    throw validationFailed([{ path: 'cursor', message: 'is not a cursor this server gave' }]);
  }
}

/**
 * Every row of a keyset-paged list, a page at a time: for exports that must not hold a
 * million rows in memory.
 */
export async function* everyRow<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    yield* p.items;
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
}
