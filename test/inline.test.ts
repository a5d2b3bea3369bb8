// Issue 14 point 2: on PostgreSQL a transaction's BEGIN and the caller's settings travel with
// its first query, and a read (readAs) is one round trip with no transaction of its own
// (src/db/database.ts CallerConnection), the query's parameters written into its text
// (src/db/inline.ts). These tests hold the writing-in to what pg would have sent as parameters
// (the same answers from the server, for values an attacker would choose), and the shortened
// transactions to what a transaction promises: the caller's walls, all or nothing, read-only
// reads, nothing left behind on the connection.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runtimeDatabase, type Database } from '../src/db/database.js';
import { inlineLimit, inlined } from '../src/db/inline.js';
import { readAs, withCaller, type Caller } from '../src/db/transaction.js';
import { dbTargets, freshDatabase, type TestDatabase } from './harness.js';

describe('a query with its parameters written in', () => {
  it('replaces each placeholder by its value as a literal, outside quotes only', () => {
    expect(inlined(`select $1, $2, $1 from "t$1" where a = '$2' and b = $10`, [...'abcdefghij'])).toBe(
      `select 'a', 'b', 'a' from "t$1" where a = '$2' and b = 'j'`,
    );
    expect(inlined(`select 'it''s', "a""b", $1`, ["o'clock"])).toBe(`select 'it''s', "a""b", 'o''clock'`);
    expect(inlined('select $1', [null])).toBe('select NULL');
    expect(inlined('select $1', [undefined])).toBe('select NULL');
    expect(inlined('select $1, $2, $3', [true, 42, 10n])).toBe(`select 'true', '42', '10'`);
    // pg's array text (an element with a quote escaped by a backslash), then the E'' form.
    expect(inlined('select $1', [['a', "b'c", 'd"e', null]])).toBe(`select  E'{"a","b''c","d\\\\"e",NULL}'`);
    expect(inlined('select $1', [{ a: "x'y" }])).toBe(`select '{"a":"x''y"}'`);
    expect(inlined('select $1', ['back\\slash'])).toBe(`select  E'back\\\\slash'`);
  });

  it('gives up (the query keeps its parameters) where the text or a value is not plain', () => {
    const giveUp: [string, unknown[]][] = [
      [`select E'\\n', $1`, ['a']],
      ['select $1 -- a comment', ['a']],
      ['select /* a comment */ $1', ['a']],
      ['select $$ text $$, $1', ['a']],
      ['select $q$ text $q$, $1', ['a']],
      [`select 'unterminated, $1`, ['a']],
      [`select "unterminated, $1`, ['a']],
      ['select a$1 from t', ['a']],
      ['select $0', ['a']],
      ['select $2', ['a']],
      ['select $1', [Buffer.from('binary')]],
      ['select $1', ['nul\0byte']],
      ['select $1', ['x'.repeat(inlineLimit)]],
    ];
    for (const [text, parameters] of giveUp) expect(inlined(text, parameters), text).toBeNull();
  });
});

/** Strings an attacker would try, and random ones over the characters that matter. */
function trickyStrings(): string[] {
  const fixed = [
    '',
    "'",
    "''",
    "\\'",
    "'; DROP TABLE probe; --",
    "x' OR '1'='1",
    '$1',
    '$$',
    '$q$',
    '\\',
    '\\\\x00',
    '/* */',
    '--',
    "E'\\\\'",
    'line\nbreak\ttab\r',
    'é中😀\u2028',
    'NULL',
    '{a,b}',
    '"quoted"',
  ];
  const alphabet = [...'\'"\\$;-/*{},\n\t é中😀NUabc1'];
  let seed = 14;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const random = Array.from({ length: 300 }, () =>
    Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join(''),
  );
  return [...fixed, ...random];
}

