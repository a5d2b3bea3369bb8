// The server: the web UI, the API and (unless CPOR_SCHEDULER=off) the scheduler in one
// process. `npm start` and `cpor serve` run it.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { openDeps } from './boot.js';
import type { Config } from './config.js';
import { bootstrapAdmin } from './people/people-commands.js';
import { loadDemo } from './demo/demo-data.js';
import { schedulerOf } from './deadlines/scheduler.js';
import { testClockRoutes } from './deadlines/test-clock-routes.js';
import { openSharedTestClock } from './deadlines/shared-test-clock.js';
import { closeServer, serveOps } from './ops/ops-server.js';

export interface Running {
  app: FastifyInstance;
  /** Stops taking requests, finishes those in flight and the scheduler's round, closes the database. */
  stop(reason: string): Promise<void>;
}

export async function serve(config: Config): Promise<Running> {
  const deps = await openDeps(config);
  const sharedClock = await openSharedTestClock(deps);
  const app = await buildApp(deps, { plugins: [testClockRoutes] });
  await bootstrapAdmin(deps, (m) => app.log.warn(m));
  if (config.CPOR_DEMO) await loadDemo(deps, (m) => app.log.info(m));
  app.log.info(`PoE documents stored in ${deps.storage.name}`);
  if (!config.CPOR_SECRET)
    app.log.warn(
      'Consent links are signed with a secret kept in the database (settings): set CPOR_SECRET or CPOR_SECRET_FILE to keep it outside.',
    );
  await app.listen({ port: config.PORT, host: config.HOST });
  const metrics = config.CPOR_METRICS_PORT
    ? await serveOps(config.HOST, config.CPOR_METRICS_PORT, { metrics: () => app.metricsText() })
    : null;
  if (metrics) app.log.info(`metrics on http://${config.HOST}:${config.CPOR_METRICS_PORT}/metrics`);
  const scheduler = schedulerOf(deps, {
    info: (m) => app.log.debug(m),
    error: (m) => app.log.error(m),
  });
  if (config.CPOR_SCHEDULER === 'on') scheduler.start();
  return {
    app,
    async stop(reason) {
      app.log.info(`${reason}: shutting down`);
      if (metrics) await closeServer(metrics);
      await app.close();
      await scheduler.stop();
      await sharedClock?.close();
      await deps.db.destroy();
    },
  };
}
