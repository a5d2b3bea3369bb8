// The client of the public HTTP API (docs/api.md). The UI speaks only this API.
// Cookie session with double-submit CSRF: every non-GET request sends the value of the
// readable `cpor_csrf` cookie in `X-CSRF-Token`.

// Every type and enum of the API comes from the generated web/src/api-schema.ts (issue 8
// point 2: `npm run api:generate` writes it from the OpenAPI document the server serves);
// this file keeps what the generator cannot know: the CSRF token, the problem class, the
// 401 listeners, paging over every page.
import createClient from 'openapi-fetch';
import {
  claimActionValues,
  claimOutcomeValues,
  claimStatusValues,
  informationReasonValues,
  rejectionReasonValues,
  partnerRoleValues,
  staffRoleValues,
  signInListItemsOutcomeValues,
  auditEntityValues,
  solutionAreaValues,
  type components,
  type paths,
} from './api-schema.js';

/** A named schema of the OpenAPI document (`Schema<'Claim'>`). */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

export type Role = Schema<'Role'>;
export const PARTNER_ROLES: readonly Role[] = partnerRoleValues;
export const ALL_ROLES: readonly Role[] = [...partnerRoleValues, ...staffRoleValues];
export type ClaimStatus = Schema<'ClaimStatus'>;
export const STATUSES = claimStatusValues;
export type ClaimOutcome = Schema<'ClaimOutcome'>;
/** How a rejected or ended claim ended (issue 13 point 2). */
export const OUTCOMES = claimOutcomeValues;
export type SolutionArea = Schema<'SolutionArea'>;
export const SOLUTION_AREAS = solutionAreaValues;
export type InfoReason = Schema<'InformationReason'>;
export const INFO_REASONS = informationReasonValues;
export type RejectionReason = Schema<'RejectionReason'>;
export const REJECTION_REASONS = rejectionReasonValues;
export type ClaimAction = Schema<'ClaimAction'>;
export const CLAIM_ACTIONS = claimActionValues;
export const SIGN_IN_OUTCOMES = signInListItemsOutcomeValues;
export const AUDIT_ENTITIES = auditEntityValues;

export type Claim = Schema<'Claim'>;
export type ClaimField = Schema<'ClaimField'>;
export type Me = Schema<'Me'>;
export type User = Schema<'User'>;
export type Organization = Schema<'Organization'>;
export type Location = Organization['locations'][number];
export type SignInAttempt = Schema<'SignInList'>['items'][number];
export type AuditEntry = Schema<'AuditEntry'>;
export type Contact = NonNullable<Claim['customerContact']>;
export type PartnerContact = NonNullable<Claim['partnerContact']>;
export type Revenue = NonNullable<Claim['revenue']>;
export type ClaimProduct = Claim['products'][number];
export type Catalog = Schema<'Catalog'>;
export type CatalogProduct = Schema<'Product'>;
export type Availability = Schema<'Availability'>;
export type HistoryItem = Schema<'History'>['items'][number];
export type Comment = Schema<'Comment'>;
export type DocumentInfo = Schema<'Document'>;
export type CompetingClaim = Schema<'CompetingClaims'>['items'][number];
export type Tenant = Schema<'Tenant'>;
export type Holiday = Schema<'Holiday'>;
export type Problem = Partial<Schema<'Problem'>> & { status: number };
export type ProblemField = Schema<'FieldError'>;

// Who may do what is the server's (allowedActions on a claim, abilities on /me). The partner
// roles (PartnerRole) only choose which fields the admin's user form shows (an organization).

/** Every list answers a page (api.md "Lists"). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.problem = problem;
  }
  get code(): string | undefined {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
  /**
   * Field errors keyed by their dotted request-body path (e.g. `customerContact.email`), each
   * as `text` says (the UI translates its code and parameters; the English message without it).
   */
  fieldErrors(text: (e: ProblemField) => string = (e) => e.message): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const key = e.path.replace(/^\/+/, '').replace(/\//g, '.');
      out[key] ??= text(e);
    }
    return out;
  }
}

const namedParams: Record<string, string> = {
  status: 'status',
  solutionArea: 'solutionArea',
  activity: 'activity',
};

/** A field problem in the user's language: its stable code and parameters (issue 8 point 4). */
export function fieldText(
  e: Pick<ProblemField, 'code' | 'params' | 'message'>,
  t: (k: string, o?: Record<string, unknown>) => string,
): string {
  // A parameter naming a value of the domain (a status, a solution area, an activity) is shown
  // in the user's words too.
  const named = (k: string, v: string) =>
    k in namedParams ? t(`${namedParams[k]}.${v}`, { defaultValue: v }) : v;
  const params = Object.fromEntries(
    Object.entries(e.params ?? {}).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? named(k, v) : v,
    ]),
  );
  return t(`fieldError.${e.code}`, { ...params, defaultValue: e.message });
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Listeners told when the session has ended (401), so the app can show the sign-in page. */
const unauthenticatedListeners = new Set<() => void>();
export function onUnauthenticated(fn: () => void): () => void {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}

