// `npm start`'s program on the embedded database: it starts, serves the API, and what it
// stored survives a restart (issue 2, "data survives a restart").
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts src/main.ts and waits until /readyz answers 200. */
async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: String(port),
      CPOR_DATA_DIR: dataDir,
      CPOR_ADMIN_EMAIL: 'admin@restart.example',
      CPOR_ADMIN_PASSWORD: 'restart-password-1',
      CPOR_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 100_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready: ${output}`);
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('npm start on the embedded database', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps tokens, organizations and the catalog across a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cpor-restart-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api/v1`;
    const json = { 'content-type': 'application/json' };
    let server = await startServer(dir, port);
    try {
      const login = await fetch(`${base}/auth/token`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'admin@restart.example', password: 'restart-password-1' }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const auth = { ...json, authorization: `Bearer ${token}` };
      const org = await fetch(`${base}/organizations`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: 'Persisted Partners', locations: [{ mpnId: '7654321', name: 'HQ' }] }),
      });
      expect(org.status).toBe(201);
      await stop(server);

      server = await startServer(dir, port);
      // The token, the organization and the admin all come back from disk.
      const list = await fetch(`${base}/organizations`, { headers: auth });
      expect(list.status).toBe(200);
      const body = (await list.json()) as { items: { name: string; locations: { mpnId: string }[] }[] };
      expect(body.items.map((o) => o.name)).toEqual(['Persisted Partners']);
      expect(body.items[0]?.locations[0]?.mpnId).toBe('7654321');
      const catalog = (await (await fetch(`${base}/catalog`, { headers: auth })).json()) as {
        products: unknown[];
      };
      expect(catalog.products.length).toBeGreaterThan(20);
    } finally {
      await stop(server);
    }
    // Two cold starts of the embedded database; slow on a loaded two-core machine.
  }, 240_000);
});
