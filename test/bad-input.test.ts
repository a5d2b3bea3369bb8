// Bad input (issue 2 "Done when"): bad JSON, wrong types, unknown fields, oversized strings,
// malformed GUIDs, MPN IDs, emails and domains, bad query parameters and cursors get a 4xx
// problem+json that names the field (`errors[].path`), never a 5xx. Then a little seeded
// fuzzing over the create and patch bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimFields } from '../src/domain/claim.js';
import {
  client,
  dbTargets,
  m365Claim,
  seedWorld,
  testApp,
  tenantId,
  type TestApp,
  type World,
} from './harness.js';
import { mulberry32 } from './seeded.js';

type Res = Awaited<ReturnType<ReturnType<typeof client>['get']>>;
interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

function expectProblem(res: Res, status: number, path?: string, label = '') {
  expect(res.statusCode, `${label} ${res.body}`).toBe(status);
  expect(res.headers['content-type'], label).toMatch(/^application\/problem\+json/);
  const p = res.json<Problem>();
  expect(p.status, label).toBe(status);
  expect(typeof p.code, label).toBe('string');
  if (path !== undefined)
    expect(
      (p.errors ?? []).map((e) => e.path),
      `${label} ${res.body}`,
    ).toContain(path);
  return p;
}

describe.each(dbTargets())('bad input on %s', (target) => {
  let t: TestApp;
  let w: World;
  let partner: ReturnType<typeof client>;
  let reviewer: ReturnType<typeof client>;
  let draftId: string;
  let inReviewId: string;

  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    partner = client(t.app, w.tokens.partnerA);
    reviewer = client(t.app, w.tokens.reviewer);
    draftId = (await partner.post('/api/v1/claims', m365Claim())).json<{ id: string }>().id;
    inReviewId = (
      await partner.post('/api/v1/claims', m365Claim({ products: [{ productId: 'teams' }] }))
    ).json<{
      id: string;
    }>().id;
    await partner.upload(`/api/v1/claims/${inReviewId}/documents`, 'sow.txt', 'Statement of work\n');
    await partner.post(`/api/v1/claims/${inReviewId}/submit`);
    await reviewer.post(`/api/v1/claims/${inReviewId}/start-review`);
  });
  afterAll(async () => t?.close());

  const raw = (method: 'POST' | 'PATCH', url: string, payload: string, contentType = 'application/json') =>
    t.app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${w.tokens.partnerA}`, 'content-type': contentType },
    });

  it('refuses bad JSON, empty bodies, non-objects and other media types', async () => {
    for (const body of ['{"name":', '{name: "x"}', "{'a':1}", '[1,2', 'nul']) {
      expectProblem(await raw('POST', '/api/v1/claims', body), 422, 'body', body);
      expectProblem(await raw('PATCH', `/api/v1/claims/${draftId}`, body), 422, 'body', body);
    }
    expectProblem(await raw('POST', '/api/v1/claims', ''), 422, 'body', 'empty');
    for (const body of ['[]', '"text"', '42', 'null', 'true']) {
      expectProblem(await raw('POST', '/api/v1/claims', body), 422, undefined, body);
    }
    // text/plain is parsed as a string by Fastify and refused as not an object; others are 415.
    expect([415, 422]).toContain((await raw('POST', '/api/v1/claims', 'name=x', 'text/plain')).statusCode);
    expectProblem(await raw('POST', '/api/v1/claims', 'name=x', 'application/x-www-form-urlencoded'), 415);
  });

  it('names wrong types, unknown fields and malformed values by their path', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 123 }, 'name'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: ['a'] }, 'name'],
      [{ mpnId: 1234567 }, 'mpnId'],
      [{ mpnId: '12345' }, 'mpnId'],
      [{ mpnId: '123456789' }, 'mpnId'],
      [{ mpnId: '12a4567' }, 'mpnId'],
      [{ customer: 'contoso.com' }, 'customer'],
      [{ customer: { tenantId: 'not-a-guid' } }, 'customer.tenantId'],
      [{ customer: { tenantId: `${tenantId}0` } }, 'customer.tenantId'],
      [{ customer: { tenantId: `{${tenantId}}` } }, 'customer.tenantId'],
      [{ customer: { domain: 'no_dots' } }, 'customer.domain'],
      [{ customer: { domain: 'contoso.onmicrosoft.com', extra: 1 } }, 'customer.extra'],
      [{ solutionArea: 'azure' }, 'solutionArea'],
      [{ activity: 'selling' }, 'activity'],
      [{ products: 'exchange_online' }, 'products'],
      [{ products: [{}] }, 'products.0.productId'],
      [{ products: [{ productId: 1 }] }, 'products.0.productId'],
      [{ products: [{ productId: 'teams', subscriptionId: 7 }] }, 'products.0.subscriptionId'],
      [{ products: [{ productId: 'teams', seats: 7 }] }, 'products.0.seats'],
      [{ products: Array.from({ length: 51 }, () => ({ productId: 'teams' })) }, 'products'],
      [{ customerContact: { name: 'A', title: 'B', email: 'not-an-email' } }, 'customerContact.email'],
      [{ customerContact: { name: 'A', phone: '555' } }, 'customerContact.phone'],
      [{ technicalContact: { email: 'a@' } }, 'technicalContact.email'],
      [{ partnerContact: { name: 'P', email: 'p@x.io', title: 'CEO' } }, 'partnerContact.title'],
      [{ revenue: { customerName: 5 } }, 'revenue.customerName'],
      [{ program: 'spla' }, 'program'],
      [{ status: 'approved' }, 'status'],
      [{ organizationId: w?.orgB?.id ?? 'x' }, 'organizationId'],
      [{ version: 9 }, 'version'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ customerContact: { name: 'x'.repeat(201) } }, 'customerContact.name'],
      [{ customerContact: { email: `${'x'.repeat(250)}@x.io` } }, 'customerContact.email'],
      [{ customer: { domain: `${'a'.repeat(64)}.com` } }, 'customer.domain'],
      [{ products: [{ productId: 'x'.repeat(101) }] }, 'products.0.productId'],
    ];
    for (const [body, path] of cases) {
      const label = JSON.stringify(body).slice(0, 80);
      expectProblem(await partner.post('/api/v1/claims', body), 422, path, `POST ${label}`);
      expectProblem(await partner.patch(`/api/v1/claims/${draftId}`, body), 422, path, `PATCH ${label}`);
    }
  });

  it('refuses text the database cannot store (NUL characters) as a field error, not a 500', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'Contoso\u0000mail' }, 'name'],
      [
        { customerContact: { name: 'Chris\u0000', title: 'CIO', email: 'c@contoso.example' } },
        'customerContact.name',
      ],
      [{ revenue: { isvSolutionName: '\u0000' } }, 'revenue.isvSolutionName'],
      [{ products: [{ productId: 'teams\u0000' }] }, 'products.0.productId'],
    ];
    for (const [body, path] of cases) {
      const label = JSON.stringify(body);
      expectProblem(await partner.post('/api/v1/claims', body), 422, path, `POST ${label}`);
      expectProblem(await partner.patch(`/api/v1/claims/${draftId}`, body), 422, path, `PATCH ${label}`);
    }
    const comment = await partner.post(`/api/v1/claims/${draftId}/comments`, { text: 'a\u0000b' });
    expectProblem(comment, 422, 'text', 'comment');
    const withdraw = await partner.post(`/api/v1/claims/${draftId}/withdraw`, { comment: 'a\u0000b' });
    expectProblem(withdraw, 422, 'comment', 'withdraw');
    const q = await partner.get('/api/v1/claims?q=a%00b');
    expectProblem(q, 422, 'q', 'q');
    // The draft is untouched.
    expect((await partner.get(`/api/v1/claims/${draftId}`)).json()).toMatchObject({
      status: 'draft',
      version: 1,
    });
  });

  it('refuses an oversized body with 413', async () => {
    const res = await partner.post('/api/v1/claims', { name: 'x', padding: 'y'.repeat(1024 * 1024 + 10) });
    expectProblem(res, 413);
    expect(res.json<Problem>().code).toBe('payload_too_large');
  });

  it('names bad action bodies', async () => {
    const url = (a: string) => `/api/v1/claims/${inReviewId}/${a}`;
    const cases: [string, unknown, string][] = [
      ['request-information', { reasons: [], comment: 'x' }, 'reasons'],
      ['request-information', { reasons: ['bogus'], comment: 'x' }, 'reasons.0'],
      ['request-information', { reasons: 'poe_missing', comment: 'x' }, 'reasons'],
      ['request-information', { reasons: ['poe_missing'] }, 'comment'],
      ['request-information', { reasons: ['poe_missing'], comment: 'x', urgent: true }, 'urgent'],
      ['request-information', { reasons: ['poe_missing'], comment: 'x'.repeat(5001) }, 'comment'],
      ['reject', { comment: 'x' }, 'reason'],
      ['reject', { reason: 'because', comment: 'x' }, 'reason'],
      ['approve', { supersede: 'yes' }, 'supersede'],
      ['approve', { comment: 5 }, 'comment'],
      ['approve', { checklist: { bogus: true } }, 'checklist.bogus'],
      ['resolve-dispute', { outcome: 'maybe', comment: 'x' }, 'outcome'],
    ];
    for (const [action, body, path] of cases) {
      expectProblem(await reviewer.post(url(action), body), 422, path, `${action} ${JSON.stringify(body)}`);
    }
    const partnerCases: [string, unknown, string][] = [
      ['dispute', { justification: 5 }, 'justification'],
      ['dispute', { justification: 'x'.repeat(5001) }, 'justification'],
      ['disassociate', { reason: '' }, 'reason'],
      ['withdraw', { comment: 'x', reason: 'y' }, 'reason'],
      ['submit', { force: true }, 'force'],
      ['comments', { text: '' }, 'text'],
      ['comments', { text: 'x'.repeat(5001) }, 'text'],
      ['comments', { body: 'hello' }, 'body'],
    ];
    for (const [action, body, path] of partnerCases) {
      expectProblem(await partner.post(url(action), body), 422, path, `${action} ${JSON.stringify(body)}`);
    }
    // Nothing moved.
    expect((await reviewer.get(`/api/v1/claims/${inReviewId}`)).json()).toMatchObject({
      status: 'in_review',
    });
  });

  it('names bad query parameters and cursors', async () => {
    const cases: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['status=bogus', 'status.0'],
      ['status=draft,bogus', 'status.1'],
      ['solutionArea=azure', 'solutionArea'],
      ['tenantId=not-a-guid', 'tenantId'],
      ['mpnId=12', 'mpnId'],
      ['overdue=maybe', 'overdue'],
      ['sort=name', 'sort'],
      ['format=xml', 'format'],
      ['unknown=1', 'unknown'],
      [`q=${'x'.repeat(201)}`, 'q'],
      ['cursor=garbage', 'cursor'],
      [`cursor=${'x'.repeat(501)}`, 'cursor'],
    ];
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of [
      { at: 'yesterday', id: 'x' },
      { at: '1', id: 'x' },
      { at: '2026-03-04T12:00:00Z' },
      { at: '+275760-09-13T00:00:00.000Z', id: 'x' },
      { at: '-000001-01-01T00:00:00.000Z', id: 'x' },
      { at: 'March 7, 2026 10:00', id: 'x' },
      { at: 20260304, id: 'x' },
      ['2026-03-04T12:00:00Z', 'x'],
      null,
    ]) {
      cases.push([`cursor=${cursor(bad)}`, 'cursor']);
      cases.push([`sort=due&cursor=${cursor(bad)}`, 'cursor']);
    }
    // A well-formed cursor of another order (issue 13 point 9), or of none.
    const of = (s?: string) => cursor({ at: '2026-03-04T12:00:00.000Z', id: 'x', s });
    cases.push([`sort=oldest&cursor=${of('newest')}`, 'cursor'], [`cursor=${of()}`, 'cursor']);
    for (const [query, path] of cases) {
      expectProblem(await partner.get(`/api/v1/claims?${query}`), 422, path, query);
    }
    const other: [string, string][] = [
      ['/api/v1/availability', 'tenantId'],
      [`/api/v1/availability?tenantId=${tenantId}`, 'productId'],
      ['/api/v1/availability?tenantId=x&productId=teams', 'tenantId'],
      [`/api/v1/availability?tenantId=${tenantId}&productId=teams&who=1`, 'who'],
      ['/api/v1/associations?tenantId=nope', 'tenantId'],
      ['/api/v1/evaluation-feed?since=yesterday', 'since'],
    ];
    for (const [url, path] of other) expectProblem(await partner.get(url), 422, path, url);
    // A claim id that is no claim is simply not found, however odd.
    for (const id of ['nope', "1'; DROP TABLE claims;--", '..%2F..%2Fetc']) {
      expectProblem(await partner.get(`/api/v1/claims/${id}`), 404, undefined, id);
    }
    expectProblem(await partner.get('/api/v1/claims/a%00b'), 422, 'id');
    // Longer than the id schema allows: a field error, not the router's bare 414.
    expectProblem(await partner.get(`/api/v1/claims/${'x'.repeat(101)}`), 422, 'id');
  });

  it('refuses malformed If-Match and Idempotency-Key headers', async () => {
    const res = await partner.patch(`/api/v1/claims/${draftId}`, { name: 'x' }, { 'if-match': 'banana' });
    expectProblem(res, 412);
    const key = await partner.post('/api/v1/claims', m365Claim(), { 'idempotency-key': 'k'.repeat(201) });
    expectProblem(key, 422, 'Idempotency-Key');
  });

  describe('fuzzing the create and patch bodies', () => {
    const fields: string[] = [...claimFields, 'program'];
    function value(r: () => number, depth = 0): unknown {
      const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
      switch (Math.floor(r() * 12)) {
        case 0:
          return null;
        case 1:
          return r() < 0.5;
        case 2:
          return pick([0, -1, 1e308, 3.14, Number.MAX_SAFE_INTEGER]);
        case 3:
          return pick(['', ' ', 'x', 'ü', '😀', '\u0000', '\t\n', '<script>', "'; --", '%00', '\ud800']);
        case 4:
          return 'z'.repeat(pick([199, 200, 201, 254, 255, 5000, 20000]));
        case 5:
          return pick([
            '1234567',
            '2345678',
            '12345',
            tenantId,
            'contoso.onmicrosoft.com',
            'a@b.co',
            'teams',
          ]);
        case 6:
          return pick(['microsoft_365', 'business_applications', 'usage', 'revenue_association', 'csp']);
        case 7:
          return depth > 2 ? [] : Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
        case 8:
          return depth > 2 ? {} : { productId: value(r, depth + 1), subscriptionId: value(r, depth + 1) };
        case 9:
          return depth > 2
            ? {}
            : { name: value(r, depth + 1), title: value(r, depth + 1), email: value(r, depth + 1) };
        case 10:
          return depth > 2 ? {} : { domain: value(r, depth + 1), tenantId: value(r, depth + 1) };
        default:
          return depth > 2 ? {} : { [pick(['x', '__proto__', 'constructor', 'name'])]: value(r, depth + 1) };
      }
    }
    /** A valid body with one to three fields replaced, dropped or added. */
    function mutant(r: () => number): Record<string, unknown> {
      const body: Record<string, unknown> = { ...m365Claim() };
      for (let i = 0, n = 1 + Math.floor(r() * 3); i < n; i++) {
        const f = r() < 0.9 ? (fields[Math.floor(r() * fields.length)] as string) : `extra${i}`;
        if (r() < 0.15) delete body[f];
        else body[f] = value(r);
      }
      return body;
    }

    it('never answers 5xx, and names a field whenever it refuses one', async () => {
      const r = mulberry32(0xc0ffee);
      let refused = 0;
      for (let i = 0; i < 120; i++) {
        const body = mutant(r);
        const label = `case ${i}: ${JSON.stringify(body).slice(0, 300)}`;
        const res =
          i % 2 === 0
            ? await partner.post('/api/v1/claims', body)
            : await partner.patch(`/api/v1/claims/${draftId}`, body);
        expect(res.statusCode, `${label} -> ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          refused++;
          const p = expectProblem(res, res.statusCode, undefined, label);
          if (p.code === 'validation_failed') expect(p.errors?.length, label).toBeGreaterThan(0);
          for (const e of p.errors ?? []) expect(e.path, label).toMatch(/^[A-Za-z_$][\w$.-]*$/);
        }
      }
      expect(refused).toBeGreaterThan(30);
    });
  });
});
