// Loaded into the server under test by scripts/profile-route.ts (`node --import tsx --import
// ./scripts/profile-hook.ts src/main.ts`): the first SIGUSR2 starts a CPU profile and counts
// every query sent through `pg` from then on (one query call is one round trip); the second
// stops both and writes `profile.cpuprofile` and `queries.json` into CPOR_PROFILE_OUT. Nothing
// of the program changes; the window is the load only (not the start, not the setup).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import pg from 'pg';

const out = process.env.CPOR_PROFILE_OUT;
if (!out) throw new Error('profile-hook: CPOR_PROFILE_OUT is not set');

let counts: Map<string, number> | null = null;
const shape = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 160);

// pg's `query` has a dozen overloads; the counter replaces it with one that passes any
// arguments through, which no overload's type describes: hence the cast to a plain function.
type Query = (...args: unknown[]) => unknown;
const original = pg.Client.prototype.query as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  if (counts) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return original.apply(this, args);
};

const session = new Session();
session.connect();
let running = false;
process.on('SIGUSR2', () => {
  void (async () => {
    if (!running) {
      running = true;
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      counts = new Map();
      writeFileSync(join(out, 'started'), '');
      return;
    }
    running = false;
    const seen = counts ?? new Map<string, number>();
    counts = null;
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(out, 'profile.cpuprofile'), JSON.stringify(profile));
    const byShape = new Map<string, number>();
    for (const [text, n] of seen) byShape.set(shape(text), (byShape.get(shape(text)) ?? 0) + n);
    writeFileSync(join(out, 'queries.json'), JSON.stringify(Object.fromEntries(byShape)));
  })();
});