describe.each(dbTargets().filter((t) => t === 'postgres'))('written-in values on %s', (target) => {
  let database: TestDatabase;
  let server: pg.Client;
  beforeAll(async () => {
    database = await freshDatabase(target);
    server = new pg.Client({ connectionString: database.url });
    await server.connect();
  });
  afterAll(async () => {
    await server.end();
    await database.drop();
  });

  /** The server's answer to `text` with `values` as parameters, and written in. */
  async function both(text: string, values: unknown[]) {
    const written = inlined(text, values);
    expect(written, text).not.toBeNull();
    const asParameters = await server.query({ text, values, rowMode: 'array' });
    const asText = await server.query({ text: written!, rowMode: 'array' });
    return [asParameters.rows, asText.rows];
  }

  it('every tricky string comes back from the server as itself, as a parameter would', async () => {
    const strings = trickyStrings().filter((s) => !s.includes('\0'));
    for (const s of strings) {
      const [a, b] = await both('select $1::text, length($1), $2 = $1', [s, s]);
      expect(b, JSON.stringify(s)).toEqual(a);
      expect(b![0]![0]).toBe(s);
    }
    // Arrays of them (pg's array text, quoted and escaped), compared as arrays.
    for (let i = 0; i + 3 <= strings.length; i += 3) {
      const arr = [strings[i]!, null, strings[i + 1]!, strings[i + 2]!];
      const [a, b] = await both('select $1::text[]', [arr]);
      expect(b, JSON.stringify(arr)).toEqual(a);
      expect(b![0]![0]).toEqual(arr);
    }
  });

  it('an untyped value takes its type from where it stands, as a parameter does', async () => {
    await server.query(
      'create temp table probe (id uuid primary key, n int, at timestamptz, tags text[], doc jsonb, flag boolean, big bigint)',
    );
    const rows = [
      [
        '9d4c2612-43f8-484c-99e3-44577b2c6b01',
        5,
        new Date('2026-11-29T10:00:00.123Z'),
        ['a', "b'c"],
        { k: "v'\\" },
        true,
        10n,
      ],
      [
        '9d4c2612-43f8-484c-99e3-44577b2c6b02',
        -1,
        new Date('2020-02-29T23:59:59.999Z'),
        [],
        JSON.stringify([1, 'two']),
        false,
        2n ** 62n,
      ],
    ];
    for (const [i, row] of rows.entries()) {
      const insert = `insert into probe values ($1, $2, $3, $4, $5, $6, $7) returning *`;
      const text = inlined(insert, row)!;
      const done = await server.query({ text: i === 0 ? text : insert, values: i === 0 ? [] : row });
      expect(done.rows).toHaveLength(1);
    }
    const queries: [string, unknown[]][] = [
      [
        'select id, n, at, tags, doc, flag, big from probe where id = any($1) order by n',
        [rows.map((r) => r[0])],
      ],
      ['select id from probe where at > $1 and n < $2 order by id limit $3', [new Date('2021-01-01'), 10, 1]],
      ['select id from probe where tags @> $1 and flag = $2', [['a'], true]],
      ['select id from probe where doc = $1', [{ k: "v'\\" }]],
      ['select n + $1, $2 || id::text from probe order by n', [2, "x'"]],
      [
        'select (at, id) < ($1::timestamptz, $2) from probe order by n',
        [new Date('2026-11-29T10:00:00.123Z'), rows[0]![0]],
      ],
    ];
    for (const [text, values] of queries) {
      const [a, b] = await both(text, values);
      expect(b, text).toEqual(a);
      expect(a!.length, text).toBeGreaterThan(0);
    }
  });
});

