// The `cpor` binary as an operator runs it (bin/cpor.mjs), and an empty database for it: the
// embedded one in a folder, or a new database on the PostgreSQL server.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverDatabase, type DbTarget } from './harness.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/cpor.mjs ...args` with the given settings; resolves when it exits. */
export function cpor(args: string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const proc = spawn(process.execPath, ['bin/cpor.mjs', ...args], {
      env: { ...process.env, DATABASE_URL: '', CPOR_LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => resolveRun({ code, stdout, stderr }));
    proc.stdin.end(stdin ?? '');
  });
}

/** An empty database (not migrated): a data folder for the embedded one, or a new server database. */
export async function emptyDatabase(
  target: DbTarget,
): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cpor-cli-'));
  if (target === 'pglite') {
    return { env: { CPOR_DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const server = await serverDatabase();
  return {
    env: { CPOR_DATA_DIR: dir, DATABASE_URL: server.url },
    async drop() {
      await server.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
