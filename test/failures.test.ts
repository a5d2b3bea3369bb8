// Issue 12 point 5: what the system gave up sending, for platform admins, on PGlite and
// PostgreSQL, through a real SMTP server and a real webhook receiver: mail refused after every
// attempt and a webhook delivery dead after its day are listed with the reason; retried, each
// is sent, once; nobody else may read or retry them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClockRoutes } from '../src/deadlines/test-clock-routes.js';
import { client, dbTargets, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';
import { claimInReview } from './claim-steps.js';
import { startMailServer, type MailServer } from './mail-server.js';
import { startReceiver, type Receiver } from './webhook-receiver.js';

interface Failure {
  kind: string;
  id: string;
  claimId: string | null;
  target: string;
  what: string;
  attempts: number;
  lastError: string | null;
  failedAt: string;
}

describe.each(dbTargets())('failures an operator can see and retry on %s', (target) => {
  let t: TestApp;
  let w: World;
  let smtp: MailServer;
  let rx: Receiver;
  const as = (who: keyof World['tokens']) => client(t.app, w.tokens[who]);
  const advance = async (body: Record<string, unknown> = {}) =>
    expect((await as('admin').post('/api/v1/test-clock/advance', body)).statusCode).toBe(200);
  const failures = async (kind: string) => {
    const res = await as('admin').get(`/api/v1/operations/failures?kind=${kind}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Failure[]; nextCursor: string | null }>();
  };

  beforeAll(async () => {
    smtp = await startMailServer();
    rx = await startReceiver();
    t = await testApp(target, {
      env: {
        CPOR_SMTP_URL: smtp.url,
        CPOR_MAIL_MAX_ATTEMPTS: '2',
        CPOR_MAIL_RETRY_SECONDS: '60',
        CPOR_WEBHOOK_RETRY_SECONDS: '600',
        CPOR_WEBHOOK_TIMEOUT_MS: '500',
      },
      app: { plugins: [testClockRoutes] },
    });
    w = await seedWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await rx?.close();
  });

  it('a mail refused at every attempt is listed with its reason, and sent once when retried', async () => {
    const id = await claimInReview(t, w, 'Refused');
    smtp.reject(2);
    const asked = await as('reviewer').post(`/api/v1/claims/${id}/request-information`, {
      reasons: ['poe_missing'],
      comment: 'Sign it.',
    });
    expect(asked.statusCode).toBe(200);
    await advance();
    await advance({ hours: 1 });
    const { items } = await failures('mail');
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'mail',
        claimId: id,
        target: 'paula@a.example',
        what: 'information_requested',
        attempts: 2,
        lastError: expect.stringMatching(/\S/),
      }),
    ]);
    expect(smtp.mails).toHaveLength(0);
    // Others may not read or retry it; a mail that did not fail is not "retried".
    for (const who of ['reviewer', 'partnerA'] as const) {
      expect((await as(who).get('/api/v1/operations/failures')).statusCode).toBe(403);
      expect((await as(who).post(`/api/v1/operations/failures/mail/${items[0]!.id}/retry`)).statusCode).toBe(
        403,
      );
    }
    expect((await as('admin').post('/api/v1/operations/failures/mail/nope/retry')).statusCode).toBe(404);
    const retried = await as('admin').post(`/api/v1/operations/failures/mail/${items[0]!.id}/retry`);
    expect(retried.statusCode).toBe(204);
    await advance();
    expect(smtp.mails.map((m) => m.to)).toEqual([['paula@a.example']]);
    expect((await failures('mail')).items).toEqual([]);
    // Sent: retrying again finds nothing to retry.
    expect(
      (await as('admin').post(`/api/v1/operations/failures/mail/${items[0]!.id}/retry`)).statusCode,
    ).toBe(404);
  });

  it('a dead webhook delivery is listed with the hook URL and reason, and retried from here', async () => {
    const hook = await as('partnerA').post('/api/v1/webhooks', { url: rx.url('/ops'), events: ['*'] });
    expect(hook.statusCode, hook.body).toBe(201);
    rx.answer = () => 503;
    const created = await as('partnerA').post('/api/v1/claims', m365Claim({ name: 'HookOps' }));
    expect(created.statusCode).toBe(201);
    for (let h = 0; h < 26; h++) await advance({ hours: 1 });
    const { items } = await failures('webhook');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'webhook',
      claimId: created.json<{ id: string }>().id,
      target: rx.url('/ops'),
      lastError: expect.stringContaining('503'),
    });
    rx.answer = () => 204;
    const before = rx.received.length;
    expect(
      (await as('admin').post(`/api/v1/operations/failures/webhook/${items[0]!.id}/retry`)).statusCode,
    ).toBe(204);
    await advance();
    const after = rx.received.slice(before);
    expect(after.map((r) => [r.headers['cpor-delivery'], r.status])).toEqual([[items[0]!.id, 204]]);
    expect((await failures('webhook')).items).toEqual([]);
  });
});
