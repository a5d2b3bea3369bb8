// The scheduler alone (deadlines, mail, webhooks), no API: `npm run worker` and `cpor worker`.
// Run as many as you like against one PostgreSQL server; no deadline fires twice
// (src/deadlines/).
import pino from 'pino';
import { openDeps } from './boot.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { schedulerOf } from './deadlines/scheduler.js';
import { openSharedTestClock } from './deadlines/shared-test-clock.js';
import { createMetrics } from './ops/metrics.js';
import { closeServer, serveOps } from './ops/ops-server.js';

export async function runWorker(config: Config) {
  const log = pino({ level: config.CPOR_LOG_LEVEL, name: 'cpor-worker' });
  // CPOR_TEST_CLOCK=1: the test clock the database keeps, as the servers (issue 14 point 5).
  const deps = await openDeps(config, config.CPOR_TEST_CLOCK ? {} : { clock: systemClock });
  const sharedClock = await openSharedTestClock(deps);
  const scheduler = schedulerOf(deps, { info: (m) => log.debug(m), error: (m) => log.error(m) });
  scheduler.start();
  log.info(`scheduler ${scheduler.firedBy} started (every ${config.CPOR_SCHEDULER_INTERVAL_MS} ms)`);
  // CPOR_WORKER_PORT: the worker's own /healthz and /metrics (api.md "Health").
  const metrics = createMetrics(deps);
  const ops = config.CPOR_WORKER_PORT
    ? await serveOps(config.HOST, config.CPOR_WORKER_PORT, {
        metrics: () => metrics.text(),
        healthz: () => ({ status: 'ok' }),
      })
    : null;
  if (ops) log.info(`health and metrics on http://${config.HOST}:${config.CPOR_WORKER_PORT}`);
  return {
    async stop(reason: string) {
      log.info(`${reason}: stopping`);
      if (ops) await closeServer(ops);
      await scheduler.stop();
      await sharedClock?.close();
      await deps.db.destroy();
    },
  };
}
