// Benchmark: requests per second of our routes against a bare Fastify baseline, side by
// side in one run on this machine (figures, not assertions). Usage:
//   npx tsx scripts/bench.ts [--seconds 5] [--connections 10]
// Runs on PGlite, and on the PostgreSQL server too when TEST_DATABASE_URL is set.
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { client, dbTargets, m365Claim, seedWorld, testApp } from '../test/harness.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const seconds = arg('seconds', 5);
const connections = arg('connections', 10);

async function measure(url: string, opts: Partial<autocannon.Options> = {}) {
  const r = await autocannon({ url, connections, duration: seconds, ...opts });
  return { rps: Math.round(r.requests.average), p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function main() {
  const base = Fastify();
  base.get('/', async () => ({ hello: 'world' }));
  const baseUrl = await base.listen({ port: 0, host: '127.0.0.1' });
  const baseline = await measure(baseUrl);
  console.log(`baseline fastify hello: ${baseline.rps} req/s, p99 ${baseline.p99} ms`);
  await base.close();

  for (const target of dbTargets()) {
    const t = await testApp(target);
    const w = await seedWorld(t);
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const partner = client(t.app, w.tokens.partnerA);
    const first = await partner.post('/api/v1/claims', m365Claim());
    const id = first.json<{ id: string }>().id;
    for (let i = 0; i < 200; i++) await partner.post('/api/v1/claims', m365Claim({ name: `claim ${i}` }));
    const auth = { authorization: `Bearer ${w.tokens.partnerA}`, 'content-type': 'application/json' };
    const rows = [
      ['GET /healthz', await measure(`${url}/healthz`)],
      ['GET /api/v1/claims/{id}', await measure(`${url}/api/v1/claims/${id}`, { headers: auth })],
      ['GET /api/v1/claims?limit=50', await measure(`${url}/api/v1/claims?limit=50`, { headers: auth })],
      [
        'POST /api/v1/claims',
        await measure(`${url}/api/v1/claims`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify(m365Claim()),
        }),
      ],
    ] as const;
    for (const [name, m] of rows) {
      console.log(
        `${target.padEnd(8)} ${name.padEnd(30)} ${String(m.rps).padStart(6)} req/s  p99 ${String(m.p99).padStart(4)} ms  ` +
          `${(m.rps / baseline.rps).toFixed(3)} x baseline  errors ${m.errors}`,
      );
    }
    await t.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
