// Webhooks (issue 12 point 1, api.md "Integrations"), delivered to a real receiver on
// 127.0.0.1 by the scheduler (through the test clock): signed, at least once, in order per
// claim, retried under one Cpor-Delivery id, dead after a day with the reason, redelivered;
// a partner's hook never hears of another organization's claim; the receiver URL rules.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testClockRoutes } from '../src/deadlines/test-clock-routes.js';
import { sendDueWebhooks } from '../src/webhooks/webhook-sender.js';
import {
  client,
  dbTargets,
  m365Claim,
  seedWorld,
  testApp,
  type TestApp,
  type World,
  contactVerified,
} from './harness.js';
import { claimInReview, submittedClaim } from './claim-steps.js';
import { startReceiver, type Received, type Receiver } from './webhook-receiver.js';

interface Hook {
  id: string;
  secret: string;
  url: string;
  events: string[];
  organizationId: string | null;
}
interface Delivery {
  id: string;
  eventId: string;
  type: string;
  claimId: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  deadAt: string | null;
  deliveredAt: string | null;
}

/** Checks Cpor-Signature as a receiver would: HMAC-SHA256 of "<t>.<body>" with the secret. */
function signedBy(r: Received, secret: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['cpor-signature']));
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${r.body}`).digest('hex');
  return expected === m[2];
}

describe.each(dbTargets())('webhooks on %s', (target) => {
  let rx: Receiver;
  let t: TestApp;
  let w: World;
  const hooks: { id: string; token: string }[] = [];

  beforeAll(async () => {
    rx = await startReceiver();
    t = await testApp(target, {
      env: { CPOR_WEBHOOK_RETRY_SECONDS: '30', CPOR_WEBHOOK_TIMEOUT_MS: '500' },
      app: { plugins: [testClockRoutes] },
    });
    w = await seedWorld(t);
  });
  afterEach(async () => {
    for (const h of hooks.splice(0)) await client(t.app, h.token).delete(`/api/v1/webhooks/${h.id}`);
    rx.received.length = 0;
    rx.answer = () => 204;
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  const advance = async (body: Record<string, unknown> = {}) =>
    expect((await client(t.app, w.tokens.admin).post('/api/v1/test-clock/advance', body)).statusCode).toBe(
      200,
    );

  async function hook(who: keyof World['tokens'], path: string, events: string[] = ['*']): Promise<Hook> {
    const token = w.tokens[who];
    const res = await client(t.app, token).post('/api/v1/webhooks', { url: rx.url(path), events });
    expect(res.statusCode, res.body).toBe(201);
    const h = res.json<Hook>();
    hooks.push({ id: h.id, token });
    return h;
  }
  const at = (path: string) => rx.received.filter((r) => r.path === path);
  const deliveries = async (who: keyof World['tokens'], hookId: string) => {
    const res = await client(t.app, w.tokens[who]).get(`/api/v1/webhooks/${hookId}/deliveries?limit=200`);
    expect(res.statusCode).toBe(200);
    return res.json<{ items: Delivery[] }>().items;
  };
  const comment = async (id: string, text: string) =>
    expect(
      (await client(t.app, w.tokens.partnerA).post(`/api/v1/claims/${id}/comments`, { text })).statusCode,
    ).toBe(201);

  it('shows the secret once, signs every delivery with it; a partner hook hears only its own organization (R-ROLE-2)', async () => {
    const a = await hook('partnerA', '/a');
    const r = await hook('reviewer', '/r');
    expect(a.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(a.organizationId).toBe(w.orgA.id);
    expect(r.organizationId).toBeNull();
    // Never shown again.
    const listed = await client(t.app, w.tokens.partnerA).get('/api/v1/webhooks');
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(a.secret);
    expect(listed.json<{ items: Hook[] }>().items.map((h) => h.id)).toEqual([a.id]);
    expect((await client(t.app, w.tokens.partnerA).get(`/api/v1/webhooks/${a.id}`)).body).not.toContain(
      a.secret,
    );
    // Another owner's hook does not exist for the caller; readers and others cannot manage hooks.
    expect((await client(t.app, w.tokens.reviewer).get(`/api/v1/webhooks/${a.id}`)).statusCode).toBe(404);
    expect((await client(t.app, w.tokens.partnerA).get(`/api/v1/webhooks/${r.id}`)).statusCode).toBe(404);
    expect((await client(t.app, w.tokens.partnerB).get('/api/v1/webhooks')).statusCode).toBe(403);
    expect(
      (await client(t.app, w.tokens.readerA).post('/api/v1/webhooks', { url: rx.url('/x'), events: ['*'] }))
        .statusCode,
    ).toBe(403);
    expect((await client(t.app, w.tokens.partnerB).delete(`/api/v1/webhooks/${a.id}`)).statusCode).toBe(403);

    const mine = await submittedClaim(t, w, 'HookMine');
    const theirs = await submittedClaim(t, w, 'HookTheirs', { mpnId: w.orgB.mpnIds[0] }, 'partnerB');
    await advance();

    const toA = at('/a');
    const toR = at('/r');
    expect(toA.length).toBeGreaterThanOrEqual(3); // created, document added, submitted
    expect(new Set(toA.map((x) => x.event.data.claimId))).toEqual(new Set([mine]));
    for (const x of toA) expect(x.body).not.toContain(theirs);
    expect(new Set(toR.map((x) => x.event.data.claimId))).toEqual(new Set([mine, theirs]));
    for (const x of toA) expect(signedBy(x, a.secret)).toBe(true);
    for (const x of toR) expect(signedBy(x, r.secret)).toBe(true);
    for (const x of toA) {
      expect(signedBy(x, r.secret)).toBe(false);
      expect(x.headers['cpor-event']).toBe(x.event.type);
      expect(x.headers['content-type']).toBe('application/json');
      expect(Object.keys(x.event).sort()).toEqual(['data', 'id', 'occurredAt', 'type']);
      const ts = Number(/t=(\d+)/.exec(String(x.headers['cpor-signature']))?.[1]);
      expect(Math.abs(ts * 1000 - t.clock.now().getTime())).toBeLessThan(2000);
    }
    // One delivery id per hook and event; the same event has one id for every hook.
    expect(new Set(toA.map((x) => x.headers['cpor-delivery'])).size).toBe(toA.length);
    const eventIds = new Set(toR.map((x) => x.event.id));
    for (const x of toA) expect(eventIds.has(x.event.id)).toBe(true);
    // The deliveries log says what happened.
    const log = await deliveries('partnerA', a.id);
    expect(log).toHaveLength(toA.length);
    for (const d of log) expect(d).toMatchObject({ status: 'delivered', attempts: 1, responseCode: 204 });

    // Rotated: a new secret, shown once, signs from then on.
    const rotated = await client(t.app, w.tokens.partnerA).post(`/api/v1/webhooks/${a.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    const secret2 = rotated.json<Hook>().secret;
    expect(secret2).not.toBe(a.secret);
    await comment(mine, 'after rotation');
    await advance();
    const last = at('/a').at(-1)!;
    expect(last.event.type).toBe('claim.comment_added');
    expect(signedBy(last, secret2)).toBe(true);
    expect(signedBy(last, a.secret)).toBe(false);
  });

  it('hears every status change, comment, document, association start and end, and consent completed', async () => {
    const a = await hook('partnerA', '/life');
    await hook('partnerA', '/comments-only', ['claim.comment_added']);
    const id = await claimInReview(t, w, 'HookLife');
    await comment(id, 'hello');
    expect(
      (await client(t.app, w.tokens.reviewer).post(`/api/v1/claims/${id}/approve`, contactVerified))
        .statusCode,
    ).toBe(200);
    await advance({ days: 8 }); // the consent window closes (R-TIME-3)
    expect(
      (
        await client(t.app, w.tokens.partnerA).post(`/api/v1/claims/${id}/disassociate`, {
          reason: 'contract ended',
        })
      ).statusCode,
    ).toBe(200);
    await advance();
    const got = at('/life').filter((x) => x.event.data.claimId === id);
    expect(got.map((x) => x.event.type)).toEqual([
      'claim.created',
      'claim.document_added',
      'claim.status_changed',
      'claim.status_changed',
      'claim.comment_added',
      'claim.status_changed',
      'claim.association_started',
      'claim.consent_completed',
      'claim.status_changed',
      'claim.association_ended',
    ]);
    const changes = got.filter((x) => x.event.type === 'claim.status_changed').map((x) => x.event.data);
    expect(changes.map((d) => [d.from, d.to])).toEqual([
      ['draft', 'submitted'],
      ['submitted', 'in_review'],
      ['in_review', 'approved'],
      ['approved', 'ended'], // R-UNIQ-7: a disassociated claim has ended
    ]);
    expect(got.find((x) => x.event.type === 'claim.association_started')?.event.data.associations).toEqual([
      { productId: 'exchange_online', subscriptionId: null },
    ]);
    expect(got.find((x) => x.event.type === 'claim.association_ended')?.event.data).toMatchObject({
      associations: [{ productId: 'exchange_online', subscriptionId: null }],
      reason: 'partner_request',
    });
    expect(got.find((x) => x.event.type === 'claim.comment_added')?.event.data).toMatchObject({
      text: 'hello',
    });
    expect(at('/comments-only').map((x) => x.event.type)).toEqual(['claim.comment_added']);
    expect(a.id).toBeTruthy();
  });

  it('delivers in order per claim: a failing delivery holds back its claim only, and is retried under the same Cpor-Delivery id', async () => {
    const a = await hook('partnerA', '/order');
    const x = await submittedClaim(t, w, 'HookX');
    const y = await submittedClaim(t, w, 'HookY');
    await advance();
    rx.received.length = 0;
    let failX = true;
    rx.answer = (r) => (failX && r.event.data.claimId === x ? 503 : 204);
    await comment(x, 'x1');
    await comment(y, 'y1');
    await comment(x, 'x2');
    await comment(x, 'x3');
    await advance();
    // x1 failed once; x2 and x3 wait behind it; y1 went through (claims are sent side by side).
    const of = (claimId: string) => at('/order').filter((r) => r.event.data.claimId === claimId);
    expect(of(x).map((r) => [r.event.data.text, r.status])).toEqual([['x1', 503]]);
    expect(of(y).map((r) => [r.event.data.text, r.status])).toEqual([['y1', 204]]);
    const failed = of(x)[0]!;
    const log = await deliveries('partnerA', a.id);
    expect(log.find((d) => d.id === failed.headers['cpor-delivery'])).toMatchObject({
      status: 'pending',
      attempts: 1,
      responseCode: 503,
      lastError: 'HTTP 503',
    });
    await comment(y, 'y2');
    await advance({ hours: 10 / 3600 }); // before the first retry (15-30 s): only y2
    expect(
      at('/order')
        .slice(2)
        .map((r) => r.event.data.text),
    ).toEqual(['y2']);
    await advance({ hours: 20 / 3600 });
    expect(
      at('/order')
        .slice(3)
        .map((r) => [r.event.data.text, r.status]),
    ).toEqual([['x1', 503]]);
    failX = false;
    await advance({ hours: 2 / 60 }); // the second retry waits 30-60 s
    const xs = of(x);
    expect(xs.map((r) => [r.event.data.text, r.status])).toEqual([
      ['x1', 503],
      ['x1', 503],
      ['x1', 204],
      ['x2', 204],
      ['x3', 204],
    ]);
    // The same delivery id on every attempt, the same bytes.
    expect(new Set(xs.slice(0, 3).map((r) => r.headers['cpor-delivery'])).size).toBe(1);
    expect(new Set(xs.slice(0, 3).map((r) => r.body)).size).toBe(1);
    expect(
      (await deliveries('partnerA', a.id)).find((d) => d.id === failed.headers['cpor-delivery']),
    ).toMatchObject({
      status: 'delivered',
      attempts: 3,
      responseCode: 204,
      lastError: null,
    });
  });

  it('gives a delivery up as dead after a day, with the reason kept; later ones go on; redeliver sends it again', async () => {
    const a = await hook('partnerA', '/dead');
    const id = (
      await client(t.app, w.tokens.partnerA).post('/api/v1/claims', m365Claim({ name: 'HookDead' }))
    ).json<{
      id: string;
    }>().id;
    await advance();
    rx.received.length = 0;
    let failing: string | null = null;
    rx.answer = (r) => (r.event.data.text === failing ? 'redirect' : 204);
    failing = 'doomed';
    await comment(id, 'doomed');
    await comment(id, 'after');
    for (let h = 0; h < 25; h++) await advance({ hours: 1 });
    const doomed = at('/dead').filter((r) => r.event.data.text === 'doomed');
    expect(doomed.length).toBeGreaterThan(5);
    // Redirects are not followed.
    expect(at('/redirected')).toHaveLength(0);
    const deliveryId = String(doomed[0]!.headers['cpor-delivery']);
    const d = (await deliveries('partnerA', a.id)).find((x) => x.id === deliveryId)!;
    expect(d).toMatchObject({
      status: 'dead',
      responseCode: 302,
      lastError: 'HTTP 302 (redirects are not followed)',
    });
    expect(d.attempts).toBe(doomed.length);
    expect(d.deadAt).toBeTruthy();
    // Once it is dead, the claim's later events go on.
    expect(
      at('/dead')
        .filter((r) => r.event.data.text === 'after')
        .map((r) => r.status),
    ).toEqual([204]);

    failing = null;
    const again = await client(t.app, w.tokens.partnerA).post(
      `/api/v1/webhooks/${a.id}/deliveries/${deliveryId}/redeliver`,
    );
    expect(again.statusCode).toBe(202);
    expect(again.json<Delivery>().status).toBe('pending');
    expect(
      (
        await client(t.app, w.tokens.reviewer).post(
          `/api/v1/webhooks/${a.id}/deliveries/${deliveryId}/redeliver`,
        )
      ).statusCode,
    ).toBe(404);
    await advance();
    const last = at('/dead').at(-1)!;
    expect(last.headers['cpor-delivery']).toBe(deliveryId);
    expect(last.body).toBe(doomed[0]!.body);
    expect((await deliveries('partnerA', a.id)).find((x) => x.id === deliveryId)).toMatchObject({
      status: 'delivered',
      responseCode: 204,
      deadAt: null,
    });
  });

  it('stops reading an endless answer after a few KiB, and gives up on a receiver that never answers', async () => {
    const a = await hook('partnerA', '/slow');
    const id = (
      await client(t.app, w.tokens.partnerA).post('/api/v1/claims', m365Claim({ name: 'HookSlow' }))
    ).json<{
      id: string;
    }>().id;
    rx.answer = () => 'endless';
    await advance();
    expect((await deliveries('partnerA', a.id))[0]).toMatchObject({ status: 'delivered', responseCode: 200 });
    rx.answer = () => 'hang';
    await comment(id, 'hanging');
    const started = Date.now();
    await advance();
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await deliveries('partnerA', a.id)).find((d) => d.type === 'claim.comment_added')).toMatchObject({
      status: 'pending',
      lastError: 'no answer within 500 ms',
      responseCode: null,
    });
  });

  it('refuses a receiver that is not https, holds credentials, or is private, link-local or a metadata address', async () => {
    const post = (url: string, events: unknown = ['*']) =>
      client(t.app, w.tokens.partnerA).post('/api/v1/webhooks', { url, events });
    for (const url of [
      'ftp://127.0.0.1/x',
      'not a url',
      'http://user:pw@127.0.0.1/x',
      'http://10.0.0.1/x',
      'http://192.168.1.10/x',
      'https://172.16.0.1/x',
      'http://169.254.169.254/latest/meta-data/',
      'https://[fd00:ec2::254]/',
      'https://[::ffff:169.254.169.254]/',
      'https://100.100.100.200/',
      'http://0.0.0.0/',
      'http://8.8.8.8/', // public, but plain http
    ]) {
      const res = await post(url);
      expect(res.statusCode, url).toBe(422);
      expect(res.json<{ errors: { path: string }[] }>().errors[0]?.path, url).toBe('url');
    }
    expect((await post(rx.url('/x'), ['claim.nothing'])).statusCode).toBe(422);
    expect((await post(rx.url('/x'), [])).statusCode).toBe(422);
    expect(
      (await client(t.app, w.tokens.partnerA).get('/api/v1/webhooks')).json<{ items: unknown[] }>().items,
    ).toEqual([]);
    // At most 20 per organization: each multiplies every event.
    for (let i = 0; i < 20; i++) await hook('partnerA', `/many/${i}`, ['claim.created']);
    const more = await post(rx.url('/many/20'));
    expect(more.statusCode).toBe(409);
    expect(more.json<{ code: string }>().code).toBe('conflict');
  });
});

