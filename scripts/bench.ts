// Benchmark (issue 14 point 1): the project's routes against a one-query baseline server, in
// alternating rounds in one run, on the embedded database and on PostgreSQL. Figures, not
// assertions. Usage:
//   npx tsx scripts/bench.ts [--seconds 3] [--connections 10] [--rounds 2] [--prepared 200] [--quick]
// The server under test is `npm start`'s program (src/main.ts) in its own process, with the
// demo data; its time from start to ready and its memory (RSS) at rest and under load are
// printed. The baseline is the same Fastify with the same driver (pg, or PGlite in process)
// answering one INSERT or one SELECT by key, measured just before each route (writes against
// the INSERT, reads against the SELECT). Routes that use up what they act on (submit, approve,
// upload) run a fixed number of requests on claims prepared for them. PostgreSQL runs when
// TEST_DATABASE_URL is set; there, create, read and a list page are also measured with a second
// API process on the same database (issue 14 point 5). `--quick`: one round of one second, 30 prepared claims (a smoke
// run of the script, about a minute). The last line is one JSON object.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { serverDatabase, tenantId } from '../test/harness.js';
import { eventually, freePort, spawnCpor, type Child } from '../test/processes.js';
import { claimBody } from './bench-claims.js';

const flag = (name: string) => process.argv.includes(`--${name}`);
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const quick = flag('quick');
const seconds = arg('seconds', quick ? 1 : 3);
const connections = arg('connections', 10);
const rounds = arg('rounds', quick ? 1 : 2);
const prepared = arg('prepared', quick ? 30 : 200);
const demoPassword = 'demo-password-1';

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

type Req = {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
};

