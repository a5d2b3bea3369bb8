// The product catalog: read by everyone signed in, changed by platform admins.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { activitiesBySolutionArea, solutionAreas } from '../domain/claim.js';
import { requireActor } from '../http/auth.js';
import { text } from '../claims/claims-schemas.js';
import { loadProducts } from '../claims/claims-repository.js';
import { requirePlatformAdmin } from '../people/people-commands.js';
import { defaultCatalog } from './catalog-data.js';

const solutionAreaNames = { microsoft_365: 'Microsoft 365', business_applications: 'Business Applications' };

export async function seedCatalog(deps: Deps) {
  await deps.db
    .insertInto('products')
    .values(
      defaultCatalog.map((p) => ({
        id: p.id,
        name: p.name,
        solution_area: p.solutionArea,
        scope: p.scope,
        dynamics365: p.dynamics365,
        active: true,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export function catalogRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/catalog',
      { schema: { tags: ['catalog'], summary: 'Solution areas, activities and products' } },
      async (req) => {
        requireActor(req);
        const products = [...(await loadProducts(deps.db)).values()].sort(
          (a, b) => a.solutionArea.localeCompare(b.solutionArea) || a.name.localeCompare(b.name),
        );
        return {
          solutionAreas: solutionAreas.map((id) => ({
            id,
            name: solutionAreaNames[id],
            activities: activitiesBySolutionArea[id],
          })),
          products,
        };
      },
    );
    app.put(
      '/catalog/products/:id',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Platform admin: add or change a product',
          params: z.strictObject({
            id: z.string().regex(/^[a-z0-9_]{2,60}$/, 'must be 2 to 60 of a-z, 0-9, _'),
          }),
          body: z.strictObject({
            name: text(200),
            solutionArea: z.enum(solutionAreas),
            scope: z.enum(['workload', 'subscription']),
            dynamics365: z.boolean(),
            active: z.boolean().default(true),
          }),
        },
      },
      async (req) => {
        requirePlatformAdmin(requireActor(req));
        const b = req.body;
        const row = {
          name: b.name,
          solution_area: b.solutionArea,
          scope: b.scope,
          dynamics365: b.dynamics365,
          active: b.active,
        };
        await deps.db
          .insertInto('products')
          .values({ id: req.params.id, ...row })
          .onConflict((oc) => oc.column('id').doUpdateSet(row))
          .execute();
        return (await loadProducts(deps.db)).get(req.params.id);
      },
    );
  };
}
