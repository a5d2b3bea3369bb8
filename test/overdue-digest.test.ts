// R-TIME-6 on the test clock, through the HTTP API and a real SMTP server, on PGlite and
// PostgreSQL: once a business day the reviewers get one mail listing the claims that became
// overdue since the last digest, in each reviewer's language; not one mail per claim, none
// when nothing new, none for a claim no longer waiting on a reviewer, none to a disabled user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClockRoutes } from '../src/deadlines/test-clock-routes.js';
import { client, dbTargets, seedWorld, testApp, type TestApp, type World } from './harness.js';
import { submittedClaim } from './claim-steps.js';
import { startMailServer, type MailServer, type ReceivedMail } from './mail-server.js';

// Monday 1 June 2026, 09:00 UTC; the review-start SLA is 5 business days.
const T0 = new Date('2026-06-01T09:00:00Z');
const publicUrl = 'http://cpor.test';

describe.each(dbTargets())("the reviewers' overdue digest on %s", (target) => {
  let t: TestApp;
  let w: World;
  let smtp: MailServer;
  const as = (who: keyof World['tokens']) => client(t.app, w.tokens[who]);
  const advance = async (to: string) => {
    const res = await as('admin').post('/api/v1/test-clock/advance', { to });
    expect(res.statusCode, res.body).toBe(200);
  };
  const digests = (): ReceivedMail[] =>
    smtp.mails.filter((m) => /^(Overdue claims|Declarações atrasadas)/.test(m.parsed.subject ?? ''));
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await startMailServer();
    t = await testApp(target, {
      start: T0,
      env: { CPOR_SMTP_URL: smtp.url, CPOR_PUBLIC_URL: publicUrl, CPOR_TIME_ZONE: 'UTC' },
      app: { plugins: [testClockRoutes] },
    });
    w = await seedWorld(t);
    // The reviewer reads Portuguese; a second reviewer is disabled; the admin is no reviewer.
    const reviewerId = (await as('reviewer').get('/api/v1/me')).json<{ id: string }>().id;
    const lang = await as('admin').patch(`/api/v1/users/${reviewerId}`, { language: 'pt-BR' });
    expect(lang.statusCode, lang.body).toBe(200);
    const other = await as('admin').post('/api/v1/users', {
      email: 'gone@test.example',
      name: 'Gone Reviewer',
      password: 'test-password-1',
      roles: ['reviewer'],
    });
    expect(other.statusCode, other.body).toBe(201);
    const off = await as('admin').patch(`/api/v1/users/${other.json<{ id: string }>().id}`, {
      disabled: true,
    });
    expect(off.statusCode, off.body).toBe(200);
    for (const name of ['DigestOne', 'DigestTwo', 'DigestWithdrawn'])
      ids[name] = await submittedClaim(t, w, name);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('nothing before a claim is overdue, nor in the minute it becomes overdue', async () => {
    await advance('2026-06-02T09:00:00Z');
    ids['DigestLater'] = await submittedClaim(t, w, 'DigestLater'); // overdue a day after the others
    await advance('2026-06-08T07:00:00Z');
    await advance('2026-06-08T09:00:30Z'); // three SLAs passed at 09:00
    const overdue = await as('reviewer').get('/api/v1/claims?overdue=true');
    expect(overdue.json<{ items: unknown[] }>().items).toHaveLength(3);
    expect(digests()).toEqual([]);
  });

  it('one mail a day to each enabled reviewer, in its language, listing each claim still waiting', async () => {
    // No longer waiting on a reviewer: not in the digest.
    const withdrawn = await as('partnerA').post(`/api/v1/claims/${ids['DigestWithdrawn']}/withdraw`, {});
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    await advance('2026-06-08T10:00:00Z');
    await advance('2026-06-08T17:00:00Z');
    const [monday, ...more] = digests();
    expect(more).toEqual([]);
    expect(monday?.to).toEqual(['reviewer@test.example']);
    expect(monday?.parsed.subject).toBe('Declarações atrasadas: 2');
    expect(monday?.parsed.headers.get('content-language')).toBe('pt-BR');
    const text = monday?.parsed.text ?? '';
    for (const name of ['DigestOne', 'DigestTwo']) {
      expect(text).toContain(name);
      expect(text).toContain(`${publicUrl}/claims/${ids[name]}`);
    }
    expect(text).not.toContain('DigestWithdrawn');
    expect(text).not.toContain('DigestLater');
    expect(text).toContain(`${publicUrl}/review`);
  });

  it('the next business day lists only what became overdue since; none when nothing did', async () => {
    await advance('2026-06-09T10:00:00Z');
    expect(digests()).toHaveLength(2);
    const tuesday = digests()[1]?.parsed.text ?? '';
    expect(tuesday).toContain('DigestLater');
    expect(tuesday).not.toContain('DigestOne');
    await advance('2026-06-10T10:00:00Z');
    await advance('2026-06-13T10:00:00Z'); // Saturday
    expect(digests()).toHaveLength(2);
  });
});
