// Typed Kysely queries for claims and what hangs off them. Nothing else lives here.
import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import { json } from '../db/json.js';
import { updateJsonRows, type ColumnTypes } from '../db/bulk-insert.js';
import type { ClaimsTable, CommentsTable } from '../db/schema.js';
import type { PlanSettings, Queryable as Q } from '../db/transaction.js';
import { compiledOnce } from '../db/compiled.js';
import type { CatalogProduct, ClaimState, KnownTenant, SolutionArea } from '../domain/claim.js';
import { entryHash } from '../domain/history-chain.js';
import { dueKey } from '../db/migrations/0012-list-indexes.js';
import type { OutboxMessage } from '../domain/outbox.js';
import type { RowsAfter } from '../lib/cursor.js';

type ClaimRow = Selectable<ClaimsTable> & {
  document_count: number | string;
  latest_document_at: Date | string | null;
};

/**
 * Claims with their products (in position order) and their documents' count and latest date,
 * as one query (issue 14 point 2: a claim read was three round trips); the caller adds its
 * condition on `c`.
 */
function claimsWithParts(db: Q) {
  return (
    db
      .selectFrom('claims as c')
      // The documents' count and the latest one's time in one pass over the claim's documents.
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('documents as d')
            .select((d) => [
              d.fn.countAll<string>().as('document_count'),
              d.fn.max('d.created_at').as('latest_document_at'),
            ])
            .whereRef('d.claim_id', '=', 'c.id')
            .as('docs'),
        (join) => join.onTrue(),
      )
      .selectAll('c')
      .select((eb) => [
        eb
          .selectFrom('claim_products as p')
          .select(
            sql<
              { product_id: string; subscription_id: string | null }[] | null
            >`json_agg(json_build_object('product_id', p.product_id, 'subscription_id', p.subscription_id) ORDER BY p.position)`.as(
              'products',
            ),
          )
          .whereRef('p.claim_id', '=', 'c.id')
          .as('products'),
        'docs.document_count',
        'docs.latest_document_at',
      ])
  );
}

type ClaimWithParts = Awaited<ReturnType<ReturnType<typeof claimsWithParts>['executeTakeFirstOrThrow']>>;

function stateOf(row: ClaimWithParts): ClaimState {
  // The row as it came (toState reads the columns it needs): no copy of it per claim.
  const { products } = row;
  return toState(
    row,
    typeof products === 'string' ? (JSON.parse(products) as typeof products) : (products ?? []),
  );
}

/** One claim with its parts, in one query; `forUpdate` locks the claim row only. */
export async function loadClaim(db: Q, id: string, forUpdate = false): Promise<ClaimState | null> {
  const [row] = await (forUpdate ? claimByIdForUpdate : claimById)(db, { id });
  return row ? stateOf(row) : null;
}
const claimById = compiledOnce<{ id: string }, ClaimWithParts>((db, p) =>
  claimsWithParts(db).where('c.id', '=', p('id')),
);
const claimByIdForUpdate = compiledOnce<{ id: string }, ClaimWithParts>((db, p) =>
  claimsWithParts(db).where('c.id', '=', p('id')).forUpdate(['c']),
);

/** What the API shows of a claim beyond its state (claims-presenter.ts ClaimMeta, raw). */
export interface ClaimExtras {
  createdAt: Date;
  updatedAt: Date;
  organizationName: string | null;
  associations: {
    product_id: string;
    subscription_id: string | null;
    since: Date;
    ended_at: Date | null;
    end_reason: string | null;
  }[];
  /** The claim's history entries of the types asked for, newest first (claim-context.ts). */
  history: {
    at: Date;
    type: string;
    actor_name: string;
    actor_role: string;
    data: Record<string, unknown> | null;
  }[];
}

type Json<T> = T | string | null;
const fromJson = <T>(v: Json<T>): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const dateOf = (v: string | null) => (v === null ? null : new Date(v));

type Assoc = {
  product_id: string;
  subscription_id: string | null;
  since: string;
  ended_at: string | null;
  end_reason: string | null;
};
type Entry = {
  at: string;
  type: string;
  actor_name: string;
  actor_role: string;
  data: Record<string, unknown> | null;
};

/** The query of loadClaimsWithExtras, with the history entries of `types` or none. */
const extrasQuery = (history: boolean) =>
  compiledOnce<{ ids: string[]; types: string[] }, ClaimWithExtrasRow>((db, p) =>
    claimsWithParts(db)
      .select((eb) => [
        eb
          .selectFrom('organizations as o')
          .select('o.name')
          .whereRef('o.id', '=', 'c.organization_id')
          .as('organization_name'),
        eb
          .selectFrom('associations as a')
          .select(
            sql<
              Json<Assoc[]>
            >`json_agg(json_build_object('product_id', a.product_id, 'subscription_id', a.subscription_id, 'since', a.since, 'ended_at', a.ended_at, 'end_reason', a.end_reason) ORDER BY a.since, a.id)`.as(
              'j',
            ),
          )
          .whereRef('a.claim_id', '=', 'c.id')
          .as('associations_json'),
        history
          ? eb
              .selectFrom('claim_history as h')
              .select(
                sql<
                  Json<Entry[]>
                >`json_agg(json_build_object('at', h.at, 'type', h.type, 'actor_name', h.actor_name, 'actor_role', h.actor_role, 'data', h.data) ORDER BY h.id DESC)`.as(
                  'j',
                ),
              )
              .whereRef('h.claim_id', '=', 'c.id')
              .where((eb) => eb('h.type', '=', eb.fn.any(eb.val(p('types')))))
              .as('history_json')
          : sql<Json<Entry[]>>`NULL`.as('history_json'),
      ])
      .where((eb) => eb('c.id', '=', eb.fn.any(eb.val(p('ids'))))),
  );
