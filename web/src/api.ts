// Typed client of the public HTTP API (docs/api.md). The UI speaks only this API.
// Cookie session with double-submit CSRF: every non-GET request sends the value of the
// readable `cpor_csrf` cookie in `X-CSRF-Token`.

export type Role =
  'global_admin' | 'billing_admin' | 'incentives_admin' | 'reader' | 'reviewer' | 'platform_admin';
export const PARTNER_ROLES: Role[] = ['global_admin', 'billing_admin', 'incentives_admin', 'reader'];
export const ALL_ROLES: Role[] = [...PARTNER_ROLES, 'reviewer', 'platform_admin'];
export const PARTNER_WRITERS: Role[] = ['global_admin', 'billing_admin', 'incentives_admin'];

export const STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'partner_action_required',
  'approved',
  'rejected',
  'disputed',
  'ended',
] as const;
export type ClaimStatus = (typeof STATUSES)[number];

export const SOLUTION_AREAS = ['microsoft_365', 'business_applications'] as const;
export type SolutionArea = (typeof SOLUTION_AREAS)[number];

export const INFO_REASONS = [
  'poe_missing',
  'customer_signature_missing',
  'dates_missing_or_old',
  'partner_solution_missing',
  'products_missing',
] as const;
export type InfoReason = (typeof INFO_REASONS)[number];

export const REJECTION_REASONS = [
  'partner_request',
  'customer_declined',
  'insufficient_poe',
  'missing_customer_consent',
  'missing_products',
  'no_partner_response',
  'poe_unavailable',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const CLAIM_ACTIONS = [
  'edit',
  'submit',
  'withdraw',
  'disassociate',
  'dispute',
  'start-review',
  'request-information',
  'approve',
  'reject',
  'resolve-dispute',
  'comment',
  'upload-document',
] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

export interface Location {
  mpnId: string;
  name: string;
  country?: string | null;
}
export interface Organization {
  id: string;
  name: string;
  locations: Location[];
  createdAt?: string;
}
export interface Me {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  organizationId: string | null;
  organization: Organization | null;
  language: string | null;
  /** A password set by someone else (bootstrap, an admin): it must be changed first. */
  mustChangePassword: boolean;
  /** The server's now (the test clock's when it is on). */
  now: string;
}
export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  organizationId: string | null;
  language?: string | null;
  createdAt?: string;
  disabled: boolean;
  mustChangePassword: boolean;
}
export const SIGN_IN_OUTCOMES = [
  'success',
  'wrong_password',
  'unknown_account',
  'disabled',
  'throttled',
  'pending',
] as const;
export interface SignInAttempt {
  id: string;
  at: string;
  email: string;
  address: string;
  userAgent: string | null;
  route: 'token' | 'login' | 'password';
  outcome: (typeof SIGN_IN_OUTCOMES)[number];
  userId: string | null;
}
export interface Contact {
  name: string;
  title: string;
  email: string;
}
export interface PartnerContact {
  name: string;
  email: string;
}
export interface Revenue {
  solutionSellerName: string;
  customerName: string;
  isvSolutionName: string;
}
export interface ClaimProduct {
  productId: string;
  subscriptionId?: string | null;
}
export interface Claim {
  id: string;
  name: string | null;
  status: ClaimStatus;
  statusReason: string | null;
  organizationId: string;
  organizationName?: string | null;
  mpnId: string | null;
  customer: { domain: string | null; tenantId: string | null } | null;
  solutionArea: SolutionArea | null;
  activity: string | null;
  products: ClaimProduct[];
  customerContact: Contact | null;
  /** R-CONS-3, reviewers and platform admins only. */
  customerContactCheck: 'at_tenant_domain' | 'outside_tenant_domains' | 'reviewer_required' | null;
  technicalContact: Contact | null;
  partnerContact: PartnerContact | null;
  revenue: Revenue | null;
  requestedInformation: { reasons: string[]; comment: string | null; dueAt: string | null } | null;
  dueAt: string | null;
  overdue: boolean;
  consent: { state: 'pending' | 'completed' | 'denied'; endsAt: string | null } | null;
  disputeEndsAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  /** When the last decision (approve / reject) was made. */
  decidedAt?: string | null;
  /** Which deadline dueAt is (decision_sla, partner_response, consent_window, ...). */
  dueKind?: string | null;
  documentCount?: number;
  latestDocumentAt?: string | null;
  /** The associations the claim created, in force or ended, and why (R-UNIQ-7). */
  associations?: {
    productId: string;
    subscriptionId: string | null;
    since: string;
    endedAt: string | null;
    endReason: string | null;
  }[];
  allowedActions: string[];
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface CatalogProduct {
  id: string;
  name: string;
  solutionArea: SolutionArea;
  scope: 'workload' | 'subscription';
  dynamics365: boolean;
  active?: boolean;
}
export interface Catalog {
  solutionAreas: { id: SolutionArea; name: string; activities: string[] }[];
  products: CatalogProduct[];
}
export interface Availability {
  available: boolean;
  reason: null | 'associated' | 'claim_pending' | 'yours';
}
export interface HistoryItem {
  at: string;
  type: string;
  actor: { id: string | null; name: string | null; role: string | null } | null;
  data: Record<string, unknown> | null;
}
export interface Comment {
  id: string;
  text: string;
  at?: string;
  createdAt?: string;
  author?: { id?: string; name?: string | null; role?: string | null } | null;
  actor?: { id?: string; name?: string | null; role?: string | null } | null;
}
export interface DocumentInfo {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256?: string;
  createdAt?: string;
  uploadedAt?: string;
}
export interface CompetingClaim {
  id: string;
  name?: string | null;
  status: ClaimStatus;
  organizationName?: string | null;
  mpnId?: string | null;
  products?: ClaimProduct[];
  poeDates?: string[];
  latestPoeAt?: string | null;
  submittedAt?: string | null;
  approvedAt?: string | null;
  [key: string]: unknown;
}
export interface Tenant {
  tenantId: string;
  domains: string[];
  subscriptions: { id: string; productId: string; expiresAt?: string | null }[];
}
export interface Holiday {
  date: string;
  name: string;
}

export interface ProblemField {
  path: string;
  message: string;
}
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: ProblemField[];
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
  /** Field errors keyed by their dotted request-body path (e.g. `customerContact.email`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const key = e.path.replace(/^\/+/, '').replace(/\//g, '.');
      out[key] ??= e.message;
    }
    return out;
  }
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
  return !!me && me.roles.some((r) => PARTNER_WRITERS.includes(r));
}
export function isReviewer(me: Me | null): boolean {
  return !!me && me.roles.includes('reviewer');
}
export function isPlatformAdmin(me: Me | null): boolean {
  return !!me && me.roles.includes('platform_admin');
}
export function isPartner(me: Me | null): boolean {
  return !!me && me.roles.some((r) => PARTNER_ROLES.includes(r));
}
