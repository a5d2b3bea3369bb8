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
