// Issue 11 point 3: the Idempotency-Key commits with the write it guards. The real program is
// killed (SIGKILL, by a failpoint) after a claim's creation committed and before its answer
// was stored; after a restart, the client's retry with the same key gets that claim, and no
// second claim is ever created.
import { describe, expect, it } from 'vitest';
import { m365Claim } from './harness.js';
import { csvOf, row } from './import-rows.js';
import { programDataPerSuite, programOnServer } from './program-data.js';
import { startServer } from './processes.js';

describe(`a crash between the commit and the stored answer (${programOnServer ? 'postgres' : 'pglite'})`, () => {
  const data = programDataPerSuite('cpor-idem-');

  async function start(extra: Record<string, string> = {}) {
    const running = await startServer({
      CPOR_DATA_DIR: data.dir,
      DATABASE_URL: data.databaseUrl,
      CPOR_SCHEDULER: 'off',
      CPOR_ADMIN_EMAIL: 'admin@idem.example',
      CPOR_ADMIN_PASSWORD: 'idem-password-1',
      ...extra,
    });
    data.children.push(running.server);
    return running;
  }

  it(
    'the retry after a restart gets the committed claim; one claim exists',
    { timeout: 300_000 },
    async () => {
      const first = await start({ CPOR_FAILPOINTS: 'idempotency-after-commit' });
      const tokenOf = async (email: string, password: string) =>
        (await first.call(null, 'POST', '/auth/token', { email, password })).token as string;
      const admin = await tokenOf('admin@idem.example', 'idem-password-1');
      const org = await first.call(admin, 'POST', '/organizations', {
        name: 'Contoso Partners',
        locations: [{ mpnId: '1234567', name: 'Seattle' }],
      });
      await first.call(admin, 'POST', '/users', {
        email: 'partner@idem.example',
        name: 'Partner',
        password: 'idem-password-2',
        roles: ['global_admin'],
        organizationId: org.id,
      });
      const partner = await tokenOf('partner@idem.example', 'idem-password-2');
      const body = m365Claim({ name: 'Crash-proof claim' });
      // The process dies with SIGKILL after the claim committed: the client sees no answer.
      await expect(first.send(partner, 'POST', '/claims', body, 'key-1')).rejects.toThrow();
      await new Promise<void>((resolve) => {
        if (first.server.proc.exitCode !== null || first.server.proc.signalCode !== null) resolve();
        else first.server.proc.once('exit', () => resolve());
      });
      expect(first.server.proc.signalCode).toBe('SIGKILL');

      const second = await start();
      const retry = await second.send(partner, 'POST', '/claims', body, 'key-1');
      const answer = (await retry.json()) as { id: string; name: string; version: number };
      expect(retry.status, JSON.stringify(answer)).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.headers.get('etag')).toBe(`"${answer.version}"`);
      expect(answer.name).toBe('Crash-proof claim');
      // Once more: the stored answer now, the same claim.
      const again = await second.send(partner, 'POST', '/claims', body, 'key-1');
      expect(again.status).toBe(201);
      expect(((await again.json()) as { id: string }).id).toBe(answer.id);
      const list = (await second.call(partner, 'GET', '/claims')) as {
        items: { id: string; name: string }[];
      };
      expect(list.items.filter((c) => c.name === 'Crash-proof claim').map((c) => c.id)).toEqual([answer.id]);
      // A different body under the same key is still refused.
      const other = await second.send(partner, 'POST', '/claims', { ...body, name: 'Other' }, 'key-1');
      expect(other.status).toBe(422);
    },
  );

  it(
    'an import: the retry after a crash gets the stored report; each row became one claim',
    { timeout: 300_000 },
    async () => {
      const first = await start({ CPOR_FAILPOINTS: 'idempotency-after-commit' });
      const partnerLogin = { email: 'partner@idem.example', password: 'idem-password-2' };
      const partner = (await first.call(null, 'POST', '/auth/token', partnerLogin)).token as string;
      const file = csvOf([0, 1, 2].map((i) => row(900 + i, { name: `Crash import ${i}` })));
      const upload = (base: string) => {
        const form = new FormData();
        form.append('file', new Blob([file], { type: 'text/csv' }), 'claims.csv');
        return fetch(`${base}/claims/import`, {
          method: 'POST',
          headers: { authorization: `Bearer ${partner}`, 'idempotency-key': 'import-1' },
          body: form,
        });
      };
      // The rows committed with the key and its report; the process dies before answering.
      await expect(upload(first.base)).rejects.toThrow();
      await new Promise<void>((resolve) => {
        if (first.server.proc.exitCode !== null || first.server.proc.signalCode !== null) resolve();
        else first.server.proc.once('exit', () => resolve());
      });
      expect(first.server.proc.signalCode).toBe('SIGKILL');

      const second = await start();
      const retry = await upload(second.base);
      const report = (await retry.json()) as { rows: number; created: string[]; errors: unknown[] };
      expect(retry.status, JSON.stringify(report)).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(report).toMatchObject({ rows: 3, errors: [] });
      expect(report.created).toHaveLength(3);
      const list = (await second.call(partner, 'GET', '/claims?q=Crash%20import')) as {
        items: { id: string }[];
      };
      expect(list.items.map((c) => c.id).sort()).toEqual([...report.created].sort());
    },
  );
});
