// Issue 14 point 4: how fast two schedulers (`npm run worker`) drain M consent windows due at
// once, on a PostgreSQL server, and that none fired twice and none was missed. Usage:
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/bench-deadlines.ts [--due 100000] [--workers 2]
// Makes its own database (dropped at the end), loads it with `cpor generate --claims 0 --due M`
// (or copies --template DB, a database loaded so once: `CREATE DATABASE ... TEMPLATE`, seconds
// instead of minutes), starts the workers, and times from their start to the last deadline
// fired (`seconds`), and from the first deadline fired to the last (`drainSeconds`: without
// the processes' start). The last line is one JSON object.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { dueDeadlineCount, serverDatabase } from '../test/harness.js';
import { cpor } from '../test/cli-run.js';
import { eventually, spawnCpor, type Child } from '../test/processes.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const due = arg('due', 100_000);
const workerCount = arg('workers', 2);
const template = process.argv.includes('--template')
  ? process.argv[process.argv.indexOf('--template') + 1]
  : null;

/** The (empty) database of `url` replaced by a copy of `template`. */
async function copyOf(url: string, template: string) {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE ${name}`);
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
}

async function main() {
  const server = await serverDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'cpor-bench-deadlines-'));
  const env = { DATABASE_URL: server.url, CPOR_DATA_DIR: dir, CPOR_LOG_LEVEL: 'info' };
  const workers: Child[] = [];
  let db: Awaited<ReturnType<typeof openDatabase>> | null = null;
  try {
    const loadStarted = Date.now();
    if (template) await copyOf(server.url, template);
    else {
      const made = await cpor(['generate', '--claims', '0', '--due', String(due)], env);
      if (made.code !== 0) throw new Error(`generate failed: ${made.stderr}`);
      console.log(made.stdout.trim());
    }
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    db = await openDatabase({ url: server.url });
    const open = () => dueDeadlineCount(db!);
    const before = await open();
    const load = loadavg()[0]!;
    const started = Date.now();
    for (let i = 0; i < workerCount; i++)
      workers.push(spawnCpor('src/worker.ts', { ...env, CPOR_SCHEDULER_INTERVAL_MS: '100' }));
    await eventually(async () => (await open()) === 0, 600_000, 'every due deadline fired');
    const seconds = (Date.now() - started) / 1000;
    const byProcess = await sql<{ fired_by: string; n: string }>`
      SELECT fired_by, count(*) AS n FROM deadlines WHERE fired_at IS NOT NULL AND fired_by <> 'cpor generate'
      GROUP BY fired_by ORDER BY fired_by`.execute(db);
    // None twice: each claim's window completed once, one history entry each.
    const twice = await sql<{ n: string }>`SELECT count(*) AS n FROM (SELECT claim_id FROM claim_history
      WHERE type = 'complete_consent' GROUP BY claim_id HAVING count(*) > 1) x`.execute(db);
    const span = await sql<{ s: number }>`SELECT extract(epoch FROM max(fired_at) - min(fired_at)) AS s
      FROM deadlines WHERE fired_at IS NOT NULL AND fired_by <> 'cpor generate'`.execute(db);
    const completed = await sql<{ n: string }>`SELECT count(*) AS n FROM claims
      WHERE status = 'approved' AND consent_state = 'completed' AND consent_ends_at <= now()`.execute(db);
    const result = {
      due: before,
      workers: workerCount,
      seconds,
      drainSeconds: Number(span.rows[0]?.s),
      perSecond: Math.round(before / seconds),
      byProcess: Object.fromEntries(byProcess.rows.map((r) => [r.fired_by, Number(r.n)])),
      firedTwice: Number(twice.rows[0]?.n),
      consentsCompleted: Number(completed.rows[0]?.n),
      loadSeconds,
      loadAverage: load,
      date: new Date().toISOString(),
    };
    console.log(
      `${before} due deadlines drained by ${workerCount} workers in ${seconds.toFixed(1)} s (${result.perSecond}/s; ${result.drainSeconds.toFixed(1)} s from the first fired to the last), load ${load.toFixed(1)}`,
    );
    console.log(JSON.stringify(result));
  } finally {
    for (const w of workers) await w.stop();
    await db?.destroy();
    await server.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
