// Issue 14 point 3: every list filter and sort over a database loaded with `cpor generate`
// (e.g. a million claims), at 4 callers, as a reviewer and as a partner: req/s, p50, p99.
// Usage: DATABASE_URL=postgres://... npx tsx scripts/bench-lists.ts [--seconds 3] [--connections 4]
//   [--processes 1] (more: that many API processes, the callers split evenly over them, as a
//   load balancer would; req/s summed, p50 and p99 the worst of the processes')
// (run from another checkout with this file's path to measure that checkout's server: it starts
// src/main.ts of the working directory)
// Starts `npm start`'s program on that database (scheduler off), signs in as one generated
// reviewer and one generated partner (password generated-password-1). The last line is one
// JSON object.
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { eventually, freePort, spawnCpor } from '../test/processes.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const seconds = arg('seconds', 3);
const connections = arg('connections', 4);
const processes = arg('processes', 1);
const password = 'generated-password-1';

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const one = async (q: string) => (await db.query<Record<string, string>>(q)).rows[0]!;
  const reviewer = await one(`SELECT email FROM users WHERE roles @> '["reviewer"]' ORDER BY email LIMIT 1`);
  // The partner of the organization with the most claims.
  const partner = await one(`SELECT u.email, u.organization_id FROM users u
    WHERE u.roles @> '["global_admin"]' AND u.organization_id = (
      SELECT organization_id FROM claims GROUP BY organization_id ORDER BY count(*) DESC LIMIT 1)
    ORDER BY u.email LIMIT 1`);
  const sample = await one(`SELECT tenant_id, mpn_id FROM claims WHERE tenant_id IS NOT NULL
    AND organization_id = '${partner.organization_id}' LIMIT 1`);
  const total = await one('SELECT count(*) AS n FROM claims');
  await db.end();

  const servers: { origin: string; stop: () => Promise<unknown> }[] = [];
  try {
    // One after the other: the first migrates the database.
    for (let p = 0; p < processes; p++) {
      const port = await freePort();
      const server = spawnCpor('src/main.ts', {
        DATABASE_URL: url,
        PORT: String(port),
        NODE_ENV: 'test',
        CPOR_SCHEDULER: 'off',
        CPOR_LOG_LEVEL: 'warn',
        CPOR_DATA_DIR: '/tmp/cpor-bench-lists',
      });
      const origin = `http://127.0.0.1:${port}`;
      servers.push({ origin, stop: () => server.stop() });
      await eventually(
        async () => (await fetch(`${origin}/readyz`).catch(() => null))?.status === 200,
        300_000,
        'ready',
      );
    }
    const origin = servers[0]!.origin;
    const token = async (email: string) => {
      const r = await fetch(`${origin}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      return ((await r.json()) as { token: string }).token;
    };
    const as = { reviewer: await token(reviewer.email!), partner: await token(partner.email!) };
    const filters: [string, string][] = [
      ['newest', ''],
      ['status=approved', '&status=approved'],
      ['status=disputed', '&status=disputed'],
      ['solutionArea', '&solutionArea=microsoft_365'],
      ['tenantId', `&tenantId=${sample.tenant_id}`],
      ['mpnId', `&mpnId=${sample.mpn_id}`],
      ['q (common word)', '&q=migration'],
      ['q (rare)', '&q=zzqx'],
      ['overdue', '&overdue=true'],
      ['overdue, sort=due', '&overdue=true&sort=due'],
      ['outcome', '&outcome=customer_denied,no_partner_response'],
      ['sort=due', '&sort=due'],
    ];
    const results: Record<
      string,
      Record<string, { rps: number; p50: number; p99: number; errors: number }>
    > = {};
    for (const [who, t] of Object.entries(as)) {
      for (const [name, q] of filters) {
        const rs = await Promise.all(
          servers.map((s) =>
            autocannon({
              url: `${s.origin}/api/v1/claims?limit=50${q}`,
              connections: Math.max(1, Math.floor(connections / servers.length)),
              duration: seconds,
              headers: { authorization: `Bearer ${t}` },
            }),
          ),
        );
        const m = {
          rps: Math.round(rs.reduce((a, r) => a + r.requests.average, 0)),
          p50: Math.max(...rs.map((r) => r.latency.p50)),
          p99: Math.max(...rs.map((r) => r.latency.p99)),
          errors: rs.reduce((a, r) => a + r.errors + r.non2xx + r.timeouts, 0),
        };
        (results[who] ??= {})[name] = m;
        console.log(
          `${who.padEnd(9)} ${name.padEnd(18)} ${String(m.rps).padStart(6)} req/s  p50 ${String(m.p50).padStart(5)} ms  p99 ${String(m.p99).padStart(5)} ms  errors ${m.errors}  load ${loadavg()[0]!.toFixed(1)}`,
        );
      }
    }
    console.log(
      JSON.stringify({
        date: new Date().toISOString(),
        claims: Number(total.n),
        connections,
        processes,
        seconds,
        loadAverage: loadavg()[0],
        results,
      }),
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
