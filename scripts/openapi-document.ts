// The OpenAPI document the server serves at /api/v1/openapi.json, built without opening a
// network port: the app on an empty in-memory database, asked for app.swagger().
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { limitsOf, testConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { testClockRoutes } from '../src/deadlines/test-clock-routes.js';
import { localStorage } from '../src/storage/storage.js';

export async function servedDocument(): Promise<Record<string, unknown>> {
  const config = testConfig({ CPOR_DATA_DIR: '/nonexistent' });
  const db = await openDatabase({});
  const app = await buildApp(
    { db, clock: new ManualClock(), config, limits: limitsOf(config), storage: localStorage('/nonexistent') },
    // The test clock's routes are part of the contract (api.md "Test clock"); serve.ts adds them too.
    { plugins: [testClockRoutes], webDist: '/nonexistent' },
  );
  try {
    await app.ready();
    // openapi-types' Document has no index signature; the callers read it as plain JSON.
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await db.destroy();
  }
}
