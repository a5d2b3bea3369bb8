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
  // The domain's own rules (domain.md), each with the rule's words as its message:
  'not_your_location',
  'not_of_solution_area',
  'not_for_activity',
  'not_of_tenant',
  'outside_tenant_domains',
  'not_in_catalog',
  'not_a_subscription_product',
  'subscription_of_other_product',
  'duplicate',
  'taken',
  'already_yours',
  'held_by_another_partner',
  'incomplete',
  'not_editable',
  'not_found',
  'not_cpor_program',
  'must_confirm',
  'must_be_empty',
  'roles_do_not_mix',
  'must_be_before',
  'must_not_go_back',
  'weak_password',
  'wrong_password',
  'refused_url',
  'invalid_cursor',
  'invalid_json',
  'nul_character',
  'key_reused',
  'empty',
  'not_utf8',
  'malformed_upload',
  'invalid_file_name',
  'disabled',
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];

export interface FieldError {
  path: string;
  message: string;
  code: FieldErrorCode;
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

/** A zod issue (its code and the rest of it) as one of the stable field codes, with its parameters. */
export function fieldCodeOf(
  keyword: string,
  raw: object,
  missing: boolean,
): Required<Pick<FieldError, 'code' | 'params'>> {
  // A zod issue, or the params of a schema-validation error: read by field name, each checked.
  const issue = raw as Record<string, unknown>;
  // Nothing sent where something must be: whatever zod calls it, the field is missing.
  if (missing && keyword !== 'unrecognized_keys') return { code: 'required', params: {} };
  const n = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : 0);
  const origin = issue.origin;
  const sized = (small: boolean): FieldErrorCode => {
    if (origin === 'string') return small ? 'too_short' : 'too_long';
    if (origin === 'array' || origin === 'set') return small ? 'too_few' : 'too_many';
    return small ? 'too_small' : 'too_large';
  };
  switch (keyword) {
    case 'invalid_type':
      return { code: 'invalid_type', params: { expected: String(issue.expected ?? '') } };
    case 'too_big':
      return { code: sized(false), params: { max: n(issue.maximum) } };
    case 'too_small':
      // An empty text where one is needed is a missing one.
      if (origin === 'string' && n(issue.minimum) === 1) return { code: 'required', params: {} };
      return { code: sized(true), params: { min: n(issue.minimum) } };
    case 'invalid_format':
      return { code: 'invalid_format', params: { format: String(issue.format ?? '') } };
    case 'invalid_value':
      return {
        code: 'invalid_enum',
        params: { options: Array.isArray(issue.values) ? issue.values.map(String) : [] },
      };
    case 'unrecognized_keys':
      return { code: 'unknown_field', params: {} };
    case 'invalid_union': {
      // A union of enums (Role: PartnerRole | StaffRole) is one enum to the caller.
      const options = enumUnionOptions(issue);
      return options ? { code: 'invalid_enum', params: { options } } : { code: 'invalid', params: {} };
    }
    default:
      return { code: 'invalid', params: {} };
  }
}

/** The values of a union whose every branch is an enum, from zod's invalid_union issue; else null. */
function enumUnionOptions(issue: Record<string, unknown>): string[] | null {
  const branches = Array.isArray(issue.errors) ? (issue.errors as unknown[]) : [];
  const options: string[] = [];
  for (const branch of branches) {
    const only = Array.isArray(branch) && branch.length === 1 ? (branch[0] as Record<string, unknown>) : null;
    if (only?.code !== 'invalid_value' || !Array.isArray(only.values)) return null;
    options.push(...only.values.map(String));
  }
  return options.length ? options : null;
}
