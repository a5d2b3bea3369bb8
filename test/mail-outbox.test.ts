// The outbox sender (issue 3 "Transactional outbox and mail"): retries with backoff keep
// one Message-ID, a resend after a crash before the row was marked is the same message,
// and without CPOR_SMTP_URL each mail is an .eml file under CPOR_DATA_DIR/mail.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedulerOf } from '../src/deadlines/scheduler.js';
import { testClockRoutes } from '../src/deadlines/test-clock-routes.js';
import {
  client,
  dbTargets,
  seedWorld,
  testApp,
  type TestApp,
  type World,
  contactVerified,
} from './harness.js';
import { claimInReview } from './claim-steps.js';
import { startMailServer, type MailServer } from './mail-server.js';

/**
 * An approved claim whose outbox holds one mail: the customer's consent request. An approval
 * also mails the partner (partner_approved); these tests follow one message through its
 * retries, so the partner's copy is taken out of the outbox behind the server's back.
 */
async function approve(t: TestApp, w: World, name: string) {
  const id = await claimInReview(t, w, name);
  const res = await client(t.app, w.tokens.reviewer).post(`/api/v1/claims/${id}/approve`, contactVerified);
  expect(res.statusCode).toBe(200);
  const partnerCopy = await t.database.db
    .deleteFrom('outbox')
    .where('claim_id', '=', id)
    .where(sql`payload->>'template'`, '=', 'partner_approved')
    .executeTakeFirst();
  expect(partnerCopy.numDeletedRows).toBe(1n);
  return id;
}

const advance = async (t: TestApp, body: Record<string, unknown>) =>
  expect((await client(t.app, adminToken).post('/api/v1/test-clock/advance', body)).statusCode).toBe(200);
let adminToken = '';

describe.each(dbTargets())('outbox mail on %s', (target) => {
  let smtp: MailServer;
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    smtp = await startMailServer();
    t = await testApp(target, {
      env: { CPOR_SMTP_URL: smtp.url, CPOR_MAIL_RETRY_SECONDS: '30', CPOR_MAIL_MAX_ATTEMPTS: '4' },
      app: { plugins: [testClockRoutes] },
    });
    w = await seedWorld(t);
    adminToken = w.tokens.admin;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const row = (claimId: string) =>
    t.database.db.selectFrom('outbox').selectAll().where('claim_id', '=', claimId).executeTakeFirstOrThrow();

  it('retries a refused mail with backoff, under one Message-ID', async () => {
    smtp.reject(2);
    const id = await approve(t, w, 'Retried');
    await advance(t, {});
    expect(smtp.mails).toHaveLength(0);
    expect(await row(id)).toMatchObject({ attempts: 1, sent_at: null });
    const first = (await row(id)).available_at.getTime() - t.clock.now().getTime();
    expect(first).toBe(30_000);
    await advance(t, { hours: 29 / 3600 }); // not yet due
    expect(smtp.attempts).toHaveLength(1);
    await advance(t, { hours: 1 / 3600 });
    expect(await row(id)).toMatchObject({ attempts: 2, sent_at: null });
    expect((await row(id)).available_at.getTime() - t.clock.now().getTime()).toBe(60_000);
    await advance(t, { hours: 1 / 60 });
    expect(smtp.mails).toHaveLength(1);
    expect(await row(id)).toMatchObject({ attempts: 3, last_error: null });
    expect(new Set(smtp.attempts).size).toBe(1);
    expect(smtp.attempts[0]).toBe(`<${(await row(id)).id}@localhost>`);

    // A crash after the SMTP server took the mail and before the row was marked: the mail
    // goes out again once the dead sender's lease (5 minutes) ran out, as the same message.
    await t.database.db.updateTable('outbox').set({ sent_at: null }).where('claim_id', '=', id).execute();
    await advance(t, { hours: 4 / 60 });
    expect(smtp.mails).toHaveLength(1);
    await advance(t, { hours: 1 / 60 });
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[1]?.parsed.messageId).toBe(smtp.mails[0]?.parsed.messageId);
  });

  it('gives up after CPOR_MAIL_MAX_ATTEMPTS and keeps the row', async () => {
    smtp.reject(10);
    const id = await approve(t, w, 'Undeliverable');
    for (let i = 0; i < 5; i++) await advance(t, { hours: 1 });
    smtp.reject(0);
    const r = await row(id);
    expect(r.attempts).toBe(4);
    expect(r.failed_at).not.toBeNull();
    expect(r.sent_at).toBeNull();
    expect(r.last_error).toMatch(/451/);
  });
});

describe('outbox mail without SMTP', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp('pglite', { env: { CPOR_TEST_CLOCK: '0' }, app: { plugins: [testClockRoutes] } });
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  it('writes each mail as an .eml file under CPOR_DATA_DIR/mail', async () => {
    const id = await approve(t, w, 'Filed');
    // Without CPOR_TEST_CLOCK=1 there is no test clock; the scheduler's own round sends.
    expect((await client(t.app).get('/api/v1/test-clock')).statusCode).toBe(404);
    await schedulerOf(t.deps).tick();
    const dir = join(t.deps.config.CPOR_DATA_DIR, 'mail');
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const mail = await simpleParser(await readFile(join(dir, files[0] ?? '')));
    expect(mail.headers.get('content-language')).toBe('en');
    expect(mail.subject).toBe('Customer association by Contoso Partners: customer consent');
    expect(mail.text).toContain('http://localhost:8080/consent/');
    expect(mail.html).toContain('<a href="http://localhost:8080/consent/');
    expect(mail.messageId).toBe(`<${files[0]?.replace(/\.eml$/, '')}@localhost>`);
    const to = mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : null;
    expect(to).toBe('chris@contoso.example');
    const sent = await t.database.db
      .selectFrom('outbox')
      .select('sent_at')
      .where('claim_id', '=', id)
      .execute();
    expect(sent.every((r) => r.sent_at !== null)).toBe(true);
  });
});
