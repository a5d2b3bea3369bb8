// Issue 10 point 7, the smaller holes: a slow client is cut off; free text refuses control
// characters and bidirectional overrides by field; /readyz keeps the database's error to the
// log; /metrics is served only with its token; the signing secret can come from a file.
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { client, dbTargets, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';

/** Sends `head` at once, then the body a byte every `everyMs`; resolves with what came back and when the server closed. */
async function slowClient(port: number, head: string, bodyBytes: number, everyMs: number) {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (d: Buffer) => (answer += d.toString()));
  const closed = once(socket, 'close');
  const started = Date.now();
  let sent = 0;
  socket.write(head);
  const timer = setInterval(() => {
    if (socket.destroyed || sent >= bodyBytes) return;
    socket.write('x');
    sent++;
  }, everyMs);
  await closed;
  clearInterval(timer);
  return { answer, seconds: (Date.now() - started) / 1000, sent };
}

describe('a slow client is cut off (issue 10 point 7)', () => {
  let t: TestApp;
  let port = 0;
  beforeAll(async () => {
    t = await testApp('pglite', { env: { CPOR_REQUEST_TIMEOUT_SECONDS: '2' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t?.close());

  it('a body sent a byte at a time is cut off with 408, long before it is complete', async () => {
    const head =
      'POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
    const r = await slowClient(port, head, 1000, 200);
    expect(r.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(r.sent).toBeLessThan(100);
  });

  it('headers sent a byte at a time are cut off too', async () => {
    const r = await slowClient(port, 'GET /healthz HTTP/1.1\r\nX-Slow: ', 100_000, 200);
    expect(r.answer === '' || /^HTTP\/1\.1 408/.test(r.answer)).toBe(true);
    expect(r.sent).toBeLessThan(100);
  });
});

describe.each(dbTargets())('free text, health and metrics on %s (issue 10 point 7)', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target, { env: { CPOR_METRICS_TOKEN: 'metrics-token-0123456789' } });
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  it('refuses line breaks and control characters in one-line fields, bidi overrides anywhere, naming the field', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'Contoso\r\nX-Injected: yes' }, 'name'],
      [{ name: 'Tab\there' }, 'name'],
      [{ name: 'Bell\u0007' }, 'name'],
      [{ name: 'Contoso \u202egnp.exe' }, 'name'],
      [{ name: 'Isolate \u2066x\u2069' }, 'name'],
      [{ customerContact: { name: 'Chris\nCustomer' } }, 'customerContact.name'],
    ];
    const before = await t.database.db.selectFrom('claims').select('id').execute();
    for (const [body, path] of cases) {
      const res = await partner.post('/api/v1/claims', m365Claim(body));
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(path);
    }
    expect(await t.database.db.selectFrom('claims').select('id').execute()).toEqual(before);
    // Comments keep their line breaks, but not an override.
    const claim = (await partner.post('/api/v1/claims', m365Claim())).json<{ id: string }>();
    const ok = await partner.post(`/api/v1/claims/${claim.id}/comments`, {
      text: 'Line one\nLine two\tdone',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const bad = await partner.post(`/api/v1/claims/${claim.id}/comments`, { text: 'looks fine \u202e' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ errors: [{ path: 'text' }] });
  });

  it('serves /metrics only with its bearer token', async () => {
    expect((await client(t.app).get('/metrics')).statusCode).toBe(401);
    expect((await client(t.app, 'wrong-token-0123456789').get('/metrics')).statusCode).toBe(401);
    expect((await client(t.app, w.tokens.admin).get('/metrics')).statusCode).toBe(401);
    const ok = await client(t.app, 'metrics-token-0123456789').get('/metrics');
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('cpor_http_requests_total');
  });
});

describe('health and settings (issue 10 point 7)', () => {
  it('does not serve /metrics on the API port without a token; /readyz keeps the database error to itself', async () => {
    const t = await testApp('pglite');
    try {
      expect((await client(t.app).get('/metrics')).statusCode).toBe(404);
      expect((await client(t.app).get('/readyz')).json()).toEqual({ status: 'ready' });
      await t.database.db.destroy();
      const res = await client(t.app).get('/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'database unreachable' });
    } finally {
      await t.app.close();
    }
  });

  it('takes the signing secret from CPOR_SECRET_FILE, never with CPOR_SECRET too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cpor-secret-'));
    try {
      const file = join(dir, 'secret');
      await writeFile(file, 'a-secret-from-a-file-0123\n');
      expect(loadConfig({ CPOR_SECRET_FILE: file }).CPOR_SECRET).toBe('a-secret-from-a-file-0123');
      expect(() => loadConfig({ CPOR_SECRET_FILE: join(dir, 'missing') })).toThrow(/CPOR_SECRET_FILE/);
      expect(() => loadConfig({ CPOR_SECRET_FILE: file, CPOR_SECRET: 'another-secret-0123456' })).toThrow(
        /CPOR_SECRET_FILE/,
      );
      await writeFile(file, 'short');
      expect(() => loadConfig({ CPOR_SECRET_FILE: file })).toThrow(/16 characters/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
