// The customer's consent link (api.md "Customer consent"). No account: the signed token
// is the authority. The page itself is the web UI's (/consent/:token calls these).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { consentView, denyConsent } from './consent-commands.js';

const params = z.strictObject({ token: z.string().min(1).max(200) });
const tags = ['consent'];

export function consentRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/consent/:token',
      {
        // The signed link is the authority; the customer has no account.
        config: { public: true },
        schema: {
          tags,
          summary: 'What the consent link is about: claim, partner, until when it can be denied (R-CONS-1)',
          security: [],
          params,
        },
      },
      async (req) => consentView(deps, req.params.token),
    );
    app.post(
      '/consent/:token/deny',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'The customer denies consent: the claim is rejected, customer_declined (R-CONS-2)',
          security: [],
          params,
          body: z.strictObject({ reason: z.string().trim().max(2000).optional() }).optional(),
        },
      },
      async (req) => denyConsent(deps, req.params.token, req.body?.reason || undefined),
    );
  };
}
