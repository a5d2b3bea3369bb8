// One table from domain error codes to HTTP statuses, and the RFC 9457 problem+json body.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, fieldCodeOf, type ErrorCode, type FieldError } from '../domain/errors.js';

export const statusOf: Record<ErrorCode, number> = {
  validation_failed: 422,
  incomplete_claim: 422,
  out_of_scope: 422,
  idempotency_key_reused: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  edit_not_allowed: 409,
  already_associated: 409,
  dispute_window_closed: 409,
  dispute_not_allowed: 409,
  duplicate_document: 409,
  too_many_documents: 409,
  consent_link_used: 410,
  consent_link_expired: 410,
  consent_link_invalid: 404,
  precondition_failed: 412,
  precondition_required: 428,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  password_change_required: 403,
  last_platform_admin: 409,
};

export const titles: Partial<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  requestId?: string;
}

export function problem(code: string, status: number, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `https://cpor.dev/problems/${code.replace(/_/g, '-')}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length ? { errors: errors.map(withCode) } : {}),
  };
}

/** Every field problem carries its code and its parameters ({} when it has none). */
export function withCode(e: FieldError): FieldError & Required<Pick<FieldError, 'params'>> {
  return { ...e, params: e.params ?? {} };
}

export function sendProblem(reply: FastifyReply, p: Problem) {
  return reply
    .status(p.status)
    .type('application/problem+json')
    .send({ ...p, requestId: reply.request.id });
}

/** `/customer/email` or `customer.email` -> `customer.email`. */
const dotted = (path: string) => path.replace(/^\//, '').replace(/\//g, '.');

/** What the request sent in a part (body, querystring, params, headers). */
function sentIn(req: FastifyRequest, where: string): unknown {
  if (where === 'querystring') return req.query;
  if (where === 'params') return req.params;
  if (where === 'headers') return req.headers;
  return req.body;
}

/** The value at a JSON pointer (`/customer/email`) of what was sent; undefined if absent. */
function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const key of pointer.split('/').filter(Boolean)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) {
      if (err.retryAfter !== undefined) void reply.header('retry-after', String(err.retryAfter));
      return sendProblem(reply, problem(err.code, statusOf[err.code], err.message, err.errors));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const errors = err.validation.map((v) => {
        const keys = (v.params as { keys?: string[] }).keys;
        const base = dotted(v.instancePath);
        if (v.keyword === 'unrecognized_keys' && keys?.length) {
          return keys.map((k) => ({
            path: [base, k].filter(Boolean).join('.'),
            message: 'is not a known field',
            code: 'unknown_field' as const,
            params: {},
          }));
        }
        const sent = valueAt(sentIn(req, where), v.instancePath);
        const coded = fieldCodeOf(v.keyword, v.params, sent === undefined);
        // zod says "Invalid input" for a union; a union of enums says its options as an enum does.
        const options =
          v.keyword === 'invalid_union' && coded.code === 'invalid_enum' ? coded.params?.options : null;
        const message = Array.isArray(options)
          ? `Invalid option: expected one of ${options.map((o) => JSON.stringify(o)).join('|')}`
          : (v.message ?? 'is not valid');
        return [{ path: base || where, message, ...coded }];
      });
      return sendProblem(
        reply,
        problem('validation_failed', 422, `The request ${where} is not valid.`, errors.flat()),
      );
    }
    const status = err.statusCode ?? 500;
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err instanceof SyntaxError && status === 400)) {
      return sendProblem(
        reply,
        problem('validation_failed', 422, 'The body is not valid JSON.', [
          { path: 'body', message: err.message, code: 'invalid_json' },
        ]),
      );
    }
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return sendProblem(
        reply,
        problem('validation_failed', 422, 'The body is empty.', [
          { path: 'body', message: 'is required', code: 'required' },
        ]),
      );
    }
    if (
      status === 413 ||
      err.code === 'FST_REQ_FILE_TOO_LARGE' ||
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
    ) {
      return sendProblem(reply, problem('payload_too_large', 413, err.message));
    }
    if (status === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(reply, problem('unsupported_media_type', 415, err.message));
    }
    if (status === 429) return sendProblem(reply, problem('rate_limited', 429, err.message));
    if (status >= 400 && status < 500) {
      return sendProblem(reply, problem(status === 404 ? 'not_found' : 'bad_request', status, err.message));
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(
      reply,
      problem('internal_error', 500, 'Something went wrong on our side; it has been logged.'),
    );
  });
}
