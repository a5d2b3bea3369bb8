// Isolation (issue 2 "Done when", R-ROLE-1/2): for EVERY claim route, enumerated from the
// OpenAPI document so that new routes are covered the day they land, a user of another
// organization gets 404 and learns nothing, a `reader` gets 403 on every write, and partners
// get 403 on reviewer actions. Request bodies are generated from each route's own schema, so
// a refusal is about who asks, never about the body.
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
import { example, inlineRefs, type Operation, type Route } from './openapi-examples.js';

/** Reviewer-only routes (domain.md "Reviewer"); each must exist in the OpenAPI document. */
const reviewerRoutes = [
  'POST /api/v1/claims/{id}/start-review',
  'POST /api/v1/claims/{id}/request-information',
  'POST /api/v1/claims/{id}/approve',
  'POST /api/v1/claims/{id}/reject',
  'POST /api/v1/claims/{id}/resolve-dispute',
  'GET /api/v1/claims/{id}/competing',
];
const missingId = '00000000-0000-4000-8000-000000000000';

describe.each(dbTargets())('isolation of every claim route on %s', (target) => {
  let t: TestApp;
  let w: World;
  let claimId: string;
  let documentId: string;
  let routes: Route[];

  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    const partner = client(t.app, w.tokens.partnerA);
    const created = await partner.post('/api/v1/claims', m365Claim({ name: 'Secret Contoso deal' }));
    claimId = created.json<{ id: string }>().id;
    const doc = await partner.upload(`/api/v1/claims/${claimId}/documents`, 'sow.txt', poeText());
    documentId = doc.json<{ id: string }>().id;
    const spec = inlineRefs(
      (await client(t.app).get('/api/v1/openapi.json')).json<{
        paths: Record<string, Record<string, Operation>>;
      }>(),
    );
    routes = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/api/v1/claims/{id}'))
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
      );
  });
  afterAll(async () => t?.close());

  const key = (r: Route) => `${r.method} ${r.path}`;
  const isWrite = (r: Route) => r.method !== 'GET' && r.method !== 'HEAD';

  function send(token: string | undefined, r: Route, id: string) {
    const c = client(t.app, token);
    const url = r.path.replace('{id}', id).replace('{documentId}', documentId);
    const json = r.op.requestBody?.content?.['application/json']?.schema;
    switch (r.method) {
      case 'GET':
        return c.get(url);
      case 'DELETE':
        return c.delete(url);
      case 'PATCH':
        return c.patch(url, json ? example(json) : {});
      case 'PUT':
        return c.put(url, json ? example(json) : {});
      case 'POST':
        // The upload route takes multipart, not JSON.
        return json ? c.post(url, example(json)) : c.upload(url, 'other.txt', poeText(99));
      default:
        throw new Error(`unexpected method ${r.method}`);
    }
  }

  async function snapshot() {
    const partner = client(t.app, w.tokens.partnerA);
    return {
      claim: (await partner.get(`/api/v1/claims/${claimId}`)).json<unknown>(),
      history: (await partner.get(`/api/v1/claims/${claimId}/history`)).json<unknown>(),
      documents: (await partner.get(`/api/v1/claims/${claimId}/documents`)).json<unknown>(),
      comments: (await partner.get(`/api/v1/claims/${claimId}/comments`)).json<unknown>(),
    };
  }

  it('finds every claim route of api.md in the OpenAPI document', () => {
    const found = routes.map(key);
    expect(found.length).toBeGreaterThanOrEqual(19);
    for (const r of [
      'GET /api/v1/claims/{id}',
      'PATCH /api/v1/claims/{id}',
      'POST /api/v1/claims/{id}/submit',
      'POST /api/v1/claims/{id}/withdraw',
      'POST /api/v1/claims/{id}/disassociate',
      'POST /api/v1/claims/{id}/dispute',
      'GET /api/v1/claims/{id}/history',
      'GET /api/v1/claims/{id}/comments',
      'POST /api/v1/claims/{id}/comments',
      'POST /api/v1/claims/{id}/documents',
      'GET /api/v1/claims/{id}/documents',
      'GET /api/v1/claims/{id}/documents/{documentId}',
      ...reviewerRoutes,
    ]) {
      expect(found).toContain(r);
    }
  });

  it('R-ROLE-2: another organization gets exactly the 404 of a claim that does not exist', async () => {
    const before = await snapshot();
    for (const r of routes) {
      for (const token of [w.tokens.partnerB]) {
        const theirs = await send(token, r, claimId);
        const none = await send(token, r, missingId);
        expect(theirs.statusCode, key(r)).toBe(404);
        expect(theirs.headers['content-type'], key(r)).toMatch(/^application\/problem\+json/);
        expect(theirs.json<{ code: string }>().code, key(r)).toBe('not_found');
        // The same problem, word for word; only the request's own id differs.
        const { requestId: _a, ...theirsProblem } = theirs.json<{ requestId: string }>();
        const { requestId: _b, ...noneProblem } = none.json<{ requestId: string }>();
        expect(theirsProblem, key(r)).toEqual(noneProblem);
        expect(theirs.headers.etag, key(r)).toBeUndefined();
        for (const secret of [claimId, 'Secret Contoso deal', w.orgA.id, 'Contoso Partners', '1234567']) {
          expect(theirs.body, key(r)).not.toContain(secret);
        }
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('R-ROLE-2: lists, search and associations never show another organization’s claims', async () => {
    const b = client(t.app, w.tokens.partnerB);
    for (const url of [
      '/api/v1/claims',
      '/api/v1/claims?q=Secret',
      `/api/v1/claims?tenantId=${m365Claim().customer.tenantId}`,
      '/api/v1/claims?mpnId=1234567',
      '/api/v1/claims?status=draft',
      '/api/v1/claims?format=csv',
      `/api/v1/associations?tenantId=${m365Claim().customer.tenantId}`,
      '/api/v1/associations?format=csv',
      '/api/v1/evaluation-feed',
    ]) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain(claimId);
      expect(res.body, url).not.toContain('Secret Contoso deal');
    }
  });

  it('R-ROLE-1: a reader gets 403 on every write, and reads everything else of its organization', async () => {
    const before = await snapshot();
    for (const r of routes) {
      const res = await send(w.tokens.readerA, r, claimId);
      if (isWrite(r)) {
        expect(res.statusCode, key(r)).toBe(403);
        expect(res.json<{ code: string }>().code, key(r)).toBe('forbidden');
      } else if (reviewerRoutes.includes(key(r))) {
        expect(res.statusCode, key(r)).toBe(403);
      } else {
        expect(res.statusCode, key(r)).toBe(200);
      }
    }
    expect((await client(t.app, w.tokens.readerA).post('/api/v1/claims', m365Claim())).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('R-ROLE-1: partners get 403 on reviewer actions, whatever the status', async () => {
    const before = await snapshot();
    for (const token of [w.tokens.partnerA, w.tokens.billingA, w.tokens.readerA]) {
      for (const r of routes.filter((x) => reviewerRoutes.includes(key(x)))) {
        const res = await send(token, r, claimId);
        expect(res.statusCode, key(r)).toBe(403);
        expect(res.json<{ code: string }>().code, key(r)).toBe('forbidden');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a platform admin reads claims but never acts on them; nobody unauthenticated gets anything', async () => {
    const before = await snapshot();
    for (const r of routes) {
      const admin = await send(w.tokens.admin, r, claimId);
      if (isWrite(r) || reviewerRoutes.includes(key(r))) expect(admin.statusCode, key(r)).toBe(403);
      else expect(admin.statusCode, key(r)).toBe(200);
      const anon = await send(undefined, r, claimId);
      expect(anon.statusCode, key(r)).toBe(401);
      expect(anon.body).not.toContain('Secret');
    }
    expect(await snapshot()).toEqual(before);
  });
});