type ClaimWithExtrasRow = ClaimWithParts & {
  organization_name: string | null;
  associations_json: Json<Assoc[]>;
  history_json: Json<Entry[]>;
};
const withExtras = extrasQuery(false);
const withExtrasAndHistory = extrasQuery(true);

/**
 * Claims with their parts and what the API shows beside them (organization name, the
 * associations they created, and the history entries of `historyTypes`), in one query
 * (issue 14 point 2: a claim read was four round trips, a list page three), in the order
 * of `ids` (those not found left out).
 */
export async function loadClaimsWithExtras(
  db: Q,
  ids: string[],
  historyTypes: string[] = [],
): Promise<{ claim: ClaimState; extras: ClaimExtras }[]> {
  if (ids.length === 0) return [];
  const rows = await (historyTypes.length === 0 ? withExtras : withExtrasAndHistory)(db, {
    ids,
    types: historyTypes,
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        claim: stateOf(row),
        extras: {
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          organizationName: row.organization_name ?? null,
          associations: (fromJson(row.associations_json) ?? []).map((a) => ({
            ...a,
            since: new Date(a.since),
            ended_at: dateOf(a.ended_at),
          })),
          history: (fromJson(row.history_json) ?? []).map((h) => ({ ...h, at: new Date(h.at) })),
        },
      },
    ];
  });
}

const claimsByIds = compiledOnce<{ ids: string[] }, ClaimWithParts>((db, p) =>
  claimsWithParts(db).where((eb) => eb('c.id', '=', eb.fn.any(eb.val(p('ids'))))),
);

/** Many claims with their parts, in one query, in the order of `ids` (those not found left out). */
export async function loadClaims(db: Q, ids: string[]): Promise<ClaimState[]> {
  if (ids.length === 0) return [];
  const byId = new Map((await claimsByIds(db, { ids })).map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [stateOf(row)] : [];
  });
}

function toState(
  row: ClaimRow,
  products: { product_id: string; subscription_id: string | null }[],
): ClaimState {
  return {
    id: row.id,
    organizationId: row.organization_id,
    status: row.status as ClaimState['status'],
    statusReason: row.status_reason,
    mpnId: row.mpn_id,
    name: row.name,
    tenantId: row.tenant_id,
    domain: row.domain,
    solutionArea: row.solution_area as SolutionArea | null,
    activity: row.activity as ClaimState['activity'],
    products: products.map((p) => ({ productId: p.product_id, subscriptionId: p.subscription_id })),
    customerContact: row.customer_contact,
    technicalContact: row.technical_contact,
    partnerContact: row.partner_contact,
    revenue: row.revenue,
    requestedInformation: row.requested_information,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
    rejectedAt: row.rejected_at,
    disputedAt: row.disputed_at,
    consentState: row.consent_state as ClaimState['consentState'],
    consentEndsAt: row.consent_ends_at,
    dueAt: row.due_at,
    dueKind: row.due_kind,
    version: row.version,
    documentCount: Number(row.document_count ?? 0),
    latestDocumentAt: row.latest_document_at === null ? null : new Date(row.latest_document_at),
  };
}

function columns(c: ClaimState) {
  return claimColumns(c, json);
}

/** The claim's own columns, its jsonb ones through `asJson` (JSON text for Kysely, as is for a JSON bulk load). */
export function claimColumns<J>(c: ClaimState, asJson: (v: unknown) => J) {
  return {
    status: c.status,
    status_reason: c.statusReason,
    mpn_id: c.mpnId,
    name: c.name,
    tenant_id: c.tenantId,
    domain: c.domain,
    solution_area: c.solutionArea,
    activity: c.activity,
    customer_contact: asJson(c.customerContact),
    technical_contact: asJson(c.technicalContact),
    partner_contact: asJson(c.partnerContact),
    revenue: asJson(c.revenue),
    requested_information: asJson(c.requestedInformation),
    submitted_at: c.submittedAt,
    decided_at: c.decidedAt,
    rejected_at: c.rejectedAt,
    disputed_at: c.disputedAt,
    consent_state: c.consentState,
    consent_ends_at: c.consentEndsAt,
    due_at: c.dueAt,
    due_kind: c.dueKind,
    version: c.version,
  };
}

