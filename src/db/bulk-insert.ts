// Many rows in one statement, whatever their number: the rows travel as ONE parameter, a JSON
// array, that the database unpacks with json_to_recordset. No limit of 65,535 parameters, one
// parse and one plan per statement, and the same on the server and on the embedded database
// (which takes no COPY from a client). Used by `cpor generate` (src/demo/generate.ts).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Queryable } from './transaction.js';
import type { DB } from './schema.js';

/** A column and its SQL type, as json_to_recordset reads it from each row's JSON object. */
export type ColumnTypes = Record<string, 'text' | 'integer' | 'bigint' | 'boolean' | 'timestamptz' | 'jsonb'>;

/**
 * Inserts `rows` (objects keyed by column name; Dates as ISO text, jsonb columns as values)
 * into `table`, `chunk` rows per statement. Triggers and constraints apply as to any INSERT.
 */
export async function insertJsonRows(
  db: Queryable,
  table: keyof DB,
  columns: ColumnTypes,
  rows: readonly Record<string, unknown>[],
  chunk = 5000,
): Promise<void> {
  const names = Object.keys(columns);
  const list = sql.raw(names.map((n) => `"${n}"`).join(', '));
  const shape = sql.raw(names.map((n) => `"${n}" ${columns[n]}`).join(', '));
  for (let i = 0; i < rows.length; i += chunk) {
    const json = JSON.stringify(rows.slice(i, i + chunk));
    await sql`INSERT INTO ${sql.table(table)} (${list})
      SELECT ${list} FROM json_to_recordset(${json}::json) AS r(${shape})`.execute(db);
  }
}

/**
 * One transaction on the owner's handle (`openDatabase`), outside the runtime role and its
 * row-level security: for the operator's bulk loads from the command line only (`cpor
 * generate`), never for a request or the scheduler (docs/architecture.md "Data access").
 */
export function inOwnerTransaction<T>(
  owner: Kysely<DB>,
  fn: (tx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return owner.transaction().execute(fn);
}

/**
 * Updates many rows in one statement: each row of `rows` (objects keyed by column name) sets
 * the `set` columns of the row whose `key` matches, and only where each `guard` column still
 * holds the row's `expected_<column>` value. Resolves to the number of rows updated.
 */
export async function updateJsonRows(
  db: Queryable,
  table: keyof DB,
  key: string,
  set: ColumnTypes,
  rows: readonly Record<string, unknown>[],
  guard: ColumnTypes = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const shape = {
    [key]: 'text',
    ...set,
    ...Object.fromEntries(Object.entries(guard).map(([c, t]) => [`expected_${c}`, t])),
  } as ColumnTypes;
  const assignments = sql.raw(
    Object.keys(set)
      .map((c) => `"${c}" = r."${c}"`)
      .join(', '),
  );
  const where = sql.raw(
    [`t."${key}" = r."${key}"`, ...Object.keys(guard).map((c) => `t."${c}" = r."expected_${c}"`)].join(
      ' AND ',
    ),
  );
  const columns = sql.raw(
    Object.entries(shape)
      .map(([c, t]) => `"${c}" ${t}`)
      .join(', '),
  );
  const r = await sql`UPDATE ${sql.table(table)} AS t SET ${assignments}
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(${columns}) WHERE ${where}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
