// The product catalog: read by everyone signed in, changed by platform admins.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { activity, solutionArea } from '../claims/named-enums.js';
import type { Deps } from '../deps.js';
import { activitiesBySolutionArea, solutionAreas } from '../domain/claim.js';
import { answers, bodyErrors, ok } from '../http/contract.js';
import { text } from '../claims/claims-schemas.js';
import { loadProducts } from '../claims/claims-repository.js';
import { putProduct } from './catalog-commands.js';

const solutionAreaNames = { microsoft_365: 'Microsoft 365', business_applications: 'Business Applications' };

const productView = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    solutionArea: solutionArea,
    scope: z.enum(['workload', 'subscription']),
    dynamics365: z.boolean(),
    active: z.boolean(),
  })
  .meta({ id: 'Product' });

const catalogView = z
  .strictObject({
    solutionAreas: z.array(
      z.strictObject({
        id: solutionArea,
        name: z.string(),
        activities: z.array(activity),
      }),
    ),
    products: z.array(productView),
  })
  .meta({ id: 'Catalog' });

export function catalogRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/catalog',
      {
        schema: {
          tags: ['catalog'],
          operationId: 'getCatalog',
          summary: 'Solution areas, activities and products',
          response: answers({ 200: ok(catalogView, 'The catalog') }, 401),
        },
      },
      async () => {
        const products = [...(await loadProducts(deps.db)).values()].sort(
          (a, b) => a.solutionArea.localeCompare(b.solutionArea) || a.name.localeCompare(b.name),
        );
        return {
          solutionAreas: solutionAreas.map((id) => ({
            id,
            name: solutionAreaNames[id],
            activities: [...activitiesBySolutionArea[id]],
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
          operationId: 'putProduct',
          summary: 'Platform admin: add or change a product',
          response: answers({ 200: ok(productView, 'The product as saved') }, ...bodyErrors, 403),
          params: z.strictObject({
            id: z.string().regex(/^[a-z0-9_]{2,60}$/, 'must be 2 to 60 of a-z, 0-9, _'),
          }),
          body: z.strictObject({
            name: text(200),
            solutionArea: solutionArea,
            scope: z.enum(['workload', 'subscription']),
            dynamics365: z.boolean(),
            active: z.boolean().default(true),
          }),
        },
      },
      async (req) => putProduct(deps, req.actor, { id: req.params.id, ...req.body }),
    );
  };
}
