// Crash safety of the outbox (issue 3 "Done when"): the process is killed after a claim's
// approval committed and before its mail was sent; after a restart the mail goes out,
// once per Message-ID. The real program runs as child processes on one data folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m365Claim, poeText, contactVerified } from './harness.js';
import { startMailServer, type MailServer } from './mail-server.js';
import { eventually, freePort, spawnCpor, type Child } from './processes.js';

describe('crash between commit and send', () => {
  let dir = '';
  let smtp: MailServer;
  const children: Child[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cpor-crash-'));
    smtp = await startMailServer();
  });
  afterAll(async () => {
    for (const c of children) await c.crash();
    await smtp?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // Two starts of the program on the embedded database: slow on a busy machine.
  it(
    'sends the approval mail after a restart, once per Message-ID (R-NOTE-1)',
    { timeout: 240_000 },
    async () => {
      const port = await freePort();
      const env = {
        CPOR_DATA_DIR: dir,
        CPOR_SMTP_URL: smtp.url,
        CPOR_PUBLIC_URL: 'http://crash.test',
        CPOR_SCHEDULER_INTERVAL_MS: '200',
        CPOR_ADMIN_EMAIL: 'admin@crash.example',
        CPOR_ADMIN_PASSWORD: 'crash-password-1',
      };
      // The first life: the sender does not get to run before the kill.
      const server = spawnCpor('src/main.ts', { ...env, PORT: String(port), CPOR_SCHEDULER: 'off' });
      children.push(server);
      await server.waitFor(/Server listening at/, 120_000);
      const base = `http://127.0.0.1:${port}/api/v1`;
      const call = async (token: string | null, method: string, path: string, body?: unknown) => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
        });
        const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
        expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBeLessThan(300);
        return json ?? {};
      };
      const tokenOf = async (email: string, password: string) =>
        (await call(null, 'POST', '/auth/token', { email, password })).token as string;
      const admin = await tokenOf('admin@crash.example', 'crash-password-1');
      const org = await call(admin, 'POST', '/organizations', {
        name: 'Contoso Partners',
        locations: [{ mpnId: '1234567', name: 'Seattle' }],
      });
      const password = 'crash-password-2';
      for (const [email, roles, organizationId] of [
        ['partner@crash.example', ['global_admin'], org.id],
        ['reviewer@crash.example', ['reviewer'], undefined],
      ] as const)
        await call(admin, 'POST', '/users', { email, name: email, password, roles, organizationId });
      const partner = await tokenOf('partner@crash.example', password);
      const reviewer = await tokenOf('reviewer@crash.example', password);
      const id = (await call(partner, 'POST', '/claims', m365Claim())).id as string;
      const form = new FormData();
      form.append('file', new Blob([poeText()], { type: 'text/plain' }), 'sow.txt');
      await call(partner, 'POST', `/claims/${id}/documents`, form);
      await call(partner, 'POST', `/claims/${id}/submit`);
      await call(reviewer, 'POST', `/claims/${id}/start-review`);
      const approved = await call(reviewer, 'POST', `/claims/${id}/approve`, contactVerified);
      expect(approved.status).toBe('approved');
      await server.crash();
      expect(smtp.attempts).toHaveLength(0);

      // The second life: a worker on the same data folder finds the mail in the outbox.
      const worker = spawnCpor('src/worker.ts', env);
      children.push(worker);
      // The approval's two mails: the customer's consent request and the partner's notice.
      await eventually(() => smtp.mails.length >= 2, 120_000, 'the approval mails');
      // A few more rounds of the scheduler send nothing more.
      await new Promise((r) => setTimeout(r, 1500));
      await worker.stop();
      expect(smtp.mails).toHaveLength(2);
      const mail = smtp.mails.find((m) => m.to.includes('chris@contoso.example'));
      expect(smtp.mails.filter((m) => m !== mail)).toHaveLength(1);
      expect(new Set(smtp.mails.map((m) => m.parsed.messageId)).size).toBe(2);
      expect(mail?.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@crash\.test>$/);
      expect(mail?.parsed.text).toContain('http://crash.test/consent/');
      expect(new Set(smtp.attempts).size).toBe(smtp.attempts.length);
    },
  );
});
