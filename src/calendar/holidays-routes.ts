// R-TIME-1: the holidays of the business calendar, managed by the platform admin.
// Dates are local dates of CPOR_TIME_ZONE. Deadlines already set keep their due time.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { Actor } from '../domain/actor.js';
import { forbidden, notFound } from '../domain/errors.js';
import { requireActor } from '../http/auth.js';
import { text } from '../claims/claims-schemas.js';

const date = z.iso.date('must be a date, YYYY-MM-DD');
const tags = ['calendar'];

function requireAdmin(actor: Actor) {
  if (!actor.roles.includes('platform_admin'))
    throw forbidden('Only platform admins manage the business calendar.');
}

export function holidaysRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/holidays',
      { schema: { tags, summary: 'Holidays of the business calendar (R-TIME-1)' } },
      async (req) => {
        requireActor(req);
        const rows = await deps.db.selectFrom('holidays').selectAll().orderBy('date').execute();
        return { items: rows, timeZone: deps.config.CPOR_TIME_ZONE };
      },
    );
    app.post(
      '/holidays',
      {
        schema: {
          tags,
          summary: 'Platform admin: add a holiday, or rename the one of that date',
          body: z.strictObject({ date, name: text(200) }),
        },
      },
      async (req, reply) => {
        requireAdmin(requireActor(req));
        const { date: day, name } = req.body;
        const existed = await deps.db
          .selectFrom('holidays')
          .select('date')
          .where('date', '=', day)
          .executeTakeFirst();
        await deps.db
          .insertInto('holidays')
          .values({ date: day, name })
          .onConflict((oc) => oc.column('date').doUpdateSet({ name }))
          .execute();
        return reply.status(existed ? 200 : 201).send({ date: day, name });
      },
    );
    app.delete(
      '/holidays/:date',
      {
        schema: {
          tags,
          summary: 'Platform admin: remove a holiday',
          params: z.strictObject({ date }),
        },
      },
      async (req, reply) => {
        requireAdmin(requireActor(req));
        const r = await deps.db.deleteFrom('holidays').where('date', '=', req.params.date).executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) throw notFound('holiday');
        return reply.status(204).send();
      },
    );
  };
}