/** autocannon for `seconds`, or for exactly `requests.length` requests when given a list. */
async function measure(url: string, make: (() => Req) | Req[], conns = connections): Promise<Sample> {
  const list = Array.isArray(make) ? make : null;
  let i = 0;
  const next = () => (list ? list[i++ % list.length]! : (make as () => Req)());
  const first = next();
  if (list) i = 0;
  const t0 = performance.now();
  const r = await autocannon({
    url,
    connections: list ? Math.min(conns, list.length) : conns,
    ...(list ? { amount: list.length } : { duration: seconds }),
    requests: [
      {
        method: first.method ?? 'GET',
        setupRequest: (req) => {
          const n = next();
          return {
            ...req,
            method: n.method ?? 'GET',
            path: n.path,
            headers: { ...req.headers, ...n.headers },
            ...(n.body === undefined ? {} : { body: n.body }),
          };
        },
      },
    ],
  });
  const elapsed = (performance.now() - t0) / 1000;
  return {
    rps: Math.round(list ? r.requests.total / elapsed : r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
  };
}

/** The one-query baseline: Fastify + the same driver, one INSERT or one SELECT by key. */
async function baselineServer(target: 'pglite' | 'postgres', url: string | null) {
  let query: (text: string, params: unknown[]) => Promise<{ rows: unknown[] }>;
  let close: () => Promise<void>;
  if (target === 'postgres') {
    const pool = new pg.Pool({ connectionString: url!, max: 10 });
    query = (text, params) => pool.query(text, params);
    close = () => pool.end();
  } else {
    const lite = await PGlite.create();
    query = (text, params) => lite.query(text, params);
    close = () => lite.close();
  }
  await query('CREATE TABLE IF NOT EXISTS bench_baseline (id text PRIMARY KEY, body jsonb NOT NULL)', []);
  await query(
    `INSERT INTO bench_baseline SELECT 'k' || g, '{"name":"row"}' FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING`,
    [],
  );
  const app = Fastify();
  app.post('/insert', async (req) => {
    const id = randomUUID();
    await query('INSERT INTO bench_baseline (id, body) VALUES ($1, $2)', [id, JSON.stringify(req.body)]);
    return { id };
  });
  app.get<{ Params: { id: string } }>('/select/:id', async (req) => {
    const { rows } = await query('SELECT id, body FROM bench_baseline WHERE id = $1', [req.params.id]);
    return rows[0];
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  let k = 0;
  return {
    insert: () =>
      measure(base, () => ({ method: 'POST', path: '/insert', ...json({ name: 'row', n: k++ }) })),
    select: () => measure(base, () => ({ path: `/select/k${(k++ % 1000) + 1}` })),
    async close() {
      await app.close();
      await close();
    },
  };
}

const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Resident memory of a process, in MB (Linux /proc). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

function multipart(name: string, content: string) {
  const boundary = `----cpor${randomUUID()}`;
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`,
      ),
      Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

/** Runs `fn` over `items`, `width` at a time. */
async function pooled<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k]!);
      }
    }),
  );
  return out;
}

interface Server {
  server: Child;
  base: string;
  call(token: string | null, method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

/** `npm start`'s program on a free port, ready when /readyz answers 200. */
async function startQuiet(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const server = spawnCpor('src/main.ts', { PORT: String(port), NODE_ENV: 'test', ...env });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await eventually(
      async () => (await fetch(`${origin}/readyz`).catch(() => null))?.status === 200,
      120_000,
      'the server ready',
    );
  } catch (e) {
    await server.stop();
    throw e;
  }
  const base = `${origin}/api/v1`;
  return {
    server,
    base,
    async call(token, method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300)
        throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
      return json;
    },
  };
}

async function benchTarget(target: 'pglite' | 'postgres') {
  const dir = await mkdtemp(join(tmpdir(), 'cpor-bench-'));
  const database = target === 'postgres' ? await serverDatabase() : null;
  const env: Record<string, string> = {
    CPOR_DATA_DIR: dir,
    CPOR_DEMO: '1',
    // Warnings only: a request log line each would be measured too (and piped to this process).
    CPOR_LOG_LEVEL: 'warn',
    CPOR_SCHEDULER: 'off',
    ...(database ? { DATABASE_URL: database.url } : {}),
  };
  const started = performance.now();
  let server: Server | null = null;
  const baseline = await baselineServer(target, database?.url ?? null);
  try {
    // First start: an empty database, migrated, demo data loaded. Then the start as every
    // later `npm start` of the same data makes it.
    server = await startQuiet(env);
    const firstStartMs = Math.round(performance.now() - started);
    await server.server.stop();
    const restarted = performance.now();
    server = await startQuiet(env);
    const readyMs = Math.round(performance.now() - restarted);
    const pid = server.server.proc.pid!;
    const origin = server.base.replace(/\/api\/v1$/, '');
    const token = async (email: string) =>
      (await server!.call(null, 'POST', '/auth/token', { email, password: demoPassword })).token as string;
    const partner = await token('partner1@contoso-partners.example');
    const reviewer = await token('reviewer@cpor.example');
    const asPartner = { authorization: `Bearer ${partner}` };
    const asReviewer = { authorization: `Bearer ${reviewer}` };
    const s = server;
    let n = 0;
    const upload = (claim: string, name: string) => {
      const m = multipart(name, `Statement of work ${name}\nSigned by the customer.\n`);
      return fetch(`${s.base}/claims/${claim}/documents`, {
        method: 'POST',
        headers: { ...asPartner, ...m.headers },
        body: m.body,
      }).then((r) => {
        if (r.status !== 201) throw new Error(`upload answered ${r.status}`);
      });
    };
    const newClaim = async () => (await s.call(partner, 'POST', '/claims', claimBody(n++))).id as string;
    const draftWithPoe = async () => {
      const id = await newClaim();
      await upload(id, `poe-${id}.txt`);
      return id;
    };
    const inReview = async () => {
      const id = await draftWithPoe();
      await s.call(partner, 'POST', `/claims/${id}/submit`);
      await s.call(reviewer, 'POST', `/claims/${id}/start-review`);
      return id;
    };
    // What the reads and lists read: a few hundred claims of the partner.
    const some = await pooled(
      Array.from({ length: 200 }, () => 0),
      4,
      () => newClaim(),
    );
    const one = some[0]!;
    const restMb = rssMb(pid);
    let peakMb = restMb;
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 250);
    const get = (path: string) => () => ({ path: `/api/v1${path}`, headers: asPartner });
    const withPartner = (body: unknown) => ({
      body: JSON.stringify(body),
      headers: { ...asPartner, 'content-type': 'application/json' },
    });
    const lists: [string, string][] = [
      ['list', '/claims?limit=50'],
      ['list status', '/claims?limit=50&status=draft,submitted'],
      ['list solutionArea', '/claims?limit=50&solutionArea=microsoft_365'],
      ['list tenantId', `/claims?limit=50&tenantId=${tenantId}`],
      ['list mpnId', '/claims?limit=50&mpnId=1234567'],
      ['list q', '/claims?limit=50&q=bench'],
      ['list overdue', '/claims?limit=50&overdue=true'],
      ['list outcome', '/claims?limit=50&outcome=withdrawn,customer_denied'],
      ['list sort=due', '/claims?limit=50&sort=due'],
    ];
    type Route = { name: string; kind: 'insert' | 'select'; run: () => Promise<Sample> };
    const routes: Route[] = [
      {
        name: 'create',
        kind: 'insert',
        run: () =>
          measure(origin, () => ({
            method: 'POST',
            path: '/api/v1/claims',
            body: JSON.stringify(claimBody(n++)),
            headers: { ...asPartner, 'content-type': 'application/json' },
          })),
      },
      { name: 'read', kind: 'select', run: () => measure(origin, get(`/claims/${one}`)) },
      ...lists.map(([name, path]): Route => ({
        name,
        kind: 'select',
        run: () => measure(origin, get(path)),
      })),
      {
        name: 'comment',
        kind: 'insert',
        run: () =>
          measure(origin, () => ({
            method: 'POST',
            path: `/api/v1/claims/${some[n++ % some.length]!}/comments`,
            body: JSON.stringify({ text: 'Checked with the customer.' }),
            headers: { ...asPartner, 'content-type': 'application/json' },
          })),
      },
      {
        name: 'submit',
        kind: 'insert',
        run: async () => {
          const ids = await pooled(
            Array.from({ length: prepared }, () => 0),
            4,
            draftWithPoe,
          );
          return measure(
            origin,
            ids.map((id) => ({
              method: 'POST' as const,
              path: `/api/v1/claims/${id}/submit`,
              headers: asPartner,
            })),
          );
        },
      },
      {
        name: 'approve',
        kind: 'insert',
        run: async () => {
          const ids = await pooled(
            Array.from({ length: prepared }, () => 0),
            4,
            inReview,
          );
          return measure(
            origin,
            ids.map((id) => ({
              method: 'POST' as const,
              path: `/api/v1/claims/${id}/approve`,
              body: JSON.stringify({ checklist: { customer_contact_verified: true } }),
              headers: { ...asReviewer, 'content-type': 'application/json' },
            })),
          );
        },
      },
      {
        name: 'upload',
        kind: 'insert',
        run: async () => {
          // Distinct files, at most 40 to a draft (CPOR_MAX_DOCUMENTS_PER_CLAIM is 50).
          const drafts = await pooled(
            Array.from({ length: Math.ceil(prepared / 40) }, () => 0),
            4,
            newClaim,
          );
          const tag = randomUUID();
          return measure(
            origin,
            Array.from({ length: prepared }, (_, i) => {
              const m = multipart(`sow-${i}.txt`, `Statement of work ${tag} ${i}\n`);
              return {
                method: 'POST' as const,
                path: `/api/v1/claims/${drafts[i % drafts.length]!}/documents`,
                body: m.body,
                headers: { ...asPartner, ...m.headers },
              };
            }),
          );
        },
      },
    ];
    const results: Record<string, { route: Sample; baseline: Sample; ratio: number }[]> = {};
    for (let r = 0; r < rounds; r++) {
      for (const route of routes) {
        const base = route.kind === 'insert' ? await baseline.insert() : await baseline.select();
        const got = await route.run();
        const ratio = got.rps / base.rps;
        (results[route.name] ??= []).push({ route: got, baseline: base, ratio });
        console.log(
          `${target.padEnd(8)} round ${r + 1} ${route.name.padEnd(18)} ${String(got.rps).padStart(6)} req/s  p50 ${String(got.p50).padStart(4)} ms  p99 ${String(got.p99).padStart(5)} ms  ` +
            `baseline ${route.kind} ${String(base.rps).padStart(6)} req/s  ${ratio.toFixed(2)}x  errors ${got.errors}`,
        );
      }
    }
    clearInterval(sampler);
    // Issue 14 point 5: a second API process on the same PostgreSQL database (tokens,
    // sessions, rate limits, caches' notices are shared through it): the same connections
    // split over the two, against one process just before.
    const twoProcesses: Record<string, { one: Sample; two: Sample }> = {};
    if (target === 'postgres') {
      const second = await startQuiet(env);
      try {
        const origins = [origin, second.base.replace(/\/api\/v1$/, '')];
        const both = async (make: () => Req): Promise<Sample> => {
          const half = Math.max(1, Math.floor(connections / origins.length));
          const got = await Promise.all(origins.map((o) => measure(o, make, half)));
          return {
            rps: got.reduce((a, x) => a + x.rps, 0),
            p50: Math.max(...got.map((x) => x.p50)),
            p99: Math.max(...got.map((x) => x.p99)),
            errors: got.reduce((a, x) => a + x.errors, 0),
          };
        };
        const two: [string, () => Req][] = [
          ['create', () => ({ method: 'POST', path: '/api/v1/claims', ...withPartner(claimBody(n++)) })],
          ['read', get(`/claims/${one}`)],
          ['list', get('/claims?limit=50')],
        ];
        for (const [name, make] of two) {
          const single = await measure(origin, make);
          const pair = await both(make);
          twoProcesses[name] = { one: single, two: pair };
          console.log(
            `${target.padEnd(8)} ${name.padEnd(6)} one process ${String(single.rps).padStart(6)} req/s  p99 ${String(single.p99).padStart(5)} ms;  two processes ${String(pair.rps).padStart(6)} req/s  p99 ${String(pair.p99).padStart(5)} ms  errors ${single.errors + pair.errors}`,
          );
        }
      } finally {
        await second.server.stop();
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const summary = Object.fromEntries(
      Object.entries(results).map(([name, rs]) => [
        name,
        {
          rps: median(rs.map((x) => x.route.rps)),
          p50: median(rs.map((x) => x.route.p50)),
          p99: median(rs.map((x) => x.route.p99)),
          baselineRps: median(rs.map((x) => x.baseline.rps)),
          ratio: Number(median(rs.map((x) => x.ratio)).toFixed(3)),
          errors: rs.reduce((a, x) => a + x.route.errors, 0),
        },
      ]),
    );
    console.log(
      `${target}: ready ${readyMs} ms after start (${firstStartMs} ms the first time: migrations, demo data); RSS ${restMb} MB at rest, ${peakMb} MB at most under load`,
    );
    return { readyMs, firstStartMs, rssAtRestMb: restMb, rssPeakMb: peakMb, routes: summary, twoProcesses };
  } finally {
    await server?.server.stop();
    await baseline.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** `npm start` builds the web UI first, unless web/dist is newer than its sources. */
function webBuild() {
  const run = () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['scripts/build-web.mjs'], { encoding: 'utf8' });
    return {
      ms: Math.round(performance.now() - t0),
      upToDate: /is up to date/.test(r.stdout),
      ok: r.status === 0,
    };
  };
  const first = run();
  const second = first.ok && !first.upToDate ? run() : null;
  const line = (x: { ms: number; upToDate: boolean }) =>
    `${x.ms} ms${x.upToDate ? ' (up to date, skipped)' : ' (built)'}`;
  console.log(`web build as npm start runs it: ${line(first)}${second ? `, then ${line(second)}` : ''}`);
  return { first, second };
}

async function main() {
  const web = quick ? null : webBuild();
  const targets: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL
    ? ['pglite', 'postgres']
    : ['pglite'];
  const load = loadavg()[0]!;
  const out: Record<string, unknown> = {};
  for (const target of targets) out[target] = await benchTarget(target);
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      machine: `${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      loadAverage: { start: load, end: loadavg()[0] },
      seconds,
      connections,
      rounds,
      prepared,
      web,
      ...out,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
