// Issue 14 point 4: where the batches of due deadlines spend their time, statement by
// statement, and whether a batch costs more as the drain goes on. Usage:
//   TEST_DATABASE_URL=... npx tsx scripts/profile-deadlines.ts [--due 5000] [--template DB] [--explain]
// Makes its own database (dropped at the end): a copy of --template (a database already loaded
// with `cpor generate --claims 0 --due M`), else loaded here with M due consent windows. Then
// drains every due deadline in this one process, each statement timed as the client sees it
// (round trip + server), in groups of batches. --explain: every statement's plan and its
// triggers' time go to the server's log (auto_explain). Last line: one JSON object.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serverDatabase } from '../test/harness.js';
import { cpor } from '../test/cli-run.js';
import { loadConfig } from '../src/config.js';
import { openDeps } from '../src/boot.js';
import { systemClock } from '../src/clock.js';
import { Scheduler } from '../src/deadlines/scheduler.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const groupSize = Number(arg('group') ?? 40);
const maxBatches = Number(arg('batches') ?? Infinity);

type Timings = Map<string, { n: number; ms: number }>;
let current: Timings | null = null;
const label = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .replace(/\$\d+(, \$\d+)*/g, '$…')
    .slice(0, 80);
const original = pg.Client.prototype.query;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wraps pg's overloaded query
(pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
  const text: string = typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? '');
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same overloaded query, called through
  const r = (original as any).apply(this, args);
  const into = current;

  if (into && r && typeof r.then === 'function') {
    const key = label(text);

    void r.then(
      () => {
        const t = into.get(key) ?? { n: 0, ms: 0 };
        t.n += 1;
        t.ms += performance.now() - started;
        into.set(key, t);
      },
      () => undefined,
    );
  }
  return r;
};

async function main() {
  const due = Number(arg('due') ?? 5000);
  const template = arg('template');
  const server = await serverDatabase();
  const name = new URL(server.url).pathname.slice(1);
  const dir = await mkdtemp(join(tmpdir(), 'cpor-profile-'));
  const env = { DATABASE_URL: server.url, CPOR_DATA_DIR: dir };
  try {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    if (template) {
      await admin.query(`DROP DATABASE ${name}`);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } else {
      const made = await cpor(['generate', '--claims', '0', '--due', String(due)], env);
      if (made.code !== 0) throw new Error(made.stderr);
    }
    if (process.argv.includes('--explain'))
      for (const s of [
        `session_preload_libraries = 'auto_explain'`,
        'auto_explain.log_min_duration = 0',
        'auto_explain.log_analyze = on',
        'auto_explain.log_triggers = on',
      ])
        await admin.query(`ALTER DATABASE ${name} SET ${s}`);
    await admin.end();
    const deps = await openDeps(loadConfig({ ...process.env, ...env, NODE_ENV: 'test' }), {
      clock: systemClock,
    });
    const scheduler = new Scheduler(deps);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the private batch step
    const fireBatch = () => (scheduler as any).fireBatch() as Promise<number | null>;
    const groups: { fired: number; ms: number; timings: Timings; load: number }[] = [];
    const started = performance.now();
    let fired = 0;
    let batches = 0;
    for (let done = false; !done && batches < maxBatches;) {
      const g = { fired: 0, ms: 0, timings: new Map() as Timings, load: 0 };
      current = g.timings;
      const t0 = performance.now();
      for (let i = 0; i < groupSize && batches < maxBatches; i++, batches++) {
        const n = await fireBatch();
        if (n === null) {
          done = true;
          break;
        }
        g.fired += n;
      }
      g.ms = performance.now() - t0;
      g.load = loadavg()[0]!;
      fired += g.fired;
      if (g.fired > 0) groups.push(g);
      console.log(
        `${fired} fired; last ${g.fired} in ${g.ms.toFixed(0)} ms (${((g.ms / g.fired) * 500).toFixed(0)} ms per 500), load ${g.load.toFixed(1)}`,
      );
    }
    current = null;
    const total = performance.now() - started;
    for (const [i, g] of groups.entries()) {
      if (i !== 0 && i !== groups.length - 1) continue;
      console.log(`\ngroup ${i + 1}: ${g.fired} deadlines, ${g.ms.toFixed(0)} ms, per 500 deadlines:`);
      for (const [k, t] of [...g.timings].sort((a, b) => b[1].ms - a[1].ms))
        console.log(
          `${((t.ms / g.fired) * 500).toFixed(1).padStart(8)} ms  ${((t.n / g.fired) * 500).toFixed(1).padStart(5)}x  ${k}`,
        );
    }
    await deps.db.destroy();
    console.log(
      JSON.stringify({
        fired,
        seconds: total / 1000,
        perSecond: Math.round(fired / (total / 1000)),
        msPer500First: (groups[0]!.ms / groups[0]!.fired) * 500,
        msPer500Last: (groups.at(-1)!.ms / groups.at(-1)!.fired) * 500,
        loadAverage: loadavg()[0],
        date: new Date().toISOString(),
      }),
    );
  } finally {
    await server.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
