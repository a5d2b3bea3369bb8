// Domain errors carry a stable code; http/errors.ts maps codes to HTTP statuses.
// The domain imports nothing from Fastify.
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'edit_not_allowed'
  | 'already_associated'
  | 'dispute_window_closed'
  | 'dispute_not_allowed'
  | 'out_of_scope'
  | 'incomplete_claim'
  | 'precondition_failed'
  | 'precondition_required'
  | 'idempotency_key_reused'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'duplicate_document'
  | 'too_many_documents'
  | 'consent_link_invalid'
  | 'consent_link_expired'
  | 'consent_link_used'
  | 'rate_limited'
  | 'password_change_required'
  | 'last_platform_admin';

/**
 * The stable code of a field problem (api.md "Conventions"), with its parameters: what a
 * client translates, beside the English message.
 */
export const fieldErrorCodes = [
  'required',
  'too_long',
  'too_short',
  'too_many',
  'too_few',
  'too_large',
  'too_small',
  'invalid_type',
  'invalid_format',
  'invalid_enum',
  'unknown_field',
  'invalid',
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];

export interface FieldError {
  path: string;
  message: string;
  /** Unset: `required` when the message says so, else `invalid` (http/errors.ts). */
  code?: FieldErrorCode;
  /** The code's parameters: `max`, `min` (numbers), `format`, `expected`, `options` (a list). */
  params?: Record<string, number | string | string[]>;
  /** A bulk import's row (the header is row 1) and column, when the problem is in a CSV file. */
  row?: number;
  field?: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    /** Seconds the caller should wait (rate_limited: the Retry-After header). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export const notFound = (what = 'claim') => new DomainError('not_found', `No such ${what}.`);
export const forbidden = (message = 'Your role does not allow this.') =>
  new DomainError('forbidden', message);
export const validationFailed = (errors: FieldError[], message = 'Some fields are not valid.') =>
  new DomainError('validation_failed', message, errors);
