// `npm start`: the API, the web UI and the scheduler (unless CPOR_SCHEDULER=off) in one process.
import { join, resolve } from 'node:path';
import { buildApp } from './app.js';
import { ManualClock, systemClock } from './clock.js';
import { ConfigError, limitsOf, loadConfig } from './config.js';
import { migrate, openDatabase } from './db/database.js';
import type { Deps } from './deps.js';
import { storageFromConfig } from './storage/storage-from-config.js';
import { seedCatalog } from './catalog/catalog-commands.js';
import { bootstrapAdmin } from './people/people-commands.js';
import { loadDemo } from './demo/demo-data.js';
import { schedulerOf } from './deadlines/scheduler.js';
import { testClockRoutes } from './deadlines/test-clock-routes.js';

async function main() {
  const config = loadConfig();
  const dataDir = resolve(config.CPOR_DATA_DIR);
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: join(dataDir, 'db') });
  await migrate(db);
  const clock = config.CPOR_TEST_CLOCK ? new ManualClock() : systemClock;
  const deps: Deps = {
    db,
    clock,
    config,
    limits: limitsOf(config),
    storage: storageFromConfig(config, dataDir),
  };
  await seedCatalog(deps);
  const app = await buildApp(deps, { plugins: [testClockRoutes] });
  await bootstrapAdmin(deps, (m) => app.log.warn(m));
  if (config.CPOR_DEMO) await loadDemo(deps, (m) => app.log.info(m));
  app.log.info(`PoE documents stored in ${deps.storage.name}`);
  await app.listen({ port: config.PORT, host: config.HOST });
  const scheduler = schedulerOf(deps, {
    info: (m) => app.log.debug(m),
    error: (m) => app.log.error(m),
  });
  if (config.CPOR_SCHEDULER === 'on') scheduler.start();

  const stop = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    await app.close();
    await scheduler.stop();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