/** The SQL types of the claim's columns (bulk writes through JSON, src/db/bulk-insert.ts). */
export const claimColumnTypes = {
  id: 'text',
  organization_id: 'text',
  mpn_id: 'text',
  name: 'text',
  tenant_id: 'text',
  domain: 'text',
  solution_area: 'text',
  activity: 'text',
  customer_contact: 'jsonb',
  technical_contact: 'jsonb',
  partner_contact: 'jsonb',
  revenue: 'jsonb',
  status: 'text',
  status_reason: 'text',
  requested_information: 'jsonb',
  version: 'integer',
  created_by: 'text',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  submitted_at: 'timestamptz',
  decided_at: 'timestamptz',
  rejected_at: 'timestamptz',
  disputed_at: 'timestamptz',
  consent_state: 'text',
  consent_ends_at: 'timestamptz',
  due_at: 'timestamptz',
  due_kind: 'text',
} satisfies ColumnTypes;

/**
 * Writes many claims' new states at once (the scheduler's batches), each only if its version
 * is still the expected one (`before.version`); false (nothing to trust) unless every one was
 * written. Only the columns that changed in some claim of the batch travel and are set.
 */
export async function updateClaims(db: Q, items: { claim: ClaimState; before: ClaimState }[], now: Date) {
  const { id: _id, organization_id: _org, created_by: _by, created_at: _at, ...all } = claimColumnTypes;
  const rows = items.map(({ claim }) => claimColumns(claim, (v) => v) as Record<string, unknown>);
  const olds = items.map(({ before }) => claimColumns(before, (v) => v) as Record<string, unknown>);
  const same = (a: unknown, b: unknown) =>
    a === b ||
    (a instanceof Date && b instanceof Date
      ? a.getTime() === b.getTime()
      : JSON.stringify(a) === JSON.stringify(b));
  const set = Object.fromEntries(
    Object.entries(all).filter(
      ([c]) => c === 'version' || c === 'updated_at' || rows.some((r, i) => !same(r[c], olds[i]![c])),
    ),
  ) as ColumnTypes;
  const values = items.map(({ claim, before }, i) => ({
    id: claim.id,
    ...Object.fromEntries(Object.keys(set).map((c) => [c, rows[i]![c]])),
    updated_at: now,
    expected_version: before.version,
  }));
  return (await updateJsonRows(db, 'claims', 'id', set, values, { version: 'integer' })) === items.length;
}

/** Rows per INSERT when writing many claims at once (PostgreSQL takes at most 65,535 parameters). */
const insertChunk = 1000;

/** Inserts new claims and their products (one statement per table and chunk of claims). */
/** `createdBy`: the user, or null for the command line (its history names the command). */
export async function insertClaims(
  db: Q,
  cs: ClaimState[],
  createdBy: string | null,
  now: Date,
): Promise<void> {
  for (let i = 0; i < cs.length; i += insertChunk) {
    const chunk = cs.slice(i, i + insertChunk);
    await db
      .insertInto('claims')
      .values(
        chunk.map((c) => ({
          id: c.id,
          organization_id: c.organizationId,
          created_by: createdBy,
          created_at: now,
          updated_at: now,
          ...columns(c),
        })),
      )
      .execute();
    const products = chunk.flatMap(productRows);
    for (let j = 0; j < products.length; j += insertChunk)
      await db
        .insertInto('claim_products')
        .values(products.slice(j, j + insertChunk))
        .execute();
  }
}

