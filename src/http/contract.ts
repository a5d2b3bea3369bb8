// The answers of a route, as the OpenAPI document shows them and as the server writes them.
// Every route says its success answer (a zod schema) and the error statuses it can answer
// (the one problem+json schema, `Problem`, written once and referenced by each). The zod
// serializer (fastify-type-provider-zod) checks each answer against its schema before
// writing it: a field the schema does not name, or a value of another shape, is a 500 that
// a test sees, never a field silently dropped. A status a route does not declare is caught by
// `checkDeclaredStatuses` (strict in tests, a logged warning in production).
import type { SwaggerTransformObject } from '@fastify/swagger';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fieldErrorCodes } from '../domain/errors.js';
import { titles } from './errors.js';

/** The stable code of a field problem (api.md "Conventions"), one named schema. */
export const fieldErrorCode = z.enum(fieldErrorCodes).meta({
  id: 'FieldErrorCode',
  description:
    "Stable: what a client translates. Schema codes: required, too_long {max}, too_short {min}, too_many {max}, too_few {min}, too_large {max}, too_small {min}, invalid_type {expected}, invalid_format {format}, invalid_enum {options}, unknown_field, invalid. The domain's rules: not_your_location, not_of_solution_area {solutionArea}, not_for_activity {activity}, not_of_tenant, outside_tenant_domains, not_in_catalog, not_a_subscription_product, subscription_of_other_product, duplicate, taken, already_yours, held_by_another_partner, incomplete, not_editable {status}, not_found, not_cpor_program, must_confirm, must_be_empty, roles_do_not_mix, must_be_before {field}, must_not_go_back, weak_password, wrong_password, refused_url, invalid_cursor, invalid_json, nul_character, key_reused, empty, not_utf8, malformed_upload, invalid_file_name, disabled",
});

/** A field problem's parameters: `{}` when its code has none. */
export const fieldErrorParams = z
  .record(z.string(), z.union([z.number(), z.string(), z.array(z.string())]))
  .meta({ description: "The code's parameters, e.g. {max: 200}; {} when it has none" });

export const fieldError = z
  .strictObject({
    path: z.string().meta({ description: 'The field, dotted (`customer.email`), or a header name' }),
    message: z.string().meta({ description: 'What is wrong with it, in English' }),
    code: fieldErrorCode,
    params: fieldErrorParams,
    row: z
      .number()
      .int()
      .optional()
      .meta({ description: 'A bulk import: the CSV row (the header is row 1)' }),
    field: z.string().optional().meta({ description: 'A bulk import: the CSV column' }),
  })
  .meta({ id: 'FieldError', description: 'One field problem' });