interface RequestOptions {
  body?: unknown;
  ifMatch?: number;
  /** A create retried with the same key makes nothing new (api.md "Conventions"). */
  idempotencyKey?: string;
  form?: FormData;
  /** Do not announce a 401 (the sign-in page and /me probing use this). */
  quiet401?: boolean;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET') {
    const token = readCookie('cpor_csrf') ?? csrfToken;
    if (token) headers['X-CSRF-Token'] = token;
  }
  if (opts.ifMatch !== undefined) headers['If-Match'] = `"${opts.ifMatch}"`;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError({
      status: 0,
      code: 'network_error',
      detail: e instanceof Error ? e.message : String(e),
    });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const p = (json ?? {}) as Partial<Problem>;
    const problem: Problem = { ...p, status: res.status };
    if (res.status === 401 && !opts.quiet401) unauthenticatedListeners.forEach((fn) => fn());
    throw new ApiError(problem);
  }
  return json as T;
}

/**
 * The typed client (openapi-fetch over the generated `paths`): paths, parameters, bodies and
 * answers are checked against the OpenAPI document at compile time. `data()` unwraps an answer
 * or throws its problem as an ApiError.
 */
export const client = createClient<paths>({ credentials: 'same-origin' });
client.use({
  onRequest({ request }) {
    request.headers.set('Accept', 'application/json');
    if (request.method !== 'GET') {
      const token = readCookie('cpor_csrf') ?? csrfToken;
      if (token) request.headers.set('X-CSRF-Token', token);
    }
    return request;
  },
});

/** The body of a typed client's answer; a problem (or no answer) is thrown as an ApiError. */
export async function data<T>(
  answer: Promise<{ data?: T; error?: unknown; response: Response }>,
  opts: { quiet401?: boolean } = {},
): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await answer;
  } catch (e) {
    throw new ApiError({
      status: 0,
      code: 'network_error',
      detail: e instanceof Error ? e.message : String(e),
    });
  }
  if (!r.response.ok) {
    const body = r.error && typeof r.error === 'object' ? (r.error as Partial<Problem>) : {};
    const problem: Problem = { ...body, status: r.response.status };
    if (problem.status === 401 && !opts.quiet401) unauthenticatedListeners.forEach((fn) => fn());
    throw new ApiError(problem);
  }
  return r.data as T;
}

/** The `If-Match` header of a claim write: the version the page shows. */
export const ifMatch = (claim: { version: number }) => ({ 'If-Match': `"${claim.version}"` });

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) =>
    request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
  upload: <T>(path: string, file: File, opts?: RequestOptions) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<T>('POST', path, { ...opts, form });
  },
};

export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/**
 * Reads every page of a list (the dashboard and the reviewer queue compute over all claims).
 * `limit` is sent only when given: not every list accepts it.
 */
export async function listAll<T>(
  path: string,
  params: Record<string, string | undefined> = {},
  opts: { limit?: number; max?: number } = {},
) {
  const items: T[] = [];
  let cursor: string | null = null;
  const max = opts.max ?? 2000;
  do {
    const page: Page<T> | T[] = await api.get<Page<T> | T[]>(
      path + qs({ ...params, limit: opts.limit, cursor }),
    );
    if (Array.isArray(page)) return page;
    items.push(...page.items);
    cursor = page.nextCursor ?? null;
  } while (cursor && items.length < max);
  return items;
}

export const claimUrl = (id: string, sub = '') => `/api/v1/claims/${encodeURIComponent(id)}${sub}`;

export function isPartnerWriter(me: Me | null): boolean {
  return !!me?.abilities.createClaims;
}
export function isReviewer(me: Me | null): boolean {
  return !!me?.abilities.review;
}
export function isPlatformAdmin(me: Me | null): boolean {
  return !!me?.abilities.administer;
}
export function isPartner(me: Me | null): boolean {
  return !!me?.abilities.partner;
}

// ---- Bulk import of claims (docs/api.md "Bulk import") ----
export type ImportReport = Schema<'ImportReport'>;
/** One problem of an import file: its row (the header is row 1) and column. */
export type ImportRowError = ImportReport['errors'][number];
export const claimImportTemplateUrl = '/api/v1/claims/import-template';
/** A dry run (nothing created) or the import itself (all rows or none). */
export const importClaimsCsv = (file: File, dryRun: boolean) =>
  api.upload<ImportReport>(`/api/v1/claims/import${dryRun ? '?dryRun=true' : ''}`, file);
/** The rows and columns of a refused import (422), from its problem's field errors. */
export function importErrorsOf(e: unknown): ImportRowError[] {
  if (!(e instanceof ApiError)) return [];
  return (e.problem.errors ?? []).flatMap(({ row, field, message, code, params }) =>
    row !== undefined && field !== undefined ? [{ row, field, message, code, params }] : [],
  );
}
