// Builds the HTTP application from its dependencies, so tests build it with a fresh
// database and a manual clock and call it with app.inject().
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { createMetrics } from './ops/metrics.js';
import { opsRoutes } from './ops/ops-routes.js';
import { auditRoutes } from './audit/audit-routes.js';
import type { Deps } from './deps.js';
import { ReferenceCache } from './db/reference-cache.js';
import { migrationsApplied, ping } from './db/database.js';
import { redactUrl } from './lib/redact-url.js';
import { sha256 } from './lib/sha256.js';
import { installAuth, requireSignIn } from './http/auth.js';
import { refuseUnstorableText } from './http/storable-text.js';
import { peopleAuthenticator } from './people/authenticator.js';
import { AuthCache } from './people/auth-cache.js';
import { sharedTestClockOf } from './deadlines/shared-test-clock.js';
import { systemClock } from './clock.js';
import { installErrorHandler, problem, sendProblem } from './http/errors.js';
import { checkDeclaredStatuses, withUsedComponents } from './http/contract.js';
import { peopleRoutes } from './people/people-routes.js';
import { credentialsRoutes } from './people/credentials-routes.js';
import { catalogRoutes } from './catalog/catalog-routes.js';
import { tenantsRoutes } from './tenants/tenants-routes.js';
import { claimsRoutes } from './claims/claims-routes.js';
import { claimsImportRoutes } from './claims/claims-import-routes.js';
import { documentsRoutes } from './documents/documents-routes.js';
import { associationsRoutes } from './associations/associations-routes.js';
import { reportsRoutes } from './reports/reports-routes.js';
import { holidaysRoutes } from './calendar/holidays-routes.js';
import { consentRoutes } from './consent/consent-routes.js';
import { webhooksRoutes } from './webhooks/webhooks-routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Prometheus text of this process (for CPOR_METRICS_PORT). */
    metricsText(): Promise<{ type: string; body: string }>;
  }
}

/** Compares a secret in constant time. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(sha256(given));
  const b = Buffer.from(sha256(expected));
  return timingSafeEqual(a, b);
}

export interface AppOptions {
  /** Extra routes under /api/v1 (the test clock, features that land later). */
  plugins?: ((app: FastifyInstance, deps: Deps) => Promise<void>)[];
  webDist?: string;
  /** Tests: an answer with a status its route does not declare is a 500 (else it is logged). */
  strictContract?: boolean;
}

/** The tags of the OpenAPI document, in the order the API reference shows them. */
const apiTags = [
  { name: 'auth', description: 'Sign-in: bearer tokens for programs, a cookie session for the web UI' },
  { name: 'people', description: 'Partner organizations, their locations (MPN IDs) and users' },
  { name: 'catalog', description: 'Solution areas, activities and products' },
  { name: 'tenants', description: 'The customer directory: known tenants, their domains and subscriptions' },
  { name: 'claims', description: 'Customer association claims and their lifecycle' },
  {
    name: 'operations',
    description: 'For platform admins: what the system gave up sending, and trying it again',
  },
  { name: 'documents', description: 'Proof of execution (PoE): documents, the template, the checklist' },
  { name: 'associations', description: 'Associations in force, availability, the evaluation feed' },
  { name: 'calendar', description: 'Holidays of the business calendar' },
  { name: 'consent', description: "The customer's consent link (no account)" },
  { name: 'audit', description: 'The record of sign-in attempts (platform admin)' },
  { name: 'reports', description: 'Reports computed on the server (SLA)' },
  {
    name: 'webhooks',
    description: "Signed notifications of claim events to a partner's or reviewer's system",
  },
  { name: 'test clock', description: 'Only when CPOR_TEST_CLOCK=1: move time forward' },
];

const callerRequestId = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's X-Request-Id when it is a plain token, otherwise a new UUID. */
function requestIdOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && callerRequestId.test(sent) ? sent : randomUUID();
}

