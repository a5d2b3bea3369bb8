// R-TIME-1: the holidays of the business calendar, managed by the platform admin.
// Dates are local dates of CPOR_TIME_ZONE; a change moves the open business-day deadlines.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { text } from '../claims/claims-schemas.js';
import { answers, bodyErrors, noContent, ok } from '../http/contract.js';
import { idempotent } from '../http/idempotency.js';
import { addHoliday, holidayImpact, removeHoliday } from './holidays-commands.js';
import { listHolidays } from './holidays-repository.js';

const date = z.iso.date('must be a date, YYYY-MM-DD');
const tags = ['calendar'];

const holidayView = z.strictObject({ date: z.iso.date(), name: z.string() }).meta({ id: 'Holiday' });
const holidayList = z
  .strictObject({
    items: z.array(holidayView),
    timeZone: z.string().meta({ description: 'The business calendar time zone (CPOR_TIME_ZONE)' }),
  })
  .meta({ id: 'HolidayList' });

const impactView = z
  .strictObject({
    date: z.iso.date(),
    holiday: z.boolean().meta({ description: 'The date is a holiday already: adding it renames it' }),
    movedDeadlines: z.number().int().meta({
      description: 'Running business-day deadlines (reviewer SLAs, partner responses) it would move',
    }),
    claims: z.number().int().meta({ description: 'The claims of those deadlines' }),
  })
  .meta({ id: 'HolidayImpact' });

export function holidaysRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/holidays/impact',
      {
        schema: {
          tags,
          operationId: 'holidayImpact',
          summary:
            'Platform admin: how many running deadlines a new holiday on `date` would move (nothing is changed)',
          querystring: z.strictObject({ date }),
          response: answers({ 200: ok(impactView, 'What adding the holiday would move') }, 401, 403, 422),
        },
      },
      async (req) => holidayImpact(deps, req.actor, req.query.date),
    );
    app.get(
      '/holidays',
      {
        schema: {
          tags,
          operationId: 'listHolidays',
          summary: 'Holidays of the business calendar (R-TIME-1)',
          response: answers({ 200: ok(holidayList, 'The holidays, by date') }, 401),
        },
      },
      async () => {
        const rows = await listHolidays(deps.db);
        return { items: rows, timeZone: deps.config.CPOR_TIME_ZONE };
      },
    );
    app.post(
      '/holidays',
      {
        schema: {
          tags,
          operationId: 'addHoliday',
          summary: 'Platform admin: add a holiday, or rename the one of that date',
          response: answers(
            {
              200: ok(holidayView, 'The holiday of that date, renamed'),
              201: ok(holidayView, 'The new holiday'),
            },
            ...bodyErrors,
            403,
            // The same Idempotency-Key still running.
            409,
          ),
          body: z.strictObject({ date, name: text(200) }),
        },
      },
      async (req, reply) => {
        const { date: day, name } = req.body;
        let created = true;
        return idempotent(
          deps,
          req,
          reply,
          201,
          async () => {
            created = await addHoliday(deps, req.actor, day, name);
            return { date: day, name };
          },
          undefined,
          { statusOf: () => (created ? 201 : 200) },
        );
      },
    );
    app.delete(
      '/holidays/:date',
      {
        schema: {
          tags,
          operationId: 'removeHoliday',
          summary: 'Platform admin: remove a holiday',
          response: answers({ 204: noContent('Removed') }, 401, 403, 404, 422),
          params: z.strictObject({ date }),
        },
      },
      async (req, reply) => {
        await removeHoliday(deps, req.actor, req.params.date);
        return reply.status(204).send(null);
      },
    );
  };
}
