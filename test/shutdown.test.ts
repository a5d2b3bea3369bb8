// Issue 12 point 5: a graceful shutdown under load loses no request. The real program gets
// SIGTERM while clients keep creating claims: every request it answered 201 is kept; the
// requests in flight are finished and answered after the signal; a request it never answered
// (refused connection, or 503 while closing) created nothing, or at most the one claim its
// Idempotency-Key guards, which a retry after the restart returns. The process exits 0.
// The JSON log names each request by the same id as its X-Request-Id header.
import { describe, expect, it } from 'vitest';
import { m365Claim } from './harness.js';
import { programDataPerSuite, programOnServer } from './program-data.js';
import { startServer } from './processes.js';

type Outcome =
  | { key: string; kind: 'answered'; status: number; id?: string; code?: string; at: number }
  | { key: string; kind: 'no answer'; error: string; at: number };

describe(`shutdown under load (${programOnServer ? 'postgres' : 'pglite'})`, () => {
  const data = programDataPerSuite('cpor-shutdown-');

  async function start() {
    const running = await startServer({
      CPOR_DATA_DIR: data.dir,
      DATABASE_URL: data.databaseUrl,
      CPOR_SCHEDULER: 'on',
      CPOR_ADMIN_EMAIL: 'admin@shutdown.example',
      CPOR_ADMIN_PASSWORD: 'shutdown-password-1',
    });
    data.children.push(running.server);
    return running;
  }

  it('answers what it took in, creates nothing twice, and exits 0', { timeout: 300_000 }, async () => {
    const first = await start();
    const tokenOf = async (email: string, password: string) =>
      (await first.call(null, 'POST', '/auth/token', { email, password })).token as string;
    const admin = await tokenOf('admin@shutdown.example', 'shutdown-password-1');
    const org = await first.call(admin, 'POST', '/organizations', {
      name: 'Contoso Partners',
      locations: [{ mpnId: '1234567', name: 'Seattle' }],
    });
    await first.call(admin, 'POST', '/users', {
      email: 'partner@shutdown.example',
      name: 'Partner',
      password: 'shutdown-password-2',
      roles: ['global_admin'],
      organizationId: org.id,
    });
    const partner = await tokenOf('partner@shutdown.example', 'shutdown-password-2');

    // The log names a request by its X-Request-Id.
    const probe = await first.send(partner, 'GET', '/claims');
    const probeId = probe.headers.get('x-request-id') ?? '';
    expect(probeId).toMatch(/^[0-9a-f-]{36}$/);
    await first.server.waitFor(new RegExp(`"requestId":"${probeId}"`), 10_000);

    // Eight clients create claims one after another until the server stops answering.
    const outcomes: Outcome[] = [];
    let signalledAt = Number.POSITIVE_INFINITY;
    let n = 0;
    const clientLoop = async () => {
      for (;;) {
        const key = `shutdown-${n++}`;
        try {
          const res = await first.send(partner, 'POST', '/claims', m365Claim({ name: key }), key);
          const body = (await res.json()) as { id?: string; code?: string };
          const at = Date.now();
          outcomes.push({ key, kind: 'answered', status: res.status, id: body.id, code: body.code, at });
        } catch (e) {
          outcomes.push({ key, kind: 'no answer', error: String((e as Error).cause ?? e), at: Date.now() });
          return;
        }
        if (Date.now() > signalledAt + 5_000) return;
      }
    };
    const clients = Array.from({ length: 8 }, clientLoop);
    // Let the load build, then ask the server to stop while requests are in flight.
    while (outcomes.filter((o) => o.kind === 'answered' && o.status === 201).length < 20) {
      await new Promise((r) => setTimeout(r, 20));
    }
    signalledAt = Date.now();
    first.server.proc.kill('SIGTERM');
    await Promise.all(clients);
    const [code] = (await new Promise((resolve) => {
      if (first.server.proc.exitCode !== null) resolve([first.server.proc.exitCode]);
      else first.server.proc.once('exit', (c) => resolve([c]));
    })) as [number | null];
    expect(code, first.server.output().slice(-2000)).toBe(0);
    expect(first.server.output()).toMatch(/SIGTERM: shutting down/);

    const created = outcomes.filter(
      (o): o is Extract<Outcome, { kind: 'answered' }> => o.kind === 'answered' && o.status === 201,
    );
    // Requests that were in flight when the signal came were finished and answered.
    expect(created.some((o) => o.at > signalledAt)).toBe(true);
    // Nothing but 201, or a 503 problem while closing: no 500, no half answer.
    for (const o of outcomes) {
      if (o.kind !== 'answered') continue;
      expect([201, 503]).toContain(o.status);
      if (o.status === 503) expect(o.code).toBe('shutting_down');
    }

    // After a restart: every 201 is there, and a retry of each unanswered request gives
    // exactly one claim for its key.
    const second = await start();
    const partner2 = await second.call(null, 'POST', '/auth/token', {
      email: 'partner@shutdown.example',
      password: 'shutdown-password-2',
    });
    const token = partner2.token as string;
    for (const o of created) {
      const res = await second.send(token, 'GET', `/claims/${o.id}`);
      expect(res.status, o.key).toBe(200);
    }
    const unanswered = outcomes.filter((o) => !(o.kind === 'answered' && o.status === 201));
    for (const o of unanswered) {
      const res = await second.send(token, 'POST', '/claims', m365Claim({ name: o.key }), o.key);
      expect(res.status, o.key).toBe(201);
    }
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await second.call(
        token,
        'GET',
        `/claims?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )) as { items: { name: string }[]; nextCursor: string | null };
      names.push(...page.items.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    const keys = outcomes.map((o) => o.key).sort();
    expect(names.filter((x) => x.startsWith('shutdown-')).sort()).toEqual(keys);
    console.log(
      `shutdown under load: ${outcomes.length} requests, ${created.length} answered 201` +
        ` (${created.filter((o) => o.at > signalledAt).length} after SIGTERM),` +
        ` ${outcomes.filter((o) => o.kind === 'answered' && o.status === 503).length} answered 503,` +
        ` ${outcomes.filter((o) => o.kind === 'no answer').length} without an answer; 0 lost, 0 twice`,
    );
  });
});
