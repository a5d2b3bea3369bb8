// Child processes of the real program (src/main.ts, src/worker.ts) for crash and
// multi-process tests: spawned with their own environment, killed by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';

export interface Child {
  proc: ChildProcess;
  output(): string;
  /** Waits until the output matches, or fails with the output so far. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  /** SIGKILL: no shutdown hook runs, as in a crash. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export function spawnCpor(
  script: 'src/main.ts' | 'src/worker.ts' | 'bin/cpor.mjs',
  env: Record<string, string>,
  args: string[] = [],
): Child {
  // bin/cpor.mjs registers tsx itself (npx cpor); the others run through it.
  const nodeArgs = script.endsWith('.mjs') ? [script, ...args] : ['--import', 'tsx', script, ...args];
  const proc = spawn(process.execPath, nodeArgs, {
    env: { ...process.env, DATABASE_URL: '', CPOR_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(proc, 'exit');
  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    await exited;
  };
  return {
    proc,
    output: () => out,
    async waitFor(pattern, ms = 60_000) {
      const until = Date.now() + ms;
      while (!pattern.test(out)) {
        if (proc.exitCode !== null) throw new Error(`${script} exited ${proc.exitCode}:\n${out}`);
        if (Date.now() > until) throw new Error(`${script}: no ${String(pattern)} in:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    crash: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}

export async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  s.close();
  await once(s, 'close');
  return port;
}

/** Polls `check` until it returns true. */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 30_000, what = 'condition') {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A running server (src/main.ts) and a fetch client of its API, for tests of the real program. */
export interface RunningServer {
  server: Child;
  /** http://127.0.0.1:port/api/v1 */
  base: string;
  /** Sends a request; `key` becomes the Idempotency-Key. */
  send(token: string | null, method: string, path: string, body?: unknown, key?: string): Promise<Response>;
  /** Sends a request that must succeed (2xx), and returns its JSON body. */
  call(token: string | null, method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

/** Starts `npm start`'s program on a free port and waits until it listens. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const server = spawnCpor('src/main.ts', { PORT: String(port), NODE_ENV: 'test', ...env });
  await server.waitFor(/Server listening at/, 120_000);
  const base = `http://127.0.0.1:${port}/api/v1`;
  const send: RunningServer['send'] = (token, method, path, body, key) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const call: RunningServer['call'] = async (token, method, path, body) => {
    const res = await send(token, method, path, body);
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300)
      throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  return { server, base, send, call };
}
