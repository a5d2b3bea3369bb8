// The customer's consent link (api.md "Customer consent"). No account: the signed token
// is the authority. The page itself is the web UI's (/consent/:token calls these).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { activity, claimStatus, solutionArea } from '../claims/named-enums.js';
import type { Deps } from '../deps.js';
import { endReasons } from '../domain/claim.js';
import { answers, bodyErrors, ok } from '../http/contract.js';
import { consentView, denyConsent } from './consent-commands.js';
import { optionalText } from '../claims/claims-schemas.js';

const params = z.strictObject({ token: z.string().min(1).max(200) });
const tags = ['consent'];

const consentState = z.enum(['pending', 'completed', 'denied']);
const consentLinkView = z
  .strictObject({
    state: z
      .enum(['pending', 'completed', 'denied', 'ended'])
      .meta({ description: '`ended`: the association ended (R-UNIQ-7); there is nothing to deny' }),
    endsAt: z.iso.datetime().nullable().meta({ description: 'Until when the customer may deny' }),
    endReason: z
      .enum(endReasons)
      .nullable()
      .meta({ description: 'Why the association ended (superseded, partner_request, subscription_expired)' }),
    language: z.string().meta({ description: "The customer contact's language, else the partner's" }),
    deniedAt: z.iso.datetime().nullable().meta({
      description: 'When this link denied consent (it works once; read again, it shows the outcome)',
    }),
    partnerContact: z
      .strictObject({ name: z.string(), email: z.string() })
      .nullable()
      .meta({ description: "The partner's contact for this claim, for the customer's questions" }),
    programContact: z
      .string()
      .nullable()
      .meta({ description: 'Where to write about the programme (CPOR_CONTACT_EMAIL), if set' }),
    partner: z.strictObject({ organizationName: z.string().nullable(), mpnId: z.string().nullable() }),
    claim: z.strictObject({
      id: z.string(),
      name: z.string().nullable(),
      status: claimStatus,
      solutionArea: solutionArea.nullable(),
      activity: activity.nullable(),
      customer: z.strictObject({ domain: z.string().nullable(), tenantId: z.string().nullable() }),
      products: z.array(
        z.strictObject({ productId: z.string(), name: z.string(), subscriptionId: z.string().nullable() }),
      ),
      organizationName: z.string().nullable(),
      mpnId: z.string().nullable(),
    }),
  })
  .meta({ id: 'ConsentLink' });
const denialView = z
  .strictObject({
    state: consentState,
    claim: z.strictObject({ id: z.string(), status: claimStatus, statusReason: z.string().nullable() }),
  })
  .meta({ id: 'ConsentDenied' });
/** A link that is not valid (404), used (410) or past its window (410). */
const linkErrors = [401, 404, 410, 422] as const;

export function consentRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/consent/:token',
      {
        // The signed link is the authority; the customer has no account.
        config: { public: true },
        schema: {
          tags,
          operationId: 'getConsentLink',
          summary: 'What the consent link is about: claim, partner, until when it can be denied (R-CONS-1)',
          security: [],
          response: answers({ 200: ok(consentLinkView, 'The claim behind the link') }, ...linkErrors),
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
          operationId: 'denyConsent',
          summary: 'The customer denies consent: the claim is rejected, customer_declined (R-CONS-2)',
          security: [],
          // 409: the claim moved on in the meantime.
          response: answers(
            { 200: ok(denialView, 'Denied: the claim is rejected') },
            ...bodyErrors,
            ...linkErrors,
            409,
          ),
          params,
          body: z.strictObject({ reason: optionalText(2000, true).optional() }).optional(),
        },
      },
      async (req) => denyConsent(deps, req.params.token, req.body?.reason || undefined),
    );
  };
}
