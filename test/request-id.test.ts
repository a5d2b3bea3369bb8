// Issue 12 point 5: every request has an id, returned in the X-Request-Id header and in every
// problem+json, so a user's report ("it said ...") leads to the server's log lines of that
// request. A caller's own id is kept only when it is a plain token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, dbTargets, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';

describe.each(dbTargets())('request ids (%s)', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  it('a success carries a fresh id in X-Request-Id; two requests never share one', async () => {
    const a = await client(t.app, w.tokens.partnerA).get('/api/v1/claims');
    const b = await client(t.app, w.tokens.partnerA).get('/api/v1/claims');
    expect(a.statusCode).toBe(200);
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it.each([
    ['a field problem (422)', (c: ReturnType<typeof client>) => c.post('/api/v1/claims', { name: '' }), 422],
    [
      'a missing claim (404)',
      (c: ReturnType<typeof client>) => c.get(`/api/v1/claims/${crypto.randomUUID()}`),
      404,
    ],
    ['an unknown route (404)', (c: ReturnType<typeof client>) => c.get('/api/v1/no-such-thing'), 404],
    ['a forbidden action (403)', (c: ReturnType<typeof client>) => c.get('/api/v1/users'), 403],
  ])('%s names its request id in the body and the header', async (_what, send, status) => {
    const res = await send(client(t.app, w.tokens.readerA));
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json() as { requestId?: string };
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('an unauthenticated call (401) names it too', async () => {
    const res = await client(t.app).get('/api/v1/claims');
    expect(res.statusCode).toBe(401);
    expect((res.json() as { requestId: string }).requestId).toBe(res.headers['x-request-id']);
  });

  it("keeps a caller's plain X-Request-Id and replaces one that could forge a log line", async () => {
    const c = client(t.app, w.tokens.partnerA);
    const kept = await c.post('/api/v1/claims', m365Claim({ name: '' }), {
      'x-request-id': 'lb-7f3a9c21.0001',
    });
    expect(kept.statusCode).toBe(422);
    expect(kept.headers['x-request-id']).toBe('lb-7f3a9c21.0001');
    expect((kept.json() as { requestId: string }).requestId).toBe('lb-7f3a9c21.0001');
    for (const forged of ['has space inside', 'short', 'x'.repeat(129), 'a"}{"level":60']) {
      const res = await c.get('/api/v1/claims', { 'x-request-id': forged });
      expect(res.headers['x-request-id']).not.toBe(forged);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