/** RFC 9457 problem details, the body of every 4xx and 5xx answer (api.md "Conventions"). */
export const problemSchema = z
  .strictObject({
    type: z.string().meta({ description: 'A URI naming the kind of problem' }),
    title: z.string().meta({ description: 'The HTTP status in words' }),
    status: z.number().int().meta({ description: 'The HTTP status' }),
    detail: z.string().meta({ description: 'What happened, in English' }),
    code: z.string().meta({ description: 'Stable code, e.g. validation_failed, invalid_transition' }),
    errors: z.array(fieldError).optional().meta({ description: 'Field problems (422)' }),
    requestId: z.string().optional().meta({
      description: 'The id of the request, also in the X-Request-Id header and in the server log',
    }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

/** The statuses a route may answer with a problem. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 412 | 413 | 415 | 422 | 428 | 429;

const problemAnswer = (status: ErrorStatus) => ({
  description: titles[status] ?? 'Error',
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The query of every list (api.md "Lists"): `limit` (default 50, at most 200) and `cursor`. */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .meta({ description: 'Items per page (1 to 200)' }),
  cursor: z.string().max(500).optional().meta({ description: "The previous page's nextCursor" }),
};

/** A JSON success answer and what it means (the OpenAPI response's description). */
export const ok = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A success answer of other media types (CSV, a file): `{ 'text/csv': z.string() }`. */
export const okAs = <C extends Record<string, { schema: z.ZodType }>>(content: C, description: string) => ({
  description,
  content,
});

/** A CSV export (?format=csv), streamed: never serialized, described as text. */
export const csvText = {
  schema: z
    .custom<Readable | string>(() => true)
    .meta({ type: 'string', description: 'With ?format=csv: every row, streamed' }),
};

/** No body (204). */
export const noContent = (description: string) => z.null().meta({ description });

/**
 * The `response` of a route schema: its success answers, then a problem+json answer for each
 * error status it can give. A route that needs a signed-in caller answers 401; one with a body
 * 413/415/422 (too large, not JSON, not valid); one with an `{id}` 404.
 */
export function answers<S extends Record<number, unknown>>(success: S, ...errors: ErrorStatus[]) {
  // Any route: 401 for a credential that is not valid (even on a public route), 403 for a
  // cookie write without its CSRF token or a caller whose password change is pending.
  const all = [401, 403, ...errors] as ErrorStatus[];
  const problems = Object.fromEntries([...new Set(all)].sort().map((s) => [s, problemAnswer(s)]));
  return { ...success, ...problems } as S & Record<ErrorStatus, ReturnType<typeof problemAnswer>>;
}

/** The statuses every signed-in route with a JSON body can answer. */
export const bodyErrors: ErrorStatus[] = [401, 413, 415, 422];

/**
 * A route that answers a status its schema does not declare breaks the contract: in tests
 * (`strict`) the answer becomes a 500 that fails the test; in production it is logged.
 * Server errors (5xx) are never declared: they are not part of the contract.
 */
export function checkDeclaredStatuses(app: FastifyInstance, strict: boolean) {
  app.addHook('onSend', async (req, reply, payload) => {
    const schema = req.routeOptions.schema as
      { response?: Record<string, unknown>; hide?: boolean } | undefined;
    const status = reply.statusCode;
    if (!schema?.response || status >= 500) return payload;
    const declared = schema.response;
    if (status in declared || `${String(status)[0]}xx` in declared || 'default' in declared) return payload;
    const message = `${req.method} ${req.routeOptions.url} answered ${status}, which its schema does not declare`;
    if (strict) throw new Error(message);
    req.log.warn(message);
    return payload;
  });
}

type OpenApiObject = { components?: { schemas?: Record<string, unknown> } } & Record<string, unknown>;

const refsIn = (v: unknown) =>
  [...JSON.stringify(v).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] as string);

/**
 * An `XInput` component written exactly as `X` (an enum, a plain object) is `X`: one name
 * for one thing in the document and in the types generated from it.
 */
function sameInputAsOutput(doc: OpenApiObject): OpenApiObject {
  const schemas = doc.components?.schemas ?? {};
  let text = JSON.stringify(doc);
  for (const name of Object.keys(schemas)) {
    const base = name.replace(/Input$/, '');
    if (base === name || !(base in schemas)) continue;
    if (JSON.stringify(schemas[name]) !== JSON.stringify(schemas[base])) continue;
    text = text.replaceAll(`"#/components/schemas/${name}"`, `"#/components/schemas/${base}"`);
  }
  return JSON.parse(text) as OpenApiObject;
}

/**
 * Named schemas become components (jsonSchemaTransformObject), which derives an input and an
 * output version of each; only those reachable from a path are kept (an answer's schema has
 * no use as an `...Input`).
 */
export function withUsedComponents(transformObject: SwaggerTransformObject): SwaggerTransformObject {
  return (doc) => {
    const full = sameInputAsOutput(transformObject(doc) as OpenApiObject);
    const all = full.components?.schemas ?? {};
    const kept: Record<string, unknown> = {};
    const todo = refsIn({ ...full, components: { ...full.components, schemas: undefined } });
    for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
      if (name in kept || !(name in all)) continue;
      kept[name] = all[name];
      todo.push(...refsIn(all[name]));
    }
    return {
      ...full,
      components: { ...full.components, schemas: kept },
    } as ReturnType<SwaggerTransformObject>;
  };
}
