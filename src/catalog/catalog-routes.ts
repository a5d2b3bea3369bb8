// The product catalog: read by everyone signed in, changed by platform admins.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { activitiesBySolutionArea, solutionAreas } from '../domain/claim.js';
import { text } from '../claims/claims-schemas.js';
import { loadProducts } from '../claims/claims-repository.js';
import { requirePlatformAdmin } from '../people/people-commands.js';
import { saveProduct } from './catalog-repository.js';

const solutionAreaNames = { microsoft_365: 'Microsoft 365', business_applications: 'Business Applications' };

export function catalogRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/catalog',
      { schema: { tags: ['catalog'], summary: 'Solution areas, activities and products' } },
      async () => {
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
        requirePlatformAdmin(req.actor);
        await saveProduct(deps.db, { id: req.params.id, ...req.body });
        return (await loadProducts(deps.db)).get(req.params.id);
      },
    );
  };
}
