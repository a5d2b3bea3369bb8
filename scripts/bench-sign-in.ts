// Figures for the README's security section: what a sign-in costs (argon2id), what a throttled
// one costs (no hash checked), and what the credential lookup adds to a request. Prints
// medians over N calls through app.inject on PGlite (2 shared cores: +-30%).
import { createUser, createOrganization } from '../src/people/people-commands.js';
import { testApp } from '../test/harness.js';

const n = Number(process.env.N ?? 30);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main() {
  const t = await testApp('pglite');
  const admin = {
    kind: 'user' as const,
    id: null,
    name: 'bench',
    roles: ['platform_admin' as const],
    organizationId: null,
  };
  const org = await createOrganization(t.deps, admin, {
    name: 'Bench',
    locations: [{ mpnId: '1000001', name: 'HQ' }],
  });
  await createUser(t.deps, null, {
    email: 'bench@a.example',
    name: 'Bench',
    password: 'bench-password-1',
    roles: ['global_admin'],
    organizationId: org.id,
  });
  const post = (email: string, password: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { email, password }, remoteAddress });
  const time = async (fn: () => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await fn();
      ms.push(performance.now() - s);
    }
    return median(ms);
  };
  const ok = await time(() => post('bench@a.example', 'bench-password-1'));
  let i = 0;
  const failed = await time(() => post(`nobody${i++}@a.example`, 'wrong-password-1', '192.0.2.1'));
  for (let k = 0; k < 10; k++) await post('held@a.example', 'wrong-password-1', '192.0.2.2');
  const throttled = await time(() => post('held@a.example', 'wrong-password-1', '192.0.2.2'));
  const token = (await post('bench@a.example', 'bench-password-1')).json<{ token: string }>().token;
  const me = await time(() =>
    t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }),
  );
  const healthz = await time(() => t.app.inject({ method: 'GET', url: '/healthz' }));
  console.log(`sign-in, right password:   ${ok.toFixed(1)} ms (median of ${n})`);
  console.log(`sign-in, wrong password:   ${failed.toFixed(1)} ms`);
  console.log(`sign-in, throttled (429):  ${throttled.toFixed(1)} ms`);
  console.log(`GET /me with a bearer token: ${me.toFixed(2)} ms (token lookup, user, organization)`);
  console.log(`GET /healthz (no credential): ${healthz.toFixed(2)} ms`);
  await t.close();
}

void main();
