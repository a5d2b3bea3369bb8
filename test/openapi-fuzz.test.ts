// A fuzzer generated from the OpenAPI document (issue 11 point 5): every operation the server
// describes, called by a platform admin, a reviewer and a partner with bad path parameters,
// bad queries and bodies broken field by field. Never a 5xx; every refusal is problem+json
// whose status is the answer's; and a refused request changes nothing in the database.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  client,
  dbTargets,
  m365Claim,
  poeText,
  seedWorld,
  testApp,
  type TestApp,
  type World,
} from './harness.js';
import { example, inlineRefs, type Operation, type Route, type Schema } from './openapi-examples.js';
import { mulberry32 } from './seeded.js';

const missingId = '00000000-0000-4000-8000-000000000000';
/**
 * Tables a refused request may legitimately write: sign-in records, credential use, and
 * `settings` (the signing secret is generated at its first use, e.g. checking a consent link).
 */
const writtenOnRefusal = /token|session|sign_in|signin|audit|attempt|kysely|^settings$/;

/** A value of another type than the schema asks for. */
function wrongValue(s: Schema, random: () => number): unknown {
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  switch (type) {
    case 'string':
      return pick([12345, true, [], { a: 1 }, 'x'.repeat(100_000), '\u0000', '\u202e evil']);
    case 'integer':
    case 'number':
      return pick(['12', -1, 1.5, 1e308, null, []]);
    case 'boolean':
      return pick(['true', 0, null]);
    case 'array':
      return pick([{}, 'a,b', Array.from({ length: 5000 }, () => 'x')]);
    case 'object':
      return pick([[], 'x', 0, null]);
    case undefined:
    default:
      return pick([null, [], 'x']);
  }
}

/** Bodies: the example with one field made wrong, each field in turn, then whole-body breakage. */
function badBodies(schema: Schema, random: () => number): unknown[] {
  const good = example(schema);
  const out: unknown[] = [null, [], 'text', 42, {}];
  if (good && typeof good === 'object' && !Array.isArray(good)) {
    out.push({ ...good, notAField: 1 });
    for (const [k, s] of Object.entries(schema.properties ?? {}))
      out.push({ ...good, [k]: wrongValue(s, random) });
  }
  return out;
}

const badIds = (real: string) => [
  missingId,
  'not-a-uuid',
  '..%2F..%2Fetc',
  'x'.repeat(300),
  '%00',
  real.toUpperCase(),
];
const badQuery = '?limit=-1&cursor=%25ZZ&status=nope&since=yesterday&format=xml&sort=;drop';

describe.each(dbTargets())('every operation of the OpenAPI document, fuzzed, on %s', (target) => {
  let t: TestApp;
  let w: World;
  let routes: Route[];
  let claimId: string;
  let documentId: string;

  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    const partner = client(t.app, w.tokens.partnerA);
    claimId = (await partner.post('/api/v1/claims', m365Claim({ name: 'Fuzzed' }))).json<{ id: string }>().id;
    documentId = (await partner.upload(`/api/v1/claims/${claimId}/documents`, 'sow.txt', poeText())).json<{
      id: string;
    }>().id;
    const spec = inlineRefs(
      (await client(t.app).get('/api/v1/openapi.json')).json<{
        paths: Record<string, Record<string, Operation>>;
      }>(),
    );
    routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  });
  afterAll(async () => t?.close());

  /** Every table a refusal must leave alone, as one digest per table. */
  async function state(): Promise<Record<string, string>> {
    const { rows } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(t.database.db);
    const out: Record<string, string> = {};
    for (const { table_name: name } of rows.filter((r) => !writtenOnRefusal.test(r.table_name))) {
      const digest = await sql<{ d: string }>`
        SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS d FROM ${sql.table(name)} x`.execute(
        t.database.db,
      );
      out[name] = digest.rows[0]!.d;
    }
    return out;
  }

  it(
    'never answers 5xx, refuses with problem+json, and a refusal changes nothing',
    { timeout: 600_000 },
    async () => {
      expect(routes.length).toBeGreaterThan(40);
      const random = mulberry32(2026);
      const callers = { admin: w.tokens.admin, reviewer: w.tokens.reviewer, partner: w.tokens.partnerA };
      const tally = { requests: 0, refused: 0, accepted: 0 };
      let before = await state();
      for (const r of routes) {
        const json = r.op.requestBody?.content?.['application/json']?.schema;
        const multipart = Boolean(r.op.requestBody?.content?.['multipart/form-data']);
        const urls = [
          ...badIds(claimId).map((id) => r.path.replace('{id}', id).replace('{documentId}', documentId)),
          r.path.replace('{id}', claimId).replace('{documentId}', 'not-a-uuid'),
          r.path.replace('{id}', claimId).replace('{documentId}', documentId) + badQuery,
        ].filter((u, i, all) => all.indexOf(u) === i && !u.includes('{'));
        const bodies = json ? badBodies(json, random) : [undefined];
        for (const [who, token] of Object.entries(callers)) {
          const c = client(t.app, token);
          const sends = [
            ...urls.map((url) => () => send(c, r.method, url, json ? example(json) : undefined, multipart)),
            ...bodies.map(
              (body) => () =>
                send(
                  c,
                  r.method,
                  r.path.replace('{id}', claimId).replace('{documentId}', documentId),
                  body,
                  multipart,
                ),
            ),
          ];
          for (const go of sends) {
            const res = await go();
            tally.requests += 1;
            const what = `${who} ${r.method} ${r.path} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
            expect(res.statusCode, what).toBeLessThan(500);
            if (res.statusCode >= 400) {
              tally.refused += 1;
              expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
              const p = res.json<{ type?: string; title?: string; status?: number }>();
              expect(p.status, what).toBe(res.statusCode);
              expect(typeof p.type === 'string' && typeof p.title === 'string', what).toBe(true);
              expect(await state(), `a refused request changed the database: ${what}`).toEqual(before);
            } else {
              tally.accepted += 1;
              before = await state();
            }
          }
        }
      }
      console.log(
        `openapi fuzz (${target}): ${routes.length} operations, ${tally.requests} requests, ${tally.refused} refused (0 x 5xx, each with nothing changed), ${tally.accepted} accepted`,
      );
    },
  );
});

type Client = ReturnType<typeof client>;

function send(c: Client, method: string, url: string, body: unknown, multipart: boolean) {
  switch (method) {
    case 'GET':
      return c.get(url);
    case 'DELETE':
      return c.delete(url);
    case 'PATCH':
      return c.patch(url, body ?? {});
    case 'PUT':
      return c.put(url, body ?? {});
    case 'POST':
      if (multipart) return c.upload(url, 'fuzz.txt', poeText(7));
      return c.post(url, body);
    default:
      throw new Error(`unexpected method ${method}`);
  }
}
