// Issue 14 point 2: reference data every claim command reads (the catalog, the business
// calendar's holidays) kept in memory, so that a create or an action does not read them again
// on every request. Every change to those tables notifies all processes (migration 0021) and
// each drops what it holds. Before trusting what it holds, a read waits until every
// notification committed before it was heard (`Notices.trusted`, as the credentials cache
// does): a product deactivated in one process is seen as such by the next read in every
// process. What is held is only ever read in a transaction of its own, after a miss and
// beside the request: a request's own transaction may have written the table and not
// committed yet, so what it reads is used once and not kept; and a request never waits for a
// second connection (ten of them holding the pool's ten would wait for ever). A load that was
// running while a notice came is not kept. Without a live channel every read goes to the
// database. A transaction that writes these tables reads them directly, not through this (it
// would be answered what was committed before it).
import { Notices } from './notifications.js';
import type { Database } from './database.js';
import { withCaller, type Queryable } from './transaction.js';
import { referenceChannel, referenceTables } from './migrations/0021-reference-changes.js';

export type ReferenceTable = (typeof referenceTables)[number];

export class ReferenceCache {
  private readonly held = new Map<ReferenceTable, { value: unknown; generation: number }>();
  private readonly loading = new Set<ReferenceTable>();
  private notices: Notices | null = null;

  private constructor(private readonly db: Database) {}

  static async open(db: Database): Promise<ReferenceCache> {
    const cache = new ReferenceCache(db);
    // Any notice drops everything: the tables are small and change rarely, and a lost
    // connection's notice names no table.
    cache.notices = await Notices.open(db, referenceChannel, () => cache.held.clear());
    return cache;
  }

  /** `table` as `load` reads it: from memory when nothing changed since it was held, else through `q`. */
  async read<T>(table: ReferenceTable, q: Queryable, load: (q: Queryable) => Promise<T>): Promise<T> {
    if (!(await this.notices?.trusted())) return load(q);
    if (this.holds(table)) return this.held.get(table)!.value as T;
    this.hold(table, load);
    return load(q);
  }

  /** Whether `table` is held now (what the next read answers from memory). */
  holds(table: ReferenceTable): boolean {
    return this.held.get(table)?.generation === this.notices?.current;
  }

  /** Reads `table` in a transaction of its own, beside the request, and keeps it if nothing changed meanwhile. */
  private hold<T>(table: ReferenceTable, load: (q: Queryable) => Promise<T>) {
    const notices = this.notices;
    if (!notices || this.loading.has(table)) return;
    this.loading.add(table);
    const generation = notices.current;
    withCaller(this.db, { scope: 'system' }, load)
      .then((value) => {
        if (notices.live && generation === notices.current) this.held.set(table, { value, generation });
      })
      .catch(() => undefined) // the next read tries again
      .finally(() => this.loading.delete(table));
  }

  async close(): Promise<void> {
    await this.notices?.close();
    this.notices = null;
    this.held.clear();
  }
}
