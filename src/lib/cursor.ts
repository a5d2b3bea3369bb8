// The keyset cursor of every list (api.md "Lists": `limit`, `cursor`, `nextCursor`): the sort
// key and id of the last row of the page before, opaque to clients (base64url JSON).
import { validationFailed } from '../domain/errors.js';

export interface Cursor {
  at: string;
  id: string;
  /** The order the list was read in, for lists of several orders: a cursor of one order is
   * refused by another (its key would be read as the wrong column). */
  s?: string;
}

/** An instant as toISOString writes it (a cursor's key): anything else would reach SQL as a
 * timestamp PostgreSQL refuses (a 500), e.g. "1" or year 275760. */
export const isInstant = (k: string) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(k) && !Number.isNaN(Date.parse(k));

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(s: string, sort?: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString()) as Cursor;
    // Only what encodeCursor writes, and of the order asked.
    if (typeof c?.at !== 'string' || typeof c.id !== 'string' || c.id.includes('\u0000') || !isInstant(c.at))
      throw new Error();
    if (c.s !== sort) throw new Error();
    return { at: c.at, id: c.id };
  } catch {
    throw validationFailed([
      { path: 'cursor', message: 'is not a cursor this server gave', code: 'invalid_cursor' },
    ]);
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

/**
 * The cursor of a list sorted by a text or number key (an email, a name, a sequence number)
 * and then by id: the last row's key and id.
 */
export interface KeyCursor {
  k: string;
  id: string;
}

export const encodeKeyCursor = (c: KeyCursor) =>
  Buffer.from(JSON.stringify({ k: c.k, id: c.id })).toString('base64url');

/** What a repository reads for one page: the rows after `after`, `limit` of them. */
export interface RowsAfter {
  after?: KeyCursor;
  limit: number;
}

/** A cursor encodeKeyCursor wrote, whose key `valid` accepts; 422 on `cursor` otherwise. */
export function decodeKeyCursor(s: string, valid: (k: string) => boolean = () => true): KeyCursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString()) as KeyCursor;
    const plain = (v: unknown, max: number): v is string =>
      typeof v === 'string' && v.length <= max && !v.includes('\u0000');
    if (!plain(c?.k, 1000) || !plain(c.id, 200) || !valid(c.k)) throw new Error();
    return { k: c.k, id: c.id };
  } catch {
    throw validationFailed([
      { path: 'cursor', message: 'is not a cursor this server gave', code: 'invalid_cursor' },
    ]);
  }
}

/** A page of a list read with `limit + 1` rows: the first `limit`, and the cursor after them when more remain. */
export function keyPage<R, T>(
  rows: R[],
  limit: number,
  present: (r: R) => T,
  cursorOf: (last: R) => KeyCursor,
) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(present),
    nextCursor: rows.length > limit && last ? encodeKeyCursor(cursorOf(last)) : null,
  };
}

/**
 * A list sorted by a bigserial id, newest first (the sign-in attempts, the admin audit): its
 * cursor is the id of the last row of the page before; 422 on `cursor` for anything else.
 */
export function checkIdCursor(cursor: string | undefined): string | undefined {
  if (cursor !== undefined && !/^[1-9]\d{0,17}$/.test(cursor))
    throw validationFailed([
      { path: 'cursor', message: 'is not a cursor this server gave', code: 'invalid_cursor' },
    ]);
  return cursor;
}
