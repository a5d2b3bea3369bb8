// The test clock (api.md): only when CPOR_TEST_CLOCK=1 (refused in production by config.ts).
// Moving it runs every timer that fell due on the way, in due order, before answering.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ManualClock } from '../clock.js';
import type { Deps } from '../deps.js';
import { businessCalendar } from '../domain/calendar.js';
import { addDays } from '../domain/calendar.js';
import { validationFailed } from '../domain/errors.js';
import { answers, bodyErrors, ok } from '../http/contract.js';
import { loadHolidays } from '../claims/claims-repository.js';
import { requirePlatformAdmin } from '../people/people-commands.js';
import { schedulerOf } from './scheduler.js';
import { sharedTestClockOf } from './shared-test-clock.js';

const advanceBody = z.union([
  z.strictObject({ to: z.iso.datetime({ offset: true }) }),
  z.strictObject({
    days: z.number().int().min(0).max(3660).optional(),
    hours: z.number().min(0).max(100_000).optional(),
    businessDays: z.number().int().min(0).max(2600).optional(),
  }),
]);

const nowView = z.strictObject({ now: z.iso.datetime() }).meta({ id: 'TestClock' });
const advanced = z
  .strictObject({ now: z.iso.datetime(), fired: z.number().int().meta({ description: 'Timers that ran' }) })
  .meta({ id: 'TestClockAdvanced' });

/** A `plugins` entry of buildApp (src/app.ts). */
export async function testClockRoutes(api: FastifyInstance, deps: Deps): Promise<void> {
  const clock = deps.clock;
  if (!deps.config.CPOR_TEST_CLOCK || !(clock instanceof ManualClock)) return;
  const app = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['test clock'];
  // Only a platform admin reads or moves it (api.md "Test clock"); the web UI takes its now
  // from GET /me.
  app.get(
    '/test-clock',
    {
      schema: {
        tags,
        operationId: 'getTestClock',
        summary: 'Platform admin: the test clock, now',
        response: answers({ 200: ok(nowView, 'What time it is') }, 401, 403),
      },
    },
    async (req) => {
      requirePlatformAdmin(req.actor);
      return { now: clock.now().toISOString() };
    },
  );

  app.post(
    '/test-clock/advance',
    {
      schema: {
        tags,
        operationId: 'advanceTestClock',
        summary: 'Move the test clock forward; every timer that fell due runs, in due order',
        body: advanceBody,
        response: answers({ 200: ok(advanced, 'The new time and what ran') }, ...bodyErrors, 403),
      },
    },
    async (req) => {
      requirePlatformAdmin(req.actor);
      const now = clock.now();
      let to: Date;
      if ('to' in req.body) {
        to = new Date(req.body.to);
        if (to.getTime() < now.getTime())
          throw validationFailed([
            { path: 'to', message: 'the test clock only moves forward', code: 'must_not_go_back' },
          ]);
      } else {
        const { days = 0, hours = 0, businessDays = 0 } = req.body;
        const calendar = businessCalendar(deps.config.CPOR_TIME_ZONE, await loadHolidays(deps.db));
        to = addDays(calendar.addBusinessDays(now, businessDays), days);
        to = new Date(to.getTime() + hours * 3_600_000);
      }
      // Every process on the database follows (shared-test-clock.ts); tests' own apps hold theirs.
      const shared = sharedTestClockOf(deps);
      const fired = await schedulerOf(deps).advanceTo(to, (at) => (shared ? shared.move(at) : clock.set(at)));
      return { now: clock.now().toISOString(), fired };
    },
  );
}
