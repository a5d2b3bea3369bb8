// Opens what the program is built from (Deps) for every entry point: `npm start`, the worker
// and the `cpor` command line read the same settings and open the same database.
import { join, resolve } from 'node:path';
import { ManualClock, systemClock, type Clock } from './clock.js';
import { limitsOf, type Config } from './config.js';
import { checkRuntimeLogin, migrate, openDatabase, runtimeDatabase, type Database } from './db/database.js';
import type { Deps } from './deps.js';
import { storageFromConfig } from './storage/storage-from-config.js';
import { seedCatalog } from './catalog/catalog-commands.js';

export interface OpenOptions {
  /** Runs the migrations first (every entry point but `cpor migrate`, which reports them). */
  migrate?: boolean;
  clock?: Clock;
}

export async function openDeps(config: Config, opts: OpenOptions = {}): Promise<Deps> {
  return (await openDepsAndOwner(config, opts)).deps;
}

/**
 * The program's dependencies and the owner's handle on the same connections (`cpor generate`
 * loads in bulk as the owner, docs/architecture.md "The database as a second wall").
 */
export async function openDepsAndOwner(
  config: Config,
  opts: OpenOptions = {},
): Promise<{ deps: Deps; owner: Database }> {
  const dataDir = resolve(config.CPOR_DATA_DIR);
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: join(dataDir, 'db') });
  try {
    if (opts.migrate !== false) await migrate(db);
    // Requests, the scheduler and the senders run as cpor_app (issue 11 point 1), on
    // PostgreSQL through a login of their own that is not the owner (migration 0014).
    const runtime = runtimeDatabase(db, config.CPOR_RUNTIME_DATABASE_URL);
    if (config.DATABASE_URL) await checkRuntimeLogin(runtime);
    const deps: Deps = {
      db: runtime,
      clock: opts.clock ?? (config.CPOR_TEST_CLOCK ? new ManualClock() : systemClock),
      config,
      limits: limitsOf(config),
      storage: storageFromConfig(config, dataDir),
    };
    if (opts.migrate !== false) await seedCatalog(deps);
    return { deps, owner: db };
  } catch (e) {
    await db.destroy();
    throw e;
  }
}

/** Stops on SIGINT or SIGTERM, then exits 0 (1 when stopping failed). */
export function stopOnSignal(stop: (reason: string) => Promise<void>) {
  const once = (signal: NodeJS.Signals) => {
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    stop(signal).then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', once);
  process.once('SIGTERM', once);
}
