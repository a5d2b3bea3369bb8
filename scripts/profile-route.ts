// Issue 14 point 2: where one route's time goes. Starts `npm start`'s program (src/main.ts,
// demo data, CPOR_LOG_LEVEL=warn, scheduler off, as scripts/bench.ts does) with
// scripts/profile-hook.ts loaded, prepares 200 claims of a partner, drives one route with
// autocannon (a warm-up, then the measured window) and prints: req/s and latency, the SQL
// round trips per request by statement, and the CPU profile of the window (self and total time
// by function, self and total time by package or source file: top 25). Usage:
//   TEST_DATABASE_URL=... npx tsx scripts/profile-route.ts --route read|list|create
//       [--seconds 10] [--connections 10] [--pglite] [--keep DIR] [--env NAME=VALUE ...]
//   npx tsx scripts/profile-route.ts --summary FILE.cpuprofile [--requests N]
// Without TEST_DATABASE_URL (or with --pglite) the embedded database is used. Figures, not
// assertions; the last line is one JSON object.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { serverDatabase } from '../test/harness.js';
import { eventually, freePort } from '../test/processes.js';
import { spawn } from 'node:child_process';
import { claimBody } from './bench-claims.js';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const all = (name: string) =>
  args.flatMap((a, i) => (a === `--${name}` && args[i + 1] ? [args[i + 1]!] : []));

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const special = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** The package (node_modules), source file (src/, scripts/) or Node module a frame is in. */
function moduleOf(f: CallFrame): string {
  if (!f.url) return special.has(f.functionName) ? f.functionName : '(native)';
  const nm = f.url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = f.url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (f.url.startsWith('node:')) return f.url.split('/').slice(0, 2).join('/');
  const src = /\/((?:src|scripts|test)\/.*)$/.exec(f.url);
  return src ? src[1]! : f.url;
}

function functionOf(f: CallFrame): string {
  const where = moduleOf(f);
  if (special.has(f.functionName) && !f.url) return f.functionName;
  const file = f.url.includes('/node_modules/')
    ? f.url.slice(f.url.lastIndexOf('/node_modules/') + '/node_modules/'.length)
    : where;
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
}

export function summarize(p: CpuProfile, requests: number | null) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // A sample lasts until the next one; the last one as long as the average.
  const self = new Map<number, number>();
  const n = p.samples.length;
  const avg = (p.endTime - p.startTime) / Math.max(1, n);
  for (let i = 0; i < n; i++) {
    const us = i + 1 < n ? p.timeDeltas[i + 1]! : avg;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + us);
  }
  const wallUs = p.endTime - p.startTime;
  let idleUs = 0;
  const fnSelf = new Map<string, number>();
  const fnTotal = new Map<string, number>();
  const modSelf = new Map<string, number>();
  const modTotal = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    add(fnSelf, functionOf(node.callFrame), us);
    add(modSelf, moduleOf(node.callFrame), us);
    const fns = new Set<string>();
    const mods = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      if (f.functionName === '(root)') break;
      fns.add(functionOf(f));
      mods.add(moduleOf(f));
    }
    for (const k of fns) add(fnTotal, k, us);
    for (const k of mods) add(modTotal, k, us);
  }
  const busyUs = wallUs - idleUs;
  const ms = (us: number) => (us / 1000).toFixed(0);
  const pct = (us: number) => `${((100 * us) / busyUs).toFixed(1)}%`;
  const top = (m: Map<string, number>, k = 25) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
  const table = (title: string, m: Map<string, number>) => {
    console.log(`\n${title} (ms, share of the busy time)`);
    for (const [k, us] of top(m)) console.log(`${ms(us).padStart(7)} ${pct(us).padStart(6)}  ${k}`);
  };
  console.log(
    `\nprofile: ${(wallUs / 1e6).toFixed(1)} s wall, ${(busyUs / 1e6).toFixed(1)} s busy on the main thread (${((100 * busyUs) / wallUs).toFixed(0)}%)` +
      (requests ? `, ${(busyUs / 1000 / requests).toFixed(2)} ms of main-thread CPU per request` : ''),
  );
  table('self time by package or file', modSelf);
  table('total time by package or file (the frames under it included)', modTotal);
  table('self time by function', fnSelf);
  table('total time by function', fnTotal);
  return {
    wallMs: Math.round(wallUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    cpuMsPerRequest: requests ? Number((busyUs / 1000 / requests).toFixed(3)) : null,
    selfByModule: Object.fromEntries(top(modSelf, 15).map(([k, us]) => [k, Math.round(us / 1000)])),
    totalByModule: Object.fromEntries(top(modTotal, 15).map(([k, us]) => [k, Math.round(us / 1000)])),
  };
}

