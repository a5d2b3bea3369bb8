// Issue 14 point 2: the callers of recent credentials, kept in memory so that a request with
// a token or a session cookie needs no lookup transaction when nothing changed. Every change
// to a credential, a user or an organization notifies all processes (migration 0015b) and
// each drops everything it holds; before trusting an entry, a request waits until every
// notification committed before it arrived (`Notices.trusted`, src/db/notifications.ts), so a
// token revoked in one process is refused by every process on the very next request. An entry
// also lives at most `ttlMs`, and is kept only when the credential is still valid at the end
// of that time (the lookup asks as of then), so expiry needs no notice. A lookup that was
// running while a notice came is not kept. Without a live channel nothing is cached.
import type { Database } from '../db/database.js';
import { Notices } from '../db/notifications.js';
import { credentialsChannel } from '../db/migrations/0015b-credential-changes.js';

const ttlMs = 10_000;
const maxEntries = 10_000;

export class AuthCache {
  readonly ttlMs = ttlMs;
  private readonly entries = new Map<string, { value: unknown; until: number; generation: number }>();
  private notices: Notices | null = null;

  static async open(db: Database): Promise<AuthCache> {
    const cache = new AuthCache();
    cache.notices = await Notices.open(db, credentialsChannel, () => cache.entries.clear());
    return cache;
  }

  /** The generation a lookup starts in: give it back to `set`. */
  get current(): number {
    return this.notices?.current ?? -1;
  }

  /** The cached value of `key`, after every earlier change was heard; undefined when none. */
  async get<T>(key: string): Promise<T | undefined> {
    if (this.entries.size === 0 || !(await this.notices?.trusted())) return undefined;
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.generation !== this.current || e.until <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value as T;
  }

  /** Keeps `value` for `key` unless a change was heard since the lookup began (`generation`). */
  set(key: string, value: unknown, generation: number): void {
    if (!this.notices?.live || generation !== this.current) return;
    if (this.entries.size >= maxEntries) this.entries.clear();
    this.entries.set(key, { value, until: Date.now() + ttlMs, generation });
  }

  async close(): Promise<void> {
    await this.notices?.close();
    this.notices = null;
    this.entries.clear();
  }
}
