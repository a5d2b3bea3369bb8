// What the application is built from. Tests build it with a fresh database and a manual clock.
import type { Clock } from './clock.js';
import type { Config, Limits } from './config.js';
import type { Database } from './db/database.js';
import type { Storage } from './documents/storage.js';

export interface Deps {
  db: Database;
  clock: Clock;
  config: Config;
  limits: Limits;
  storage: Storage;
}