/** Writes the claim if its version is still `expectedVersion`; false if someone else won. */
export async function updateClaim(
  db: Q,
  c: ClaimState,
  expectedVersion: number,
  now: Date,
  productsChanged: boolean,
) {
  const res = await db
    .updateTable('claims')
    .set({ ...columns(c), updated_at: now })
    .where('id', '=', c.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  if (productsChanged) {
    await db.deleteFrom('claim_products').where('claim_id', '=', c.id).execute();
    await writeProducts(db, c);
  }
  return true;
}

/**
 * A change beside the claim's own fields (a comment, a document) moves its version, so that
 * the ETag a caller holds goes stale with it; false if the version is no longer `expected`.
 */
export async function moveVersion(db: Q, claimId: string, expected: number, now: Date) {
  const res = await db
    .updateTable('claims')
    .set({ version: expected + 1, updated_at: now })
    .where('id', '=', claimId)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const productRows = (c: ClaimState) =>
  c.products.map((p, i) => ({
    claim_id: c.id,
    position: i,
    product_id: p.productId,
    subscription_id: p.subscriptionId,
  }));

async function writeProducts(db: Q, c: ClaimState) {
  if (c.products.length === 0) return;
  await db.insertInto('claim_products').values(productRows(c)).execute();
}

export interface HistoryInput {
  claimId: string;
  at: Date;
  type: string;
  actorId: string | null;
  actorName: string;
  actorRole: string;
  data: Record<string, unknown>;
}

/**
 * Appends to the claims' hash chains (R-HIST-1, domain/history-chain.ts), events in their
 * order: the claim rows are locked first (in id order), so two transactions never chain onto
 * the same entry (`claimsLocked`: the caller holds them already, e.g. FOR UPDATE with its
 * deadlines); then the last entry of every claim is read at once (one backward index probe per
 * claim) and the entries go in as one INSERT. The database refuses an entry that does not
 * follow the last one (migration 0006).
 */
export async function appendHistory(
  db: Q,
  events: HistoryInput[],
  opts: { claimsLocked?: boolean } = {},
): Promise<void> {
  if (events.length === 0) return;
  const ids = [...new Set(events.map((e) => e.claimId))].sort();
  if (!opts.claimsLocked)
    await db
      .selectFrom('claims')
      .select('id')
      .where('id', 'in', ids)
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
  const last = new Map<string, { seq: number; hash: string }>();
  for (const r of await db
    .selectFrom('claims as c')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('claim_history as h')
          .select(['h.seq', 'h.hash'])
          .whereRef('h.claim_id', '=', 'c.id')
          .orderBy('h.seq', 'desc')
          .limit(1)
          .as('h'),
      (join) => join.onTrue(),
    )
    .select(['c.id as claim_id', 'h.seq', 'h.hash'])
    .where('c.id', 'in', ids)
    .execute())
    last.set(r.claim_id, { seq: r.seq, hash: r.hash });
  const rows = events.map((e) => {
    const before = last.get(e.claimId);
    const row = historyRow(e, (before?.seq ?? 0) + 1, before?.hash ?? null);
    last.set(e.claimId, { seq: row.seq, hash: row.hash });
    return row;
  });
  for (let i = 0; i < rows.length; i += insertChunk)
    await db
      .insertInto('claim_history')
      .values(rows.slice(i, i + insertChunk))
      .execute();
}

/** The row of a history entry that follows `prevHash` at `seq`, with its hash. */
function historyRow(e: HistoryInput, seq: number, prevHash: string | null) {
  const actor = { id: e.actorId, name: e.actorName, role: e.actorRole };
  const hash = entryHash(prevHash, { claimId: e.claimId, seq, at: e.at, type: e.type, actor, data: e.data });
  return {
    claim_id: e.claimId,
    at: e.at,
    type: e.type,
    actor_id: e.actorId,
    actor_name: e.actorName,
    actor_role: e.actorRole,
    data: json(e.data),
    seq,
    prev_hash: prevHash,
    hash,
  };
}

/**
 * The first entry of each of these claims' chains (seq 1, no previous hash), inserted together:
 * the claims are new in the caller's transaction, so no other can chain onto them meanwhile.
 */
export async function appendFirstHistory(db: Q, events: HistoryInput[]): Promise<void> {
  const rows = events.map((e) => historyRow(e, 1, null));
  for (let i = 0; i < rows.length; i += insertChunk)
    await db
      .insertInto('claim_history')
      .values(rows.slice(i, i + insertChunk))
      .execute();
}

/** Ends every open deadline of the claim and sets the given ones, in the caller's transaction. */
export function replaceDeadlines(
  db: Q,
  claimId: string,
  deadlines: { kind: string; dueAt: Date }[],
  now: Date,
) {
  return replaceDeadlinesOf(db, [{ claimId, deadlines }], now);
}

/** replaceDeadlines for many claims at once: one UPDATE and one INSERT. */
export async function replaceDeadlinesOf(
  db: Q,
  items: { claimId: string; deadlines: { kind: string; dueAt: Date }[] }[],
  now: Date,
) {
  if (items.length === 0) return;
  await db
    .updateTable('deadlines')
    .set({ cancelled_at: now })
    .where(
      'claim_id',
      'in',
      items.map((i) => i.claimId),
    )
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
  const rows = items.flatMap((i) =>
    i.deadlines.map((d) => ({
      id: randomUUID(),
      claim_id: i.claimId,
      kind: d.kind,
      due_at: d.dueAt,
      created_at: now,
    })),
  );
  for (let k = 0; k < rows.length; k += insertChunk)
    await db
      .insertInto('deadlines')
      .values(rows.slice(k, k + insertChunk))
      .execute();
}

export async function enqueue(db: Q, rows: OutboxMessage[], now: Date) {
  if (rows.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      rows.map((r) => ({
        id: randomUUID(),
        kind: r.kind,
        claim_id: r.claimId,
        payload: json(r.payload),
        created_at: now,
        available_at: now,
      })),
    )
    .execute();
}

/**
 * Serializes, until the transaction ends, every change to the associations of these tenant +
 * product pairs (R-UNIQ-2). The unique indexes cannot see that a whole-product association
 * (no subscription ID) and one named subscription of the same product collide; the lock makes
 * the second approval read the first one's row. Taken in sorted order: no deadlocks.
 */
export async function lockAssociations(db: Q, tenantId: string, productIds: string[]): Promise<void> {
  for (const productId of [...new Set(productIds)].sort()) {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`associations/${tenantId}/${productId}`}, 0))`.execute(
      db,
    );
  }
}

export async function loadProducts(db: Q): Promise<Map<string, CatalogProduct>> {
  const rows = await db.selectFrom('products').selectAll().execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        name: r.name,
        solutionArea: r.solution_area as SolutionArea,
        scope: r.scope,
        dynamics365: r.dynamics365,
        active: r.active,
      },
    ]),
  );
}

/** The tenant as the directory knows it, as three columns of one row (`tenantOf` reads them). */
type TenantColumns = {
  tenant: string | null;
  domains: string[] | null;
  subscriptions: { id: string; product_id: string; expires_at: string | null }[] | null;
};
const tenantColumns = (tenantId: string | null) => sql<TenantColumns>`
  (SELECT t.tenant_id FROM tenants t WHERE t.tenant_id = ${tenantId}) AS tenant,
  (SELECT json_agg(d.domain) FROM tenant_domains d WHERE d.tenant_id = ${tenantId}) AS domains,
  (SELECT json_agg(json_build_object('id', s.id, 'product_id', s.product_id, 'expires_at', s.expires_at))
     FROM tenant_subscriptions s WHERE s.tenant_id = ${tenantId}) AS subscriptions`;
const tenantOf = (tenantId: string | null, row: TenantColumns): KnownTenant | null =>
  tenantId && row.tenant
    ? {
        tenantId,
        domains: row.domains ?? [],
        subscriptions: (row.subscriptions ?? []).map((s) => ({
          id: s.id,
          productId: s.product_id,
          expiresAt: s.expires_at === null ? null : new Date(s.expires_at),
        })),
      }
    : null;

/** The tenant, its domains and subscriptions: one query. */
export async function loadTenant(db: Q, tenantId: string | null): Promise<KnownTenant | null> {
  if (!tenantId) return null;
  const { rows } = await sql<TenantColumns>`SELECT ${tenantColumns(tenantId)}`.execute(db);
  return tenantOf(tenantId, rows[0]!);
}

/**
 * What a claim's rules read besides the catalog, in one query (issue 14 point 2: it was five
 * round trips): the tenant as the directory knows it, the organization's MPN IDs, and what of
 * it the platform admin disabled (issue 13 point 10, migration 0016).
 */
export async function ruleFacts(db: Q, tenantId: string | null, organizationId: string) {
  const { rows } = await sql<
    TenantColumns & {
      organization_disabled: boolean | null;
      locations: { mpn_id: string; disabled: boolean }[] | null;
    }
  >`SELECT ${tenantColumns(tenantId)},
      (SELECT o.disabled_at IS NOT NULL FROM organizations o WHERE o.id = ${organizationId}) AS organization_disabled,
      (SELECT json_agg(json_build_object('mpn_id', l.mpn_id, 'disabled', l.disabled_at IS NOT NULL))
         FROM partner_locations l WHERE l.organization_id = ${organizationId}) AS locations`.execute(db);
  const row = rows[0]!;
  const locations = row.locations ?? [];
  const organization = row.organization_disabled === true;
  return {
    tenant: tenantOf(tenantId, row),
    organizationMpnIds: locations.map((l) => l.mpn_id),
    disabled: {
      organization,
      mpnIds: locations.filter((l) => organization || l.disabled).map((l) => l.mpn_id),
    },
  };
}

/** The tenants the directory knows among these ids (a bulk import reads them at once). */
export async function loadTenants(db: Q, tenantIds: string[]): Promise<Map<string, KnownTenant>> {
  const known = new Map<string, KnownTenant>();
  for (let i = 0; i < tenantIds.length; i += insertChunk) {
    const ids = tenantIds.slice(i, i + insertChunk);
    const tenants = await db
      .selectFrom('tenants')
      .select('tenant_id')
      .where('tenant_id', 'in', ids)
      .execute();
    if (tenants.length === 0) continue;
    const found = tenants.map((t) => t.tenant_id);
    const [domains, subs] = await Promise.all([
      db
        .selectFrom('tenant_domains')
        .select(['tenant_id', 'domain'])
        .where('tenant_id', 'in', found)
        .execute(),
      db.selectFrom('tenant_subscriptions').selectAll().where('tenant_id', 'in', found).execute(),
    ]);
    for (const tenantId of found) known.set(tenantId, { tenantId, domains: [], subscriptions: [] });
    for (const d of domains) known.get(d.tenant_id)?.domains.push(d.domain);
    for (const s of subs)
      known
        .get(s.tenant_id)
        ?.subscriptions.push({ id: s.id, productId: s.product_id, expiresAt: s.expires_at });
  }
  return known;
}

export async function loadHolidays(db: Q): Promise<string[]> {
  const rows = await db.selectFrom('holidays').select('date').execute();
  return rows.map((r) => r.date);
}

/** The organization's name and language, as a claim's mail shows them. */
export function organizationOfClaim(db: Q, organizationId: string) {
  return db
    .selectFrom('organizations')
    .select(['name', 'language'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
}

export async function insertComment(db: Q, row: Insertable<CommentsTable>) {
  await db.insertInto('comments').values(row).execute();
}

export type CommentRow = Selectable<CommentsTable>;

/** A claim's comments, oldest first, a page at a time (the key: the instant written). */
export function commentsOf(db: Q, claimId: string, page: RowsAfter): Promise<CommentRow[]> {
  let q = db
    .selectFrom('comments')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('seq')
    .limit(page.limit);
  if (page.after) q = q.where('seq', '>', page.after.k);
  return q.execute();
}

/** One comment of a claim. */
export function commentOfClaim(db: Q, claimId: string, commentId: string) {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('claim_id', '=', claimId)
    .where('id', '=', commentId)
    .executeTakeFirst();
}

/** A claim's history, oldest first (R-HIST-1); a page after a sequence number when asked. */
export function historyOf(db: Q, claimId: string, page?: { afterSeq?: number; limit: number }) {
  let q = db.selectFrom('claim_history').selectAll().where('claim_id', '=', claimId).orderBy('seq');
  if (page?.afterSeq !== undefined) q = q.where('seq', '>', page.afterSeq);
  if (page) q = q.limit(page.limit);
  return q.execute();
}

/** Every claim's history in (claim, seq) order, a page at a time after `after` (verify-history). */
export function historyPageAfter(db: Q, after: { claimId: string; seq: number } | null, limit: number) {
  let q = db.selectFrom('claim_history').selectAll();
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('claim_id', '>', after.claimId),
        eb.and([eb('claim_id', '=', after.claimId), eb('seq', '>', after.seq)]),
      ]),
    );
  return q.orderBy('claim_id').orderBy('seq').limit(limit).execute();
}

/** How many history entries there are (a progress bar's total). */
export async function historyCount(db: Q): Promise<number> {
  const row = await db
    .selectFrom('claim_history')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The latest history entries of these types, newest first. */
export function latestHistoryOfTypes(db: Q, claimId: string, types: string[]) {
  return db
    .selectFrom('claim_history')
    .select(['at', 'type', 'actor_name', 'actor_role', 'data'])
    .where('claim_id', '=', claimId)
    .where('type', 'in', types)
    .orderBy('id', 'desc')
    .execute();
}

/** What the API shows of each claim beyond its state: organization name, created and updated. */
export function claimsMeta(db: Q, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('claims')
    .innerJoin('organizations', 'organizations.id', 'claims.organization_id')
    .select([
      'claims.id',
      'claims.created_at',
      'claims.updated_at',
      'organizations.name',
      'organizations.language',
    ])
    .where('claims.id', 'in', ids)
    .execute();
}

/** The orders of the claim list (issue 13 point 9), each keyset-paged on (key, id). */
// No order by last change: an index on updated_at, which every claim write moves, would make
// every update of a claim a non-HOT one (docs/decisions.md, migration 0018c).
export const claimSorts = ['newest', 'oldest', 'due'] as const;
export type ClaimSort = (typeof claimSorts)[number];

/** What narrows the claim list (and its count). */
export interface ClaimFilterQuery {
  /** Only this organization's claims; null for every organization. */
  organizationId: string | null;
  status?: string[];
  solutionArea?: string;
  tenantId?: string;
  mpnId?: string;
  q?: string;
  /** Only claims whose reviewer SLA of one of these kinds passed by `now`. */
  overdue?: { now: Date; kinds: readonly string[] };
  /** Issue 13 point 2: rejected or ended claims of any of these outcomes (claim-outcome.ts). */
  outcomes?: { status: string; reasons: string[]; not?: boolean }[];
}

export interface ClaimPageQuery extends ClaimFilterQuery {
  sort: ClaimSort;
  /** Keyset: the sort key and id of the last claim of the page before. */
  after?: { at: string; id: string };
  limit: number;
}

// Sorting by due date puts claims without a deadline last: a far-future stand-in keeps the
// keyset cursor a plain (timestamp, id) pair. Written as a literal, the very expression of
// the indexes claims_due and claims_org_due (migration 0012), so that they serve the sort.
const dueKeySql = sql<Date>`${sql.raw(dueKey)}`;

/**
 * Each sort's key and direction, and the indexes that serve it: newest and oldest
 * claims_created / claims_org_created (0001) forwards and backwards, and the status, tenant
 * and MPN ID forms of 0012; due claims_due / claims_org_due (0012).
 */
const sortKeys: Record<ClaimSort, { key: ReturnType<typeof sql<Date>>; dir: 'asc' | 'desc' }> = {
  newest: { key: sql<Date>`created_at`, dir: 'desc' },
  oldest: { key: sql<Date>`created_at`, dir: 'asc' },
  due: { key: dueKeySql, dir: 'asc' },
};

/**
 * How many claims a search (`q`) or the overdue filter looks at in the list's order before it
 * reads every claim it matches instead (issue 14 point 3, `pageOfClaimIds`).
 */
export const walkFirst = 2000;

/**
 * One page of claim ids with their sort key, in the order `sort` asks. A search and the
 * overdue filter have no index in the list's order, and the planner, which cannot tell how
 * many claims they match, guesses wrong at a million claims both ways: it walks the order
 * through every claim for a word none holds (4 s), and reads all 200,000 matches of a common
 * word to keep the newest 51 (2 s). So such a page is read in two steps: the first `walkFirst`
 * claims in the list's order, filtered (a common word fills the page there), and when that
 * does not fill it, every matching claim through the search's indexes, sorted (a rare one).
 * Over one organization's claims (a partner's list) the one query is faster and kept: its
 * index bounds the walk (at a million claims, 5,000 an organization: docs/performance.md).
 * The overdue by creation (no search) skip the walk: they are the older of the claims waiting
 * on a reviewer, behind every newer one, and claims_sla_overdue (0022) gives them all at once.
 */
export async function pageOfClaimIds(db: Q, f: ClaimPageQuery): Promise<{ id: string; k: Date }[]> {
  if (!twoSteps(f)) return claimPageQuery(db, f).execute();
  if (f.overdue && !f.q && f.sort !== 'due') return claimPageQuery(db, f, 'matches').execute();
  const walked = await claimPageQuery(db, f, 'walk').execute();
  if (walked.length >= f.limit) return walked;
  return claimPageQuery(db, f, 'matches').execute();
}

/**
 * A partner's list (one organization's claims) walks that organization's indexes in the list's
 * order, never a bitmap of all its claims then a sort. The planner cannot weigh the row-level
 * security condition (current_setting() comparisons: 1 % of the rows at a guess), so it
 * expects 50 of an organization's 5,000 claims to pass any filter and reads them all, sorted
 * (36-44 ms at a million claims for a solution area, the due order, a search), where the walk
 * stops at the page's 51st (1-4 ms; docs/performance.md). Nor a sequential scan (which the
 * same guess picks on a small table): an organization's indexes serve every filter and order.
 * And no JIT compilation, which the cost of a disabled scan elsewhere in the query (the
 * organizations' names of a search) sets off: 250 ms of compiling for a 3 ms query.
 * The settings of the list's transaction (withCaller's `plan`, sent with its BEGIN: no round
 * trip of their own); the other lists and reads plan as before.
 */
export const listPlan = (f: ClaimFilterQuery): PlanSettings =>
  f.organizationId ? { enable_bitmapscan: 'off', enable_seqscan: 'off', jit: 'off' } : {};

/** Whether `pageOfClaimIds` reads this page in two steps: a search or overdue over every organization. */
export const twoSteps = (f: ClaimFilterQuery) => Boolean(f.q || f.overdue) && !f.organizationId;

/**
 * The queries of `pageOfClaimIds` (tests EXPLAIN them): each filter and sort is served by an
 * index of migrations 0001, 0012 and 0018; `q` by the trigram indexes. `walk`: only the first
 * `walkFirst` claims of the other filters, in order; `matches`: every claim the filters keep
 * (a subquery with OFFSET 0, which the planner plans on its own: it must not walk the order
 * hoping to stop early; cheaper than a MATERIALIZED CTE, 10 vs 16 ms for 32,000), then sorted.
 */
export function claimPageQuery(db: Q, f: ClaimPageQuery, how: 'plain' | 'walk' | 'matches' = 'plain') {
  const { key, dir } = sortKeys[f.sort];
  const page = (from: ReturnType<typeof filteredClaims>) => {
    let q = from.select(['id', key.as('k')]);
    if (f.after) {
      const c = f.after;
      q =
        dir === 'asc'
          ? q.where(sql<boolean>`(${key}, id) > (${c.at}::timestamptz, ${c.id})`)
          : q.where(sql<boolean>`(${key}, id) < (${c.at}::timestamptz, ${c.id})`);
    }
    return q;
  };
  if (how === 'plain') return page(filteredClaims(db, f)).orderBy(key, dir).orderBy('id', dir).limit(f.limit);
  if (how === 'matches')
    return db
      .selectFrom(page(filteredClaims(db, f)).offset(0).as('m'))
      .select(['id', 'k'])
      .orderBy('k', dir)
      .orderBy('id', dir)
      .limit(f.limit);
  // The walk: the other filters' first claims in order (their index), then the search on those.
  const first = page(ordinaryFilters(db, f))
    .select(['name', 'domain', 'organization_id', 'mpn_id', 'due_at'])
    .orderBy(key, dir)
    .orderBy('id', dir)
    .limit(walkFirst);
  let walked = db.selectFrom(first.as('w')).select(['id', 'k']);
  for (const c of searchConditions(db, f)) walked = walked.where(c);
  return walked.orderBy('k', dir).orderBy('id', dir).limit(f.limit);
}

/** The claims the filters keep (nothing selected yet). */
function filteredClaims(db: Q, f: ClaimFilterQuery) {
  let q = ordinaryFilters(db, f);
  for (const c of searchConditions(db, f)) q = q.where(c);
  return q;
}

/** The claims the filters served by the list's indexes keep: all but the search and overdue's passed SLA. */
function ordinaryFilters(db: Q, f: ClaimFilterQuery) {
  let q = db.selectFrom('claims');
  if (f.organizationId) q = q.where('organization_id', '=', f.organizationId);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.solutionArea) q = q.where('solution_area', '=', f.solutionArea);
  if (f.tenantId) q = q.where('tenant_id', '=', f.tenantId);
  if (f.mpnId) q = q.where('mpn_id', '=', f.mpnId);
  // Overdue's first half: the claims waiting on a reviewer SLA (the condition of
  // claims_sla_overdue, 0022); whether it has passed is the second half (searchConditions).
  if (f.overdue) q = q.where('due_kind', 'in', [...f.overdue.kinds]);
  const outcomes = f.outcomes;
  if (outcomes?.length)
    q = q.where((eb) =>
      eb.or(
        outcomes.map((o) =>
          eb.and([
            eb('status', '=', o.status),
            o.not
              ? eb.or([eb('status_reason', 'is', null), eb('status_reason', 'not in', o.reasons)])
              : eb('status_reason', 'in', o.reasons),
          ]),
        ),
      ),
    );
  return q;
}

/** The search (`q`) and the overdue filter, on the columns of claims (of the table or of a walk). */
function searchConditions(db: Q, f: ClaimFilterQuery) {
  const conditions: RawBuilder<boolean>[] = [];
  if (f.q) {
    const text = f.q.trim();
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    // The claim's name or customer domain (trigram indexes), its partner's name (the few
    // organizations of that name, through claims_org_created) or, for 6 to 8 digits, its MPN ID
    // (claims_mpn_created): the reviewer's queue searches by partner (issue 13 point 9).
    const partners = db
      .selectFrom('organizations')
      .select('organizations.id')
      .where('organizations.name', 'ilike', like);
    const mpn = /^[0-9]{6,8}$/.test(text) ? sql` OR mpn_id = ${text}` : sql``;
    conditions.push(
      sql<boolean>`(name ILIKE ${like} OR domain ILIKE ${like} OR organization_id = any(array(${partners}))${mpn})`,
    );
  }
  // Overdue from the due instant on, as the scheduler fires it (src/deadlines/), the SLA kinds
  // kept by ordinaryFilters: claims_sla_overdue (0022) reads just the passed ones.
  if (f.overdue) conditions.push(sql<boolean>`due_at <= ${f.overdue.now}`);
  return conditions;
}

/**
 * How many claims the filters keep, counted up to `cap` and no further (issue 13 point 9: a
 * total for any filter set without reading a million rows): `cap + 1` rows at most are read,
 * in the newest-first order the list's indexes serve. Tests EXPLAIN it.
 */
export function claimCountQuery(
  db: Q,
  f: ClaimFilterQuery,
  cap: number,
  how: 'plain' | 'matches' = twoSteps(f) ? 'matches' : 'plain',
) {
  if (how === 'matches')
    // A reviewer's search or overdue count: the planner would walk claims_created to the end
    // for a word no claim holds (5 s at a million). Its matches through their indexes
    // (MATERIALIZED: planned without the LIMIT), read only up to the cap.
    return db
      .with(
        (w) => w('m').materialized(),
        () => filteredClaims(db, f).select(sql<number>`1`.as('one')),
      )
      .selectFrom((eb) =>
        eb
          .selectFrom('m')
          .select('one')
          .limit(cap + 1)
          .as('upto'),
      )
      .select((eb) => eb.fn.countAll<string>().as('n'));
  const upTo = filteredClaims(db, f)
    .select(sql<number>`1`.as('one'))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(cap + 1);
  return db.selectFrom(upTo.as('upto')).select((eb) => eb.fn.countAll<string>().as('n'));
}

export async function countClaimsUpTo(db: Q, f: ClaimFilterQuery, cap: number): Promise<number> {
  const row = await claimCountQuery(db, f, cap).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The claims by status, counted from claim_counts (migration 0013) without reading a claim:
 * the organization's, or every one the caller sees (null).
 */
export function claimCountsQuery(db: Q, organizationId: string | null) {
  let q = db
    .selectFrom('claim_counts')
    .select(['status', sql<string>`sum(n)`.as('n')])
    .groupBy('status')
    .having(sql`sum(n)`, '<>', 0);
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  return q;
}

export async function claimCountsByStatus(db: Q, organizationId: string | null = null) {
  const rows = await claimCountsQuery(db, organizationId).execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

/**
 * Folds claim_counts into one row per organization and status (the scheduler, now and then).
 * Rows appended meanwhile by transactions not yet committed are left for the next time.
 */
export async function compactClaimCounts(db: Q): Promise<void> {
  await sql`WITH gone AS (DELETE FROM claim_counts RETURNING organization_id, status, n)
    INSERT INTO claim_counts (organization_id, status, n)
    SELECT organization_id, status, sum(n) FROM gone GROUP BY organization_id, status
    HAVING sum(n) <> 0`.execute(db);
}

/** R-UNIQ-5: other organizations' claims in these statuses on any of these products of the tenant. */
export async function competingClaimIds(
  db: Q,
  claim: { tenantId: string; organizationId: string; productIds: string[] },
  statuses: readonly string[],
): Promise<string[]> {
  const rows = await db
    .selectFrom('claim_products as cp')
    .innerJoin('claims as c', 'c.id', 'cp.claim_id')
    .select(['c.id'])
    .distinct()
    .where('c.tenant_id', '=', claim.tenantId)
    .where('c.organization_id', '!=', claim.organizationId)
    .where('c.status', 'in', [...statuses])
    .where('cp.product_id', 'in', claim.productIds)
    .execute();
  return rows.map((r) => r.id);
}
