// Row types of the database, as Kysely sees them. One interface per table.
import type { ColumnType, Generated } from 'kysely';
import type { Contact, RequestedInformation, Revenue } from '../domain/claim.js';
import type { OutboxKind, OutboxMessage } from '../domain/outbox.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface OrganizationsTable {
  id: string;
  name: string;
  language: string | null;
  created_at: Timestamp;
  /** Migration 0016: a disabled organization's users cannot sign in nor make claims. */
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
export interface PartnerLocationsTable {
  mpn_id: string;
  organization_id: string;
  name: string;
  country: string | null;
  /** Migration 0016: a disabled location cannot be chosen for a claim any more. */
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  organization_id: string | null;
  roles: Json<string[]>;
  language: string | null;
  created_at: Timestamp;
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  must_change_password: Generated<boolean>;
  /** Bumped by a password change or a disable: older sessions and tokens stop working. */
  credential_epoch: Generated<number>;
  password_changed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
export interface ApiTokensTable {
  id: string;
  token_hash: string;
  user_id: string;
  name: Generated<string>;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  credential_epoch: number;
}
export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  expires_at: Timestamp;
  created_at: Generated<Date>;
  credential_epoch: number;
}
export interface SignInAttemptsTable {
  id: Generated<string>;
  at: Timestamp;
  email: string;
  address: string;
  user_agent: string | null;
  route: 'token' | 'login' | 'password';
  outcome: SignInOutcome | 'pending';
  user_id: string | null;
}
export type SignInOutcome = 'success' | 'wrong_password' | 'unknown_account' | 'disabled' | 'throttled';
export interface ProductsTable {
  id: string;
  name: string;
  solution_area: string;
  scope: 'workload' | 'subscription';
  dynamics365: boolean;
  active: Generated<boolean>;
}
export interface TenantsTable {
  tenant_id: string;
  updated_at: Timestamp;
}
export interface TenantDomainsTable {
  tenant_id: string;
  domain: string;
}
export interface TenantSubscriptionsTable {
  id: string;
  tenant_id: string;
  product_id: string;
  expires_at: Timestamp | null;
}
export interface ClaimsTable {
  id: string;
  organization_id: string;
  mpn_id: string | null;
  name: string | null;
  tenant_id: string | null;
  domain: string | null;
  solution_area: string | null;
  activity: string | null;
  customer_contact: Json<Contact | null>;
  technical_contact: Json<Contact | null>;
  partner_contact: Json<Contact | null>;
  revenue: Json<Revenue | null>;
  status: string;
  status_reason: string | null;
  requested_information: Json<RequestedInformation | null>;
  version: number;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: Timestamp | null;
  decided_at: Timestamp | null;
  rejected_at: Timestamp | null;
  disputed_at: Timestamp | null;
  consent_state: string | null;
  consent_ends_at: Timestamp | null;
  due_at: Timestamp | null;
  due_kind: string | null;
}
export interface ClaimProductsTable {
  claim_id: string;
  position: number;
  product_id: string;
  subscription_id: string | null;
}
export interface DocumentsTable {
  id: string;
  claim_id: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string;
  created_at: Timestamp;
}
export interface CommentsTable {
  id: string;
  claim_id: string;
  author_id: string | null;
  author_name: string;
  author_role: string;
  text: string;
  created_at: Timestamp;
  /** Migration 0023: the order the comments were written in (one sequence for all claims). */
  seq: Generated<string>;
}
export interface ClaimHistoryTable {
  id: Generated<string>;
  claim_id: string;
  at: Timestamp;
  type: string;
  actor_id: string | null;
  actor_name: string;
  actor_role: string;
  data: Json<Record<string, unknown>>;
  /** The hash chain (migration 0006, domain/history-chain.ts). */
  seq: number;
  prev_hash: string | null;
  hash: string;
}
export interface AssociationsTable {
  id: string;
  claim_id: string | null;
  organization_id: string;
  mpn_id: string;
  tenant_id: string;
  product_id: string;
  subscription_id: string | null;
  scope: 'workload' | 'subscription';
  since: Timestamp;
  expires_at: Timestamp | null;
  ended_at: Timestamp | null;
  end_reason: string | null;
  consent_state: 'pending' | 'completed' | 'legacy';
  consent_completed_at: Timestamp | null;
}
export interface DeadlinesTable {
  id: string;
  claim_id: string;
  kind: string;
  due_at: Timestamp;
  created_at: Timestamp;
  fired_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  fired_by: string | null;
  outcome: string | null;
}
export interface OutboxTable {
  id: string;
  kind: OutboxKind;
  claim_id: string | null;
  payload: Json<OutboxMessage['payload']>;
  created_at: Timestamp;
  available_at: Timestamp;
  attempts: Generated<number>;
  sent_at: Timestamp | null;
  last_error: string | null;
  failed_at: Timestamp | null;
}
export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Json<unknown>;
  created_at: Timestamp;
  /** Set in the guarded write's own transaction: the write committed (migration 0006b). */
  resource_id: string | null;
}

export interface WebhooksTable {
  id: string;
  /** Null: a reviewers' system, which hears every claim. */
  organization_id: string | null;
  url: string;
  events: Json<string[]>;
  secret: string;
  created_by: string;
  created_at: Timestamp;
  secret_rotated_at: Timestamp | null;
}
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  claim_id: string;
  event_id: string;
  event_type: string;
  seq: number;
  idx: number;
  body: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: Generated<number>;
  created_at: Timestamp;
  next_attempt_at: Timestamp;
  retry_until: Timestamp;
  last_attempt_at: Timestamp | null;
  response_code: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  dead_at: Timestamp | null;
}

export interface HolidaysTable {
  date: string;
  name: string;
}

export interface ConsentUsesTable {
  token_hash: string;
  claim_id: string;
  used_at: Timestamp;
  action: string;
}
export interface SettingsTable {
  key: string;
  value: string;
  created_at: Timestamp;
}

/** R-TIME-6: a reviewers' digest sent on a business day (`YYYY-MM-DD` in CPOR_TIME_ZONE). */
export interface OverdueDigestsTable {
  day: string;
  up_to: Timestamp;
  claim_count: number;
  recipients: number;
  created_at: Timestamp;
}

/** Migration 0019: one change of the programme's administration, append-only (src/audit/). */
export interface AdminAuditTable {
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string;
  actor_role: string;
  entity: 'organization' | 'location' | 'user' | 'holiday' | 'product' | 'tenant';
  entity_id: string;
  action: 'created' | 'updated' | 'disabled' | 'enabled' | 'deleted' | 'password_reset';
  changes: Json<Record<string, { from: unknown; to: unknown }>>;
}

/** Appended by the claims' triggers (migration 0013): a count by status is the sum of n. */
export interface ClaimCountsTable {
  organization_id: string;
  status: string;
  n: ColumnType<string, number, number>;
}

export interface DB {
  consent_uses: ConsentUsesTable;
  settings: SettingsTable;
  holidays: HolidaysTable;
  organizations: OrganizationsTable;
  partner_locations: PartnerLocationsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  products: ProductsTable;
  tenants: TenantsTable;
  tenant_domains: TenantDomainsTable;
  tenant_subscriptions: TenantSubscriptionsTable;
  claims: ClaimsTable;
  claim_products: ClaimProductsTable;
  documents: DocumentsTable;
  comments: CommentsTable;
  claim_history: ClaimHistoryTable;
  associations: AssociationsTable;
  deadlines: DeadlinesTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyKeysTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  overdue_digests: OverdueDigestsTable;
  claim_counts: ClaimCountsTable;
  admin_audit: AdminAuditTable;
}
