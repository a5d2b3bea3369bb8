// Issue 14 point 2: credentials cached in each process's memory, dropped in every process at
// once when one changes (migration 0015b, src/people/auth-cache.ts). Two API processes on one
// PostgreSQL server: a token used on both, revoked on one, is refused by the other on the very
// next request; a password changed on one ends the other's cached token at once too.
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './processes.js';
import { twoServers, type TwoServers } from './two-servers.js';

describe.skipIf(!process.env.TEST_DATABASE_URL)('credentials cached by two API processes', () => {
  let two: TwoServers | null = null;
  afterAll(async () => {
    await two?.stop();
  });

  it(
    'a revocation or a password change in one is refused by the other on its next request',
    { timeout: 180_000 },
    async () => {
      two = await twoServers('admin@cache.example', 'cache-password-1');
      const { a, b, signIn } = two;
      const keep = await signIn();
      const ids = async () =>
        ((await a.call(keep, 'GET', '/auth/tokens')).items as { id: string }[]).map((t) => t.id);
      const before = await ids();
      const revoked = await signIn();
      const revokedId = (await ids()).find((id) => !before.includes(id))!;
      const other = await signIn();
      const me = (s: RunningServer, token: string) => s.send(token, 'GET', '/me').then((r) => r.status);
      // Used on both, several times: from the second use on, each process answers from memory.
      for (let i = 0; i < 3; i++) {
        expect(await me(a, revoked)).toBe(200);
        expect(await me(b, revoked)).toBe(200);
        expect(await me(b, keep)).toBe(200);
      }
      expect((await a.send(keep, 'DELETE', `/auth/tokens/${revokedId}`)).status).toBe(204);
      expect(await me(b, revoked)).toBe(401);
      expect(await me(a, revoked)).toBe(401);
      expect(await me(b, keep)).toBe(200);

      // A password change on B ends the user's other tokens, cached on A, at once.
      expect(await me(a, other)).toBe(200);
      expect(await me(a, other)).toBe(200);
      const changed = await b.send(keep, 'POST', '/auth/password', {
        currentPassword: 'cache-password-1',
        newPassword: 'cache-password-2-longer',
      });
      expect(changed.status).toBeLessThan(300);
      const fresh = await signIn('cache-password-2-longer');
      expect(await me(a, other)).toBe(401);
      expect(await me(b, other)).toBe(401);
      expect(await me(a, fresh)).toBe(200);
      expect(await me(a, keep)).toBe(200);
    },
  );
});