describe.each(dbTargets())('reads and transactions of the runtime handle on %s', (target) => {
  let database: TestDatabase;
  let app: Database;
  const partner: Caller = { scope: 'partner', organizationId: '11111111-1111-4111-8111-111111111111' };
  const setting = sql<{
    org: string;
    ro: string;
  }>`select current_setting('cpor.organization_id', true) as org, current_setting('transaction_read_only') as ro`;
  beforeAll(async () => {
    database = await freshDatabase(target);
    await sql`create table inline_probe (id int primary key, note text)`.execute(database.db);
    await sql`grant select, insert on inline_probe to cpor_app`.execute(database.db);
    app = runtimeDatabase(database.db);
    await setting.execute(app); // the pool's first connection, its session role set
  });
  afterAll(async () => {
    await database.drop();
  });

  /** The queries sent to the PostgreSQL server while `fn` runs (the embedded database: none). */
  async function sent<T>(fn: () => Promise<T>): Promise<{ result: T; texts: string[] }> {
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const result = await fn();
      const texts = spy.mock.calls.map((c) =>
        typeof c[0] === 'string' ? c[0] : String((c[0] as { text?: string }).text),
      );
      return { result, texts };
    } finally {
      spy.mockRestore();
    }
  }

  it('a read holds the caller and read-only mode for its query, and leaves nothing on the connection', async () => {
    const { result, texts } = await sent(() =>
      readAs(app, partner, async (q) => (await setting.execute(q)).rows[0]),
    );
    expect(result).toEqual({ org: partner.organizationId, ro: 'on' });
    if (target === 'postgres') {
      expect(texts).toHaveLength(1);
      expect(texts[0]).toMatch(/^SELECT set_config\('role', 'cpor_app', true\).*; select current_setting/s);
    }
    // The pool's connections (one is the one just used) hold no caller afterwards.
    const after = await Promise.all(Array.from({ length: 3 }, () => setting.execute(app)));
    for (const r of after) expect(r.rows[0]).toEqual({ org: '', ro: 'off' });
  });

  it('a read refuses to write, and a failed read leaves the next one unharmed', async () => {
    await expect(
      readAs(app, partner, (q) => sql`insert into inline_probe values (1, 'read')`.execute(q)),
    ).rejects.toMatchObject({ code: '25006' });
    await expect(readAs(app, partner, (q) => sql`select 1/0`.execute(q))).rejects.toMatchObject({
      code: '22012',
    });
    const { rows } = await readAs(app, partner, (q) => setting.execute(q));
    expect(rows[0]).toEqual({ org: partner.organizationId, ro: 'on' });
    expect((await sql`select count(*)::int as n from inline_probe`.execute(database.db)).rows).toEqual([
      { n: 0 },
    ]);
  });

  it("a transaction's BEGIN rides with its first query, and the transaction stays all or nothing", async () => {
    const { texts } = await sent(() =>
      withCaller(app, partner, async (q) => {
        await sql`insert into inline_probe values (${2}, ${"kept's"})`.execute(q);
        await sql`insert into inline_probe values (${3}, ${'kept too'})`.execute(q);
      }),
    );
    if (target === 'postgres') {
      expect(texts).toHaveLength(3);
      expect(texts[0]).toMatch(
        /^BEGIN; SELECT set_config\(.*; insert into inline_probe values \('2', 'kept''s'\)$/s,
      );
      expect(texts[2]).toBe('commit');
    }
    await expect(
      withCaller(app, partner, async (q) => {
        await sql`insert into inline_probe values (${4}, ${'first'})`.execute(q);
        throw new Error('changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    await expect(
      withCaller(app, partner, async (q) => {
        await sql`insert into inline_probe values (${5}, ${'fine'})`.execute(q);
        await sql`insert into inline_probe values (${2}, ${'a duplicate'})`.execute(q);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const { rows } = await sql<{
      id: number;
      note: string;
    }>`select id, note from inline_probe where id between 1 and 5 order by id`.execute(database.db);
    expect(rows).toEqual([
      { id: 2, note: "kept's" },
      { id: 3, note: 'kept too' },
    ]);
  });

  it('a transaction begun without a caller (no settings to carry) is committed as any other', async () => {
    // Not the application's way in (ESLint keeps .transaction() in src/db/), but the handle's.
    await app
      .transaction()
      .execute((q) => sql`insert into inline_probe values (${9}, ${'plain'})`.execute(q));
    const { rows } = await sql<{ note: string }>`select note from inline_probe where id = 9`.execute(
      database.db,
    );
    expect(rows).toEqual([{ note: 'plain' }]);
  });

  it('a first query whose values cannot be written in begins the transaction on its own first', async () => {
    const { result, texts } = await sent(() =>
      withCaller(app, partner, async (q) => {
        const r = await sql<{ n: number }>`select length(${Buffer.from('four')}::bytea) as n`.execute(q);
        return [r.rows[0]?.n, (await setting.execute(q)).rows[0]?.org];
      }),
    );
    expect(result).toEqual([4, partner.organizationId]);
    if (target === 'postgres') {
      expect(texts[0]).toMatch(/^BEGIN; SELECT set_config\([^;]*$/s);
      expect(texts[1]).toBe('select length($1::bytea) as n');
    }
  });
});
