// Two API processes (`npm start`'s program) on one new PostgreSQL database, with a platform
// admin, for the tests of what every process must share (issue 14: cached credentials, the
// test clock).
import { emptyDatabase } from './cli-run.js';
import { startServer, type RunningServer } from './processes.js';

export interface TwoServers {
  a: RunningServer;
  b: RunningServer;
  /** A bearer token of the admin, signed in on `a`. */
  signIn(password?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function twoServers(admin: string, password: string, env: Record<string, string> = {}) {
  const data = await emptyDatabase('postgres');
  const started: RunningServer[] = [];
  const stop = async () => {
    for (const s of started) await s.server.stop();
    await data.drop();
  };
  try {
    const all = {
      ...data.env,
      CPOR_SCHEDULER: 'off',
      CPOR_ADMIN_EMAIL: admin,
      CPOR_ADMIN_PASSWORD: password,
      ...env,
    };
    for (let i = 0; i < 2; i++) started.push(await startServer(all));
  } catch (e) {
    await stop();
    throw e;
  }
  const [a, b] = started as [RunningServer, RunningServer];
  const signIn = async (pw = password) =>
    (await a.call(null, 'POST', '/auth/token', { email: admin, password: pw })).token as string;
  return { a, b, signIn, stop } satisfies TwoServers;
}
