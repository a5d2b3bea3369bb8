// The proof under faults in full (issue 11 point 5): `npm run faults -- [kills] [clients]` on
// the PostgreSQL server of TEST_DATABASE_URL (a new database is made and dropped). Prints its
// figures; docs/reliability.md keeps those of the last full run.
import { runFaults } from '../test/faults/fault-run.js';
import { serverDatabase } from '../test/harness.js';

const kills = Number(process.argv[2] ?? 20);
const clients = Number(process.argv[3] ?? 6);
if (!process.env.TEST_DATABASE_URL) {
  console.error(
    'Set TEST_DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/test).',
  );
  process.exit(2);
}
const database = await serverDatabase();
const started = Date.now();
try {
  const figures = await runFaults({
    databaseUrl: database.url,
    kills,
    clients,
    lifeMs: [1000, 6000],
    seed: Number(process.env.CPOR_FAULT_SEED ?? 1),
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify({ ...figures, seconds: Math.round((Date.now() - started) / 1000) }, null, 2));
  process.exitCode = figures.violations.length === 0 ? 0 : 1;
} finally {
  await database.drop();
}
