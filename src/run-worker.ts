// The scheduler alone (deadlines, mail, webhooks), no API: `npm run worker` and `cpor worker`.
// Run as many as you like against one PostgreSQL server; no deadline fires twice
// (src/deadlines/).
import pino from 'pino';
import { openDeps } from './boot.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { schedulerOf } from './deadlines/scheduler.js';

export async function runWorker(config: Config) {
  const log = pino({ level: config.CPOR_LOG_LEVEL, name: 'cpor-worker' });
  // The test clock lives in the web process that moves it; a worker follows real time.
  const deps = await openDeps(config, { clock: systemClock });
  const scheduler = schedulerOf(deps, { info: (m) => log.debug(m), error: (m) => log.error(m) });
  scheduler.start();
  log.info(`scheduler ${scheduler.firedBy} started (every ${config.CPOR_SCHEDULER_INTERVAL_MS} ms)`);
  return {
    async stop(reason: string) {
      log.info(`${reason}: stopping`);
      await scheduler.stop();
      await deps.db.destroy();
    },
  };
}