const demoPassword = 'demo-password-1';
async function profileRoute() {
  const route = arg('route') ?? 'read';
  const seconds = Number(arg('seconds') ?? 10);
  const connections = Number(arg('connections') ?? 10);
  const usePg = !!process.env.TEST_DATABASE_URL && !args.includes('--pglite');
  const extraEnv = Object.fromEntries(all('env').map((e) => [e.split('=')[0]!, e.slice(e.indexOf('=') + 1)]));
  const dir = await mkdtemp(join(tmpdir(), 'cpor-profile-'));
  const outDir = arg('keep') ?? dir;
  const database = usePg ? await serverDatabase() : null;
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './scripts/profile-hook.ts', 'src/main.ts'],
    {
      env: {
        ...process.env,
        PORT: String(port),
        NODE_ENV: 'test',
        CPOR_DATA_DIR: dir,
        CPOR_DEMO: '1',
        CPOR_LOG_LEVEL: 'warn',
        CPOR_SCHEDULER: 'off',
        CPOR_PROFILE_OUT: outDir,
        DATABASE_URL: database?.url ?? '',
        ...extraEnv,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const origin = `http://127.0.0.1:${port}`;
  try {
    await eventually(
      async () => (await fetch(`${origin}/readyz`).catch(() => null))?.status === 200,
      120_000,
      'the server ready',
    );
    const call = async (token: string | null, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${origin}/api/v1${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const token = (await call(null, 'POST', '/auth/token', {
      email: 'partner1@contoso-partners.example',
      password: demoPassword,
    })) as { token: string };
    const auth = { authorization: `Bearer ${token.token}` };
    let n = 0;
    const ids: string[] = [];
    for (let i = 0; i < 200; i++)
      ids.push((await call(token.token, 'POST', '/claims', claimBody(n++))).id as string);
    const request =
      route === 'create'
        ? () => ({
            method: 'POST' as const,
            path: '/api/v1/claims',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify(claimBody(n++)),
          })
        : route === 'list'
          ? () => ({ method: 'GET' as const, path: '/api/v1/claims?limit=50', headers: auth })
          : () => ({ method: 'GET' as const, path: `/api/v1/claims/${ids[0]!}`, headers: auth });
    const drive = (duration: number) =>
      autocannon({
        url: origin,
        connections,
        duration,
        requests: [
          {
            setupRequest: (req) => {
              const next = request();
              return { ...req, ...next, headers: { ...req.headers, ...next.headers } };
            },
          },
        ],
      });
    await drive(3); // warm-up: the JIT, the pools, the caches
    const load = loadavg()[0]!;
    const signal = async (file: string) => {
      proc.kill('SIGUSR2');
      await eventually(() => existsSync(join(outDir, file)), 30_000, file);
    };
    await signal('started');
    const r = await drive(seconds);
    await signal('queries.json');
    await new Promise((res) => setTimeout(res, 200));
    const requests = r.requests.total;
    console.log(
      `${route} on ${usePg ? 'PostgreSQL' : 'PGlite'}: ${r.requests.average} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${requests} requests (${r.non2xx} not 2xx, ${r.errors} errors), load ${load.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`,
    );
    const queries = JSON.parse(readFileSync(join(outDir, 'queries.json'), 'utf8')) as Record<string, number>;
    const total = Object.values(queries).reduce((a, b) => a + b, 0);
    console.log(`\nSQL round trips per request: ${(total / requests).toFixed(2)} (pg query calls)`);
    for (const [text, count] of Object.entries(queries).sort((a, b) => b[1] - a[1]))
      console.log(`${(count / requests).toFixed(2).padStart(6)}  ${text || "'' (the auth cache's barrier)"}`);
    const profile = JSON.parse(readFileSync(join(outDir, 'profile.cpuprofile'), 'utf8')) as CpuProfile;
    const summary = summarize(profile, requests);
    console.log(
      JSON.stringify({
        date: new Date().toISOString(),
        route,
        database: usePg ? 'postgres' : 'pglite',
        loadAverage: { before: load, after: loadavg()[0] },
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        requests,
        roundTripsPerRequest: usePg ? Number((total / requests).toFixed(2)) : null,
        ...summary,
      }),
    );
  } finally {
    proc.kill('SIGTERM');
    await new Promise((res) => proc.once('exit', res));
    await database?.drop();
    if (!arg('keep')) await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  const file = arg('summary');
  if (file) {
    const requests = arg('requests');
    summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, requests ? Number(requests) : null);
    return;
  }
  await profileRoute();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
