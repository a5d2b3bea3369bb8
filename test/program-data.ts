// The data of the real program's processes in a suite (vitest hooks; test/processes.ts stays
// free of vitest, since scripts use it too).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { dbTargets, serverDatabase } from './harness.js';
import type { Child } from './processes.js';

/** Whether the program tests run on the PostgreSQL server (else the embedded database in a folder). */
export const programOnServer = dbTargets().includes('postgres');

/**
 * The data of the programs a suite starts: a data folder and, on PostgreSQL, a database of
 * its own. After the suite every process started (pushed to `children`) is killed and both
 * are removed.
 */
export function programDataPerSuite(prefix: string) {
  const data = { dir: '', databaseUrl: '', children: [] as Child[] };
  let drop = async () => undefined as void;
  beforeAll(async () => {
    data.dir = await mkdtemp(join(tmpdir(), prefix));
    if (programOnServer) {
      const server = await serverDatabase();
      data.databaseUrl = server.url;
      drop = server.drop;
    }
  });
  afterAll(async () => {
    for (const c of data.children) await c.crash();
    await drop();
    if (data.dir) await rm(data.dir, { recursive: true, force: true });
  });
  return data;
}
