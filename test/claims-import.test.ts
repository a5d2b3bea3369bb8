// Bulk import of claims from CSV (api.md "Bulk import", issue 12 point 2): the template, a
// clean file, one bad row among many (nothing created, the row and column named), a dry run,
// 10,000 rows, the limits, Idempotency-Key, and who imports for which organization.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimImportColumns } from '../src/claims/claims-import.js';
import { csvOf, row } from './import-rows.js';
import { client, dbTargets, seedWorld, testApp, type TestApp, type World } from './harness.js';

interface Report {
  rows: number;
  created: string[];
  errors: { row: number; field: string; message: string }[];
}
interface Problem {
  code: string;
  detail: string;
  errors?: { path: string; message: string; row?: number; field?: string }[];
}

describe.each(dbTargets())('claims import on %s', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  const upload = (
    token: string,
    url: string,
    content: string | Buffer,
    headers: Record<string, string> = {},
  ) => client(t.app, token).upload(url, 'claims.csv', content, 'text/csv', headers);
  const claimCount = async () => {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM claims`.execute(t.database.db);
    return Number(rows[0]?.n);
  };

  it('the template is a header and an example row, and imports as it is', async () => {
    const res = await client(t.app, w.tokens.partnerA).get('/api/v1/claims/import-template');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(claimImportColumns.join(','));
    const before = await claimCount();
    const imported = await upload(w.tokens.partnerA, '/api/v1/claims/import', res.body);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json<Report>()).toMatchObject({ rows: 1, errors: [] });
    expect(await claimCount()).toBe(before + 1);
  });

  it('a clean file: every row becomes a draft of the organization, with its history', async () => {
    const rows = [
      row(1),
      row(2, { products: 'd365_sales:SUB-77', solutionArea: 'business_applications', activity: 'pre_sales' }),
      row(3, { mpnId: '1234568' }),
    ];
    const res = await upload(w.tokens.partnerA, '/api/v1/claims/import', csvOf(rows));
    expect(res.statusCode, res.body).toBe(201);
    const report = res.json<Report>();
    expect(report.rows).toBe(3);
    expect(report.errors).toEqual([]);
    expect(report.created).toHaveLength(3);
    const partner = client(t.app, w.tokens.partnerA);
    const second = (await partner.get(`/api/v1/claims/${report.created[1]}`)).json<Record<string, unknown>>();
    expect(second).toMatchObject({
      status: 'draft',
      name: 'Imported claim 2',
      organizationId: w.orgA.id,
      solutionArea: 'business_applications',
      products: [{ productId: 'd365_sales', subscriptionId: 'SUB-77' }],
      customerContact: { name: 'Customer 2', title: 'CIO', email: 'it2@customer2.example' },
    });
    const history = (await partner.get(`/api/v1/claims/${report.created[0]}/history`)).json<{
      items: { type: string; actor: { role: string } }[];
    }>();
    expect(history.items.map((h) => [h.type, h.actor.role])).toEqual([['created', 'global_admin']]);
  });

  it('one bad row among many: nothing is created, and the row and column are named', async () => {
    const before = await claimCount();
    const rows = Array.from({ length: 60 }, (_, i) => row(100 + i));
    rows[26] = row(126, { customerDomain: 'not a domain' });
    rows[40] = row(140, { mpnId: '2345678' }); // partner B's location: the same rule as a single create
    rows[50] = row(150, { products: 'no_such_product' });
    const res = await upload(w.tokens.partnerA, '/api/v1/claims/import', csvOf(rows));
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = res.json<Problem>();
    expect(p.code).toBe('validation_failed');
    expect(p.errors?.map((e) => [e.row, e.field])).toEqual([
      [28, 'customerDomain'],
      [42, 'mpnId'],
      [52, 'products'],
    ]);
    expect(p.errors?.[0]?.path).toBe('rows.28.customerDomain');
    expect(await claimCount()).toBe(before);
  });

  it('a dry run checks every row and creates nothing', async () => {
    const before = await claimCount();
    const good = await upload(
      w.tokens.partnerA,
      '/api/v1/claims/import?dryRun=true',
      csvOf([row(200), row(201)]),
    );
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json<Report>()).toEqual({ rows: 2, created: [], errors: [] });
    const bad = await upload(
      w.tokens.partnerA,
      '/api/v1/claims/import?dryRun=true',
      csvOf([row(202), row(203, { activity: 'dancing', customerContactEmail: 'nope' })]),
    );
    expect(bad.statusCode, bad.body).toBe(200);
    expect(bad.json<Report>().errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'activity'],
      [3, 'customerContactEmail'],
    ]);
    expect(await claimCount()).toBe(before);
  });

  it('a file that is not what an import reads: 422 naming the column or the file', async () => {
    const unknown = await upload(w.tokens.partnerA, '/api/v1/claims/import', 'name,colour\nA,red\n');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json<Problem>().errors).toEqual([expect.objectContaining({ row: 1, field: 'colour' })]);
    const ragged = await upload(w.tokens.partnerA, '/api/v1/claims/import', 'name,mpnId\nA\n');
    expect(ragged.json<Problem>().errors).toEqual([expect.objectContaining({ row: 2, field: 'file' })]);
    const latin1 = await upload(
      w.tokens.partnerA,
      '/api/v1/claims/import',
      Buffer.from('name\nCaf\xe9\n', 'latin1'),
    );
    expect(latin1.statusCode).toBe(422);
    expect(latin1.json<Problem>().errors).toEqual([expect.objectContaining({ path: 'file' })]);
  });

  it('limits: more than 10,000 rows (422) or more than 10 MiB (413), each naming the file', async () => {
    const before = await claimCount();
    const line = 'A claim,1234567';
    const many = ['name,mpnId', ...Array.from({ length: 10_001 }, () => line)].join('\n');
    const tooMany = await upload(w.tokens.partnerA, '/api/v1/claims/import', many);
    expect(tooMany.statusCode, tooMany.body).toBe(422);
    expect(tooMany.json<Problem>().errors).toEqual([
      { path: 'file', message: 'has more than 10000 rows', code: 'too_many', params: { max: 10000 } },
    ]);
    const big = `name\n${'x'.repeat(10 * 1024 * 1024)}\n`;
    const tooBig = await upload(w.tokens.partnerA, '/api/v1/claims/import', big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json<Problem>()).toMatchObject({
      code: 'payload_too_large',
      errors: [{ path: 'file', message: 'is larger than 10485760 bytes' }],
    });
    expect(await claimCount()).toBe(before);
  });

  it('Idempotency-Key: the retry answers the first result and creates nothing; another file with the key is refused', async () => {
    const file = csvOf([row(300), row(301)]);
    const first = await upload(w.tokens.partnerA, '/api/v1/claims/import', file, {
      'idempotency-key': 'imp-1',
    });
    expect(first.statusCode, first.body).toBe(201);
    const after = await claimCount();
    const again = await upload(w.tokens.partnerA, '/api/v1/claims/import', file, {
      'idempotency-key': 'imp-1',
    });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<Report>().created).toEqual(first.json<Report>().created);
    expect(await claimCount()).toBe(after);
    const other = await upload(w.tokens.partnerA, '/api/v1/claims/import', csvOf([row(302)]), {
      'idempotency-key': 'imp-1',
    });
    expect(other.statusCode).toBe(422);
    expect(other.json<Problem>().code).toBe('idempotency_key_reused');
    expect(await claimCount()).toBe(after);
  });

  it('partners import for their own organization only; a platform admin names one; reviewers and readers cannot', async () => {
    const file = csvOf([row(400)]);
    const before = await claimCount();
    const other = await upload(w.tokens.partnerA, `/api/v1/claims/import?organizationId=${w.orgB.id}`, file);
    expect(other.statusCode).toBe(403);
    expect((await upload(w.tokens.reviewer, '/api/v1/claims/import', file)).statusCode).toBe(403);
    expect((await upload(w.tokens.readerA, '/api/v1/claims/import', file)).statusCode).toBe(403);
    const unnamed = await upload(w.tokens.admin, '/api/v1/claims/import', file);
    expect(unnamed.statusCode).toBe(422);
    expect(unnamed.json<Problem>().errors).toEqual([expect.objectContaining({ path: 'organizationId' })]);
    expect(await claimCount()).toBe(before);
    // Partner B's file, imported by the admin for B: B's rules (its MPN ID) apply.
    const forB = await upload(
      w.tokens.admin,
      `/api/v1/claims/import?organizationId=${w.orgB.id}`,
      csvOf([row(401, { mpnId: '2345678' })]),
    );
    expect(forB.statusCode, forB.body).toBe(201);
    const id = forB.json<Report>().created[0];
    const seen = await client(t.app, w.tokens.partnerB).get(`/api/v1/claims/${id}`);
    expect(seen.json()).toMatchObject({ organizationId: w.orgB.id, status: 'draft' });
    expect((await client(t.app, w.tokens.partnerA).get(`/api/v1/claims/${id}`)).statusCode).toBe(404);
  });

  it('10,000 rows import in one request', async () => {
    const before = await claimCount();
    const rows = Array.from({ length: 10_000 }, (_, i) => row(10_000 + i));
    const file = csvOf(rows);
    const dryStart = performance.now();
    const dry = await upload(w.tokens.partnerA, '/api/v1/claims/import?dryRun=true', file);
    const dryMs = performance.now() - dryStart;
    expect(dry.statusCode, dry.body.slice(0, 500)).toBe(200);
    const start = performance.now();
    const res = await upload(w.tokens.partnerA, '/api/v1/claims/import', file);
    const ms = performance.now() - start;
    expect(res.statusCode, res.body.slice(0, 500)).toBe(201);
    expect(res.json<Report>().created).toHaveLength(10_000);
    expect(await claimCount()).toBe(before + 10_000);
    console.log(
      `[figure] ${target}: 10,000 claims (${Math.round(file.length / 1024)} KiB CSV): dry run ${Math.round(dryMs)} ms, import ${Math.round(ms)} ms`,
    );
  }, 300_000);
});
