// Writes the OpenAPI document the server serves at /api/v1/openapi.json, without opening a
// network port: the app is built on an empty in-memory database and asked for app.swagger().
// Usage: npx tsx scripts/openapi.ts [out.json]   (stdout without a file)
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { limitsOf, testConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { testClockRoutes } from '../src/deadlines/test-clock-routes.js';
import { localStorage } from '../src/storage/storage.js';

const config = testConfig({ CPOR_DATA_DIR: '/nonexistent' });
const db = await openDatabase({});
const app = await buildApp(
  { db, clock: new ManualClock(), config, limits: limitsOf(config), storage: localStorage('/nonexistent') },
  // The test clock's routes are part of the contract (api.md "Test clock"); serve.ts adds them too.
  { plugins: [testClockRoutes], webDist: '/nonexistent' },
);
await app.ready();
const json = `${JSON.stringify(app.swagger(), null, 2)}\n`;
await app.close();
await db.destroy();
const out = process.argv[2];
if (out) {
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, json);
} else process.stdout.write(json);
