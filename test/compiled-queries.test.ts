// A query compiled once (src/db/compiled.ts) answers each call with that call's values, keeps
// the values the builder fixed, travels a list as one parameter, and keeps its SQL text: on
// both databases, the same compiled query used on one then the other.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledOnce } from '../src/db/compiled.js';
import { dbTargets, freshDatabase, type TestDatabase } from './harness.js';

const holidaysIn = compiledOnce<{ from: string; dates: string[] }, { date: string; name: string }>((db, p) =>
  db
    .selectFrom('holidays')
    .select([sql<string>`date::text`.as('date'), 'name'])
    .where('date', '>=', p('from'))
    .where((eb) => eb('date', '=', eb.fn.any(eb.val(p('dates')))))
    .where('name', '!=', 'never this one')
    .orderBy('date'),
);

for (const target of dbTargets()) {
  describe(`compiledOnce (${target})`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await freshDatabase(target);
      await t.db
        .insertInto('holidays')
        .values(
          ['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01'].map((date) => ({
            date,
            name: `h ${date}`,
          })),
        )
        .execute();
    });
    afterAll(() => t.drop());

    it('runs with each call its own values, the fixed ones kept', async () => {
      const first = await holidaysIn(t.db, { from: '2026-12-01', dates: ['2026-12-25', '2027-01-01'] });
      expect(first).toEqual([
        { date: '2026-12-25', name: 'h 2026-12-25' },
        { date: '2027-01-01', name: 'h 2027-01-01' },
      ]);
      const second = await holidaysIn(t.db, {
        from: '2026-12-30',
        dates: ['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01'],
      });
      expect(second.map((h) => h.date)).toEqual(['2026-12-31', '2027-01-01']);
      expect(await holidaysIn(t.db, { from: '2026-01-01', dates: [] })).toEqual([]);
    });

    it('runs in a transaction, on the SQL text compiled the first time: a list is one parameter', async () => {
      const text = holidaysIn.text();
      expect(text).toMatch(/"date" = any\(\$2\)/);
      expect(text).toContain('"name" != $3');
      await t.db.transaction().execute(async (trx) => {
        const rows = await holidaysIn(trx, { from: '2026-01-01', dates: ['2026-12-24'] });
        expect(rows).toEqual([{ date: '2026-12-24', name: 'h 2026-12-24' }]);
      });
      expect(holidaysIn.text()).toBe(text);
    });
  });
}