describe.each(dbTargets())('webhooks in production mode on %s', (target) => {
  let rx: Receiver;
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    rx = await startReceiver();
    t = await testApp(target, {
      // NODE_ENV unset counts as production.
      env: { NODE_ENV: '', CPOR_TEST_CLOCK: '0', CPOR_WEBHOOK_TIMEOUT_MS: '500' },
    });
    w = await seedWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('refuses a DNS name that resolves to 127.0.0.1, and plain http, when saving a hook', async () => {
    const port = new URL(rx.url('/')).port;
    for (const url of [`https://localhost:${port}/hook`, `http://localhost:${port}/hook`, rx.url('/hook')]) {
      const res = await client(t.app, w.tokens.partnerA).post('/api/v1/webhooks', { url, events: ['*'] });
      expect(res.statusCode, url).toBe(422);
    }
    const res = await client(t.app, w.tokens.partnerA).post('/api/v1/webhooks', {
      url: `https://localhost:${port}/hook`,
      events: ['*'],
    });
    expect(res.json<{ errors: { message: string }[] }>().errors[0]?.message).toMatch(/127\.0\.0\.1|::1/);
  });

  it('checks the address again at each delivery: a name that now resolves to loopback gets nothing', async () => {
    const port = new URL(rx.url('/')).port;
    // As if the name had resolved to a public address when the hook was saved.
    await t.database.db
      .insertInto('webhooks')
      .values({
        id: randomUUID(),
        organization_id: w.orgA.id,
        url: `https://localhost:${port}/rebound`,
        events: JSON.stringify(['*']),
        secret: 'whsec_test',
        created_by: 'test',
        created_at: t.clock.now(),
      })
      .execute();
    const created = await client(t.app, w.tokens.partnerA).post(
      '/api/v1/claims',
      m365Claim({ name: 'Rebound' }),
    );
    expect(created.statusCode).toBe(201);
    const result = await sendDueWebhooks(t.deps);
    expect(result).toEqual({ delivered: 0, failed: 1 });
    expect(rx.received).toHaveLength(0);
    const row = await t.database.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(row.last_error).toMatch(/resolves to a refused address: (127\.0\.0\.1|::1) is a loopback address/);
  });
});
