// Issue 14 point 2: a hot query built and compiled by Kysely once per process instead of on
// every request (building and compiling the claim read's query was 12 to 17 % of a read's
// CPU). The builder gets stand-ins for the values; each call runs the compiled SQL with the
// stand-ins in its parameters replaced by the call's values. So the SQL text never changes
// (values travel as parameters, as with Kysely itself), and a list of values must travel as
// one array parameter (`= any(${p('ids')})`), not as `in (...)`, whose text grows with it.
import { CompiledQuery, type Compilable } from 'kysely';
import type { Queryable } from './transaction.js';

/** Stands for the parameter `name` in the compiled query. */
class StandIn {
  constructor(readonly name: string) {}
}

type Build<P, R> = (q: Queryable, p: <K extends keyof P & string>(name: K) => P[K]) => Compilable<R>;

/**
 * A query of `P`'s parameters, compiled on its first run: `run(q, params)` executes it on `q`
 * (the database or a transaction) and resolves to its rows.
 */
export function compiledOnce<P extends Record<string, unknown>, R>(build: Build<P, R>) {
  let compiled: { sql: string; slots: (string | null)[]; fixed: readonly unknown[] } | null = null;
  const run = async (q: Queryable, params: P): Promise<R[]> => {
    if (!compiled) {
      const c = build(q, (name) => new StandIn(name) as never).compile();
      compiled = {
        sql: c.sql,
        fixed: c.parameters,
        slots: c.parameters.map((v) => (v instanceof StandIn ? v.name : null)),
      };
    }
    const { sql, slots, fixed } = compiled;
    const parameters = slots.map((name, i) => (name === null ? fixed[i] : params[name]));
    const result = await q.executeQuery<R>(CompiledQuery.raw(sql, parameters));
    return result.rows;
  };
  /** The SQL text, once compiled. */
  run.text = () => compiled?.sql ?? null;
  return run;
}
