// What the application is built from. Tests build it with a fresh database and a manual clock.
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Limits } from './domain/limits.js';
import type { Database } from './db/database.js';
import type { ReferenceCache } from './db/reference-cache.js';
import type { Storage } from './storage/storage.js';

export interface Deps {
  db: Database;
  clock: Clock;
  config: Config;
  limits: Limits;
  storage: Storage;
  /** The catalog and holidays held in memory (src/db/reference-cache.ts); absent: read each time. */
  reference?: ReferenceCache;
}