export async function buildApp(deps: Deps, opts: AppOptions = {}): Promise<FastifyInstance> {
  // The catalog and the holidays held in memory while the app runs (issue 14 point 2), on
  // the very Deps given (others find what is theirs by it: sharedTestClockOf).
  const reference = deps.reference ? null : await ReferenceCache.open(deps.db);
  if (reference) deps.reference = reference;
  const app = Fastify({
    logger:
      deps.config.CPOR_LOG_LEVEL === 'silent'
        ? false
        : {
            level: deps.config.CPOR_LOG_LEVEL,
            // The request log never shows a consent token or a credential in a URL.
            serializers: {
              req: (req: FastifyRequest) => ({
                method: req.method,
                url: redactUrl(req.url),
                host: req.host,
                remoteAddress: req.ip,
              }),
            },
          },
    // A client that sends its request slowly (a byte every few seconds) is cut off: the
    // headers must arrive within 10 s, the whole request within CPOR_REQUEST_TIMEOUT_SECONDS
    // (408), an idle connection ends after 60 s, an idle keep-alive one after 5 s.
    requestTimeout: deps.config.CPOR_REQUEST_TIMEOUT_SECONDS * 1000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
    http: {
      headersTimeout: Math.min(10, deps.config.CPOR_REQUEST_TIMEOUT_SECONDS) * 1000,
      connectionsCheckingInterval: 1000,
    },
    bodyLimit: 1024 * 1024,
    // Long ids reach the schema, which answers 422 naming the field, rather than a bare 414.
    routerOptions: { maxParamLength: 1000 },
    // The client address (sign-in limits, the audit) is the socket's, unless it is a proxy
    // CPOR_TRUST_PROXY names: then X-Forwarded-For, read from the right, up to the first
    // address that is not a trusted proxy.
    trustProxy: deps.config.CPOR_TRUST_PROXY ?? false,
    // Every request has an id: in each log line (`requestId`), in the X-Request-Id header of
    // the answer and in every problem+json. A caller's own X-Request-Id is kept when it is a
    // plain token (so a proxy's id follows the request); anything else gets a new one.
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    genReqId: requestIdOf,
    // While closing, a request that still arrives on an open connection is refused with our
    // own problem+json (below), not Fastify's plain 503.
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();
  // A graceful stop (SIGTERM): the requests in flight finish; one that arrives after the stop
  // began gets 503 `shutting_down` with Retry-After, and its connection is closed.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    if (closing) {
      void reply.header('connection', 'close').header('retry-after', '1');
      return sendProblem(reply, problem('shutting_down', 503, 'The server is shutting down: retry.'));
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  checkDeclaredStatuses(app, opts.strictContract ?? false);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: deps.config.CPOR_MAX_UPLOAD_BYTES, files: 1 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cpor API',
        version: '1',
        description: 'Customer association claims under the CPOR model. See docs/api.md.',
        // No license has been chosen for the project yet (docs/decisions.md); none is invented here.
        license: { name: 'No license chosen yet' },
      },
      servers: [{ url: deps.config.CPOR_PUBLIC_URL, description: 'This server (CPOR_PUBLIC_URL)' }],
      tags: apiTags,
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A token from POST /api/v1/auth/token' },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with an id (Problem, Claim...) become components, referenced where used.
    transformObject: withUsedComponents(jsonSchemaTransformObject),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  // The program's real clock: credentials cached in memory (issue 14 point 2); a test clock
  // moves expiries at will, so its lookups stay uncached.
  const authCache = deps.clock === systemClock ? await AuthCache.open(deps.db) : null;
  if (authCache) app.addHook('onClose', () => authCache.close());
  if (reference)
    app.addHook('onClose', async () => {
      delete deps.reference;
      await reference.close();
    });
  // CPOR_TEST_CLOCK=1 with other processes: their moves of the clock reach this one first.
  const sharedClock = sharedTestClockOf(deps);
  if (sharedClock) app.addHook('onRequest', () => sharedClock.caughtUp());
  installAuth(app, peopleAuthenticator(deps.db, deps.clock, authCache));
  refuseUnstorableText(app);

  const metrics = createMetrics(deps);
  app.addHook('onResponse', async (req, reply) => {
    // The route's pattern, not the URL (ids would make a series per claim).
    metrics.observeRequest(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (req, reply) => {
    try {
      await ping(deps.db);
      if (!(await migrationsApplied(deps.db)))
        return reply.status(503).send({ status: 'migrations pending' });
      return { status: 'ready' };
    } catch (e) {
      // The error text (host names, users, driver details) is for the log, not the caller.
      req.log.error({ err: e }, 'readiness: database unreachable');
      return reply.status(503).send({ status: 'database unreachable' });
    }
  });
  // /metrics on this port only with CPOR_METRICS_TOKEN (CPOR_METRICS_PORT serves it apart,
  // src/serve.ts); otherwise it is not served here at all.
  app.decorate('metricsText', () => metrics.text());
  app.get('/metrics', { config: { ownAuthorization: true }, schema: { hide: true } }, async (req, reply) => {
    const token = deps.config.CPOR_METRICS_TOKEN;
    if (!token) return sendProblem(reply, problem('not_found', 404, 'No route GET /metrics.'));
    if (!sameSecret(req.headers.authorization ?? '', `Bearer ${token}`))
      return sendProblem(reply, problem('unauthenticated', 401, 'GET /metrics needs the metrics token.'));
    const m = await metrics.text();
    return reply.type(m.type).send(m.body);
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      // Every route below needs a signed-in caller unless it says `config: { public: true }`.
      requireSignIn(api);
      await api.register(peopleRoutes(deps));
      await api.register(credentialsRoutes(deps));
      await api.register(catalogRoutes(deps));
      await api.register(tenantsRoutes(deps));
      await api.register(claimsImportRoutes(deps));
      await api.register(claimsRoutes(deps));
      await api.register(documentsRoutes(deps));
      await api.register(associationsRoutes(deps));
      await api.register(reportsRoutes(deps));
      await api.register(holidaysRoutes(deps));
      await api.register(consentRoutes(deps));
      await api.register(webhooksRoutes(deps));
      await api.register(opsRoutes(deps));
      await api.register(auditRoutes(deps));
      for (const plugin of opts.plugins ?? []) await plugin(api, deps);
    },
    { prefix: '/api/v1' },
  );

  // The web UI: static files, and the SPA's index.html for every other page (e.g. /consent/...).
  const webDist = opts.webDist ?? join(process.cwd(), 'web', 'dist');
  const spa = existsSync(join(webDist, 'index.html'));
  if (spa) await app.register(fastifyStatic, { root: webDist, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // A page is what a browser navigates to (it accepts HTML); a missing asset stays a 404.
    // Not judged by a dot in the path: consent tokens have dots.
    const page =
      req.method === 'GET' && !path.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');
    if (spa && page) return reply.sendFile('index.html');
    return sendProblem(reply, problem('not_found', 404, `No route ${req.method} ${path}.`));
  });
  return app;
}
