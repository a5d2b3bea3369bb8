// `npm run worker`: the scheduler alone (deadlines and mail), no HTTP. Run as many as you
// like against one PostgreSQL server; no deadline fires twice (src/deadlines/).
import { join, resolve } from 'node:path';
import pino from 'pino';
import { systemClock } from './clock.js';
import { ConfigError, limitsOf, loadConfig } from './config.js';
import { migrate, openDatabase } from './db/database.js';
import type { Deps } from './deps.js';
import { storageFromConfig } from './storage/storage-from-config.js';
import { schedulerOf } from './deadlines/scheduler.js';

async function worker() {
  const config = loadConfig();
  const log = pino({ level: config.CPOR_LOG_LEVEL, name: 'cpor-worker' });
  const dataDir = resolve(config.CPOR_DATA_DIR);
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: join(dataDir, 'db') });
  await migrate(db);
  // The test clock lives in the web process that moves it; a worker follows real time.
  const deps: Deps = {
    db,
    clock: systemClock,
    config,
    limits: limitsOf(config),
    storage: storageFromConfig(config, dataDir),
  };
  const scheduler = schedulerOf(deps, { info: (m) => log.debug(m), error: (m) => log.error(m) });
  scheduler.start();
  log.info(`scheduler ${scheduler.firedBy} started (every ${config.CPOR_SCHEDULER_INTERVAL_MS} ms)`);
  const stop = async (signal: string) => {
    log.info(`${signal}: stopping`);
    await scheduler.stop();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

worker().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
