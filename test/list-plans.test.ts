// Issue 14 point 3: every filter and sort of the claim list is served by an index. On a
// generated set of claims (PostgreSQL, statistics fresh, sequential scans allowed), the plan of
// each list query, as the application sends it under row-level security, reads claims
// through an index: no sequential scan of claims. PostgreSQL only: its planner is the one
// that must choose the indexes at scale (PGlite is the embedded, single-user database).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeDatabase, type Database } from '../src/db/database.js';
import { withCaller, type Caller } from '../src/db/transaction.js';
import {
  claimCountsByStatus,
  claimCountsQuery,
  claimCountQuery,
  claimPageQuery,
  countClaimsUpTo,
  pageOfClaimIds,
  listPlan,
  twoSteps,
  type ClaimFilterQuery,
  type ClaimPageQuery,
} from '../src/claims/claims-repository.js';
import { claimCountCap } from '../src/claims/claims-queries.js';
import { reviewQueueStatuses } from '../src/domain/claim.js';
import { claimsByStatus } from '../src/ops/ops-repository.js';
import { slaKinds } from '../src/domain/claim-deadlines.js';
import { generate } from '../src/demo/generate.js';
import { insertMissingProducts } from '../src/catalog/catalog-repository.js';
import { defaultCatalog } from '../src/catalog/catalog-data.js';
import { limitsOf, testConfig } from '../src/config.js';
import { freshDatabase, type TestDatabase } from './harness.js';
import { localStorage } from '../src/storage/storage.js';

const claims = 20_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The nodes that read the claims table in a plan: their type, and their index if any. */
function claimsScans(node: PlanNode): string[] {
  const own =
    node['Relation Name'] === 'claims'
      ? [node['Index Name'] ? `${node['Node Type']} ${node['Index Name']}` : node['Node Type']]
      : [];
  return [...own, ...(node.Plans ?? []).flatMap(claimsScans)];
}

/** The plan of an EXPLAIN (FORMAT JSON) answer. */
const planOf = (row: unknown) => (row as { 'QUERY PLAN': [{ Plan: PlanNode }] })['QUERY PLAN'][0].Plan;

describe.skipIf(!process.env.TEST_DATABASE_URL)('claim list plans at scale (PostgreSQL)', () => {
  let database: TestDatabase;
  let dir = '';
  let app: Database;
  let sample: {
    organization_id: string;
    tenant_id: string;
    mpn_id: string;
    domain: string;
    created_at: Date;
    id: string;
  };
  const now = new Date();

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    await insertMissingProducts(database.db, defaultCatalog);
    dir = await mkdtemp(join(tmpdir(), 'cpor-plans-'));
    await generate(database.db, localStorage(dir), {
      claims,
      due: 0,
      now,
      limits: limitsOf(testConfig()),
      timeZone: 'UTC',
      holidays: [],
    });
    await sql`ANALYZE`.execute(database.db);
    app = runtimeDatabase(database.db);
    const { rows } = await sql<typeof sample>`
      SELECT organization_id, tenant_id, mpn_id, domain, created_at, id FROM claims
      WHERE tenant_id IS NOT NULL ORDER BY created_at DESC LIMIT 1 OFFSET 500`.execute(database.db);
    sample = rows[0]!;
  }, 300_000);
  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cases = (): [string, Partial<ClaimPageQuery>][] => [
    ['newest', {}],
    ['by due date', { sort: 'due' }],
    ['one status', { status: ['approved'] }],
    ['a rare status', { status: ['disputed'] }],
    ['two statuses', { status: ['submitted', 'in_review'] }],
    ['a status by due date', { status: ['in_review'], sort: 'due' }],
    ['solution area', { solutionArea: 'business_applications' }],
    ['tenant', { tenantId: sample.tenant_id }],
    ['tenant by due date', { tenantId: sample.tenant_id, sort: 'due' }],
    ['MPN ID', { mpnId: sample.mpn_id }],
    ['search by name', { q: 'migration' }],
    ['search by domain', { q: sample.domain.split('.')[0]! }],
    ['search, two letters', { q: 'ro' }],
    ['search by partner name or MPN ID', { q: sample.mpn_id }],
    ['overdue', { overdue: { now, kinds: slaKinds } }],
    ['overdue by due date', { overdue: { now, kinds: slaKinds }, sort: 'due' }],
    ['next page, newest', { after: { at: sample.created_at.toISOString(), id: sample.id } }],
    ['next page, by due date', { sort: 'due', after: { at: '2026-01-01T00:00:00.000Z', id: sample.id } }],
    [
      'next page of a status',
      { status: ['approved'], after: { at: sample.created_at.toISOString(), id: sample.id } },
    ],
    // Issue 13 point 9: oldest first.
    ['oldest first', { sort: 'oldest' }],
    [
      'next page, oldest first',
      { sort: 'oldest', after: { at: sample.created_at.toISOString(), id: sample.id } },
    ],
    ['a status oldest first', { status: ['approved'], sort: 'oldest' }],
    ['tenant oldest first', { tenantId: sample.tenant_id, sort: 'oldest' }],
    ['MPN ID oldest first', { mpnId: sample.mpn_id, sort: 'oldest' }],
    ['search oldest first', { q: 'migration', sort: 'oldest' }],
    // The review queue: its statuses, a solution area, a search, in each order.
    ...(['due', 'oldest', 'newest'] as const).flatMap((sort): [string, Partial<ClaimPageQuery>][] => [
      [`the queue, ${sort}`, { status: [...reviewQueueStatuses], sort }],
      [
        `the queue of an area, ${sort}`,
        { status: [...reviewQueueStatuses], solutionArea: 'microsoft_365', sort },
      ],
      [`the queue searched, ${sort}`, { status: [...reviewQueueStatuses], q: 'migration', sort }],
    ]),
  ];

  const callers = (): [string, Caller, string | null][] => [
    ['a reviewer', { scope: 'staff' }, null],
    ['a partner', { scope: 'partner', organizationId: sample.organization_id }, sample.organization_id],
  ];

  it('no list query of a reviewer or a partner scans the claims table', async () => {
    const scans: string[] = [];
    for (const [who, caller, organizationId] of callers())
      for (const [name, f] of cases()) {
        const query: ClaimPageQuery = { organizationId, sort: 'newest', limit: 51, ...f };
        // A search or overdue page is read in two steps (pageOfClaimIds): the walk of the
        // list's order, then every match; each must be served by an index.
        // The matches step runs when few claims match: the planner, which cannot know that of a
        // search, may scan 20,000 claims rather than read the trigram indexes (at a million it
        // reads them: docs/performance.md); with sequential scans off, an index must serve it.
        const steps = twoSteps(query) ? (['walk', 'matches'] as const) : (['plain'] as const);
        for (const how of steps) {
          const [row] = await withCaller(
            app,
            caller,
            async (tx) => {
              if (how === 'matches') await sql`SET LOCAL enable_seqscan = off`.execute(tx);
              return claimPageQuery(tx, query, how).explain('json');
            },
            listPlan(query),
          );
          const plan = planOf(row);
          const used = claimsScans(plan);
          expect(used.length, `${who}, ${name} (${how}): claims is read`).toBeGreaterThan(0);
          if (used.includes('Seq Scan')) scans.push(`${who}, ${name} (${how}): ${used.join(', ')}`);
          // A partner's list walks its organization's claims in order (listPlan).
          if (organizationId && used.some((u) => u.startsWith('Bitmap')))
            scans.push(`${who}, ${name} (${how}): ${used.join(', ')}`);
        }
      }
    expect(scans).toEqual([]);
  });

  it('the overdue list of a reviewer newest or oldest first, and of a partner, reads the overdue claims from one index alone', async () => {
    // Migration 0022: claims_sla_overdue holds the claims waiting on a reviewer SLA by due
    // instant, with their creation time, id and organization: the overdue (the older of those
    // waiting, behind every newer one) are read from it without a visit to the table.
    for (const sort of ['newest', 'oldest'] as const) {
      const query: ClaimPageQuery = {
        organizationId: null,
        sort,
        limit: 51,
        overdue: { now, kinds: slaKinds },
      };
      const [row] = await withCaller(app, { scope: 'staff' }, (tx) =>
        claimPageQuery(tx, query, 'matches').explain('json'),
      );
      const plan = planOf(row);
      expect(claimsScans(plan), sort).toEqual(['Index Only Scan claims_sla_overdue']);
    }
    // A partner's: its organization's overdue alone, from claims_org_sla_overdue.
    for (const sort of ['newest', 'oldest', 'due'] as const) {
      const query: ClaimPageQuery = {
        organizationId: sample.organization_id,
        sort,
        limit: 51,
        overdue: { now, kinds: slaKinds },
      };
      const [row] = await withCaller(
        app,
        { scope: 'partner', organizationId: sample.organization_id },
        (tx) => claimPageQuery(tx, query).explain('json'),
        listPlan(query),
      );
      const plan = planOf(row);
      expect(claimsScans(plan), `a partner, ${sort}`).toEqual(['Index Only Scan claims_org_sla_overdue']);
    }
    // The generated claims hold overdue ones, and claims waiting on an SLA not yet passed.
    const { rows } = await sql<{ overdue: number; waiting: number }>`
      SELECT count(*) FILTER (WHERE due_at <= ${now})::int AS overdue,
             count(*) FILTER (WHERE due_at > ${now})::int AS waiting
      FROM claims WHERE due_kind IN (${sql.join([...slaKinds])})`.execute(database.db);
    expect(rows[0]!.overdue).toBeGreaterThan(0);
    expect(rows[0]!.waiting).toBeGreaterThan(0);
  });

  it('a search or overdue page read in two steps is the page the one query reads', async () => {
    // pageOfClaimIds walks the list's order first and reads every match when that does not
    // fill the page: both ways must give the very page (and the next one) of the plain query.
    let walkedFull = 0;
    let matched = 0;
    for (const [who, caller, organizationId] of callers())
      for (const [name, f] of [
        ...cases().filter(([, f]) => f.q || f.overdue),
        ['a rare word', { q: 'zzqx' }],
        ['a word of a few claims', { q: sample.domain.slice(0, 9) }],
      ] as [string, Partial<ClaimPageQuery>][]) {
        const query: ClaimPageQuery = { organizationId, sort: 'newest', limit: 51, ...f };
        await withCaller(app, caller, async (tx) => {
          const plain = await claimPageQuery(tx, query).execute();
          if (twoSteps(query)) {
            const walk = await claimPageQuery(tx, query, 'walk').execute();
            if (walk.length >= query.limit) walkedFull += 1;
            else matched += 1;
          }
          const paged = await pageOfClaimIds(tx, query);
          expect(
            paged.map((r) => r.id),
            `${who}, ${name}`,
          ).toEqual(plain.map((r) => r.id));
          const last = plain[plain.length - 1];
          if (!last || f.after) return;
          const next = { ...query, after: { at: new Date(last.k).toISOString(), id: last.id } };
          expect(
            (await pageOfClaimIds(tx, next)).map((r) => r.id),
            `${who}, ${name}, next page`,
          ).toEqual((await claimPageQuery(tx, next).execute()).map((r) => r.id));
        });
      }
    // Both steps were taken: some pages filled by the walk, some by the matches.
    expect(walkedFull).toBeGreaterThan(0);
    expect(matched).toBeGreaterThan(0);
  });

  it('no count of a filter set (GET /claims/count) scans the claims table, and each stops at its cap', async () => {
    // The cap is 1% of the million claims the project must hold: 1% of the claims here, so that
    // the planner weighs the same share of the table.
    const cap = (claims * claimCountCap) / 1_000_000;
    const scans: string[] = [];
    for (const [who, caller, organizationId] of callers())
      for (const [name, f] of cases()) {
        if (f.after) continue;
        const query: ClaimFilterQuery = { organizationId, ...f };
        // A reviewer's search or overdue count reads the matches (claimCountQuery): with
        // sequential scans off, as the matches step of a page above, an index must serve it;
        // and it counts what the one query counts.
        const [row] = await withCaller(
          app,
          caller,
          async (tx) => {
            if (!twoSteps(query)) return claimCountQuery(tx, query, cap).explain('json');
            const counted = async (how: 'plain' | 'matches') =>
              Number((await claimCountQuery(tx, query, cap, how).executeTakeFirstOrThrow()).n);
            expect(await counted('matches'), `${who}, ${name}: the count`).toBe(await counted('plain'));
            await sql`SET LOCAL enable_seqscan = off`.execute(tx);
            return claimCountQuery(tx, query, cap).explain('json');
          },
          listPlan(query),
        );
        const plan = planOf(row);
        const used = claimsScans(plan);
        expect(used.length, `${who}, ${name}: claims is read`).toBeGreaterThan(0);
        if (used.includes('Seq Scan')) scans.push(`${who}, ${name}: ${used.join(', ')}`);
      }
    expect(scans).toEqual([]);
    // The cap holds: of all the claims, 10,000 are counted and one more read to know there are more.
    const upTo = await withCaller(app, { scope: 'staff' }, (tx) =>
      countClaimsUpTo(tx, { organizationId: null }, claimCountCap),
    );
    expect(upTo).toBe(claimCountCap + 1);
    expect(claims).toBeGreaterThan(claimCountCap);
  });

  it('the counts by status (dashboard, /metrics) read no claim and agree with the claims', async () => {
    const truth = await sql<{ status: string; n: number }>`
      SELECT status, count(*)::int AS n FROM claims GROUP BY status ORDER BY status`.execute(database.db);
    const staff = await withCaller(app, { scope: 'staff' }, (tx) => claimsByStatus(tx));
    expect(staff.sort((a, b) => a.status.localeCompare(b.status))).toEqual(truth.rows);
    const own = await sql<{ status: string; n: number }>`
      SELECT status, count(*)::int AS n FROM claims WHERE organization_id = ${sample.organization_id}
      GROUP BY status ORDER BY status`.execute(database.db);
    const partner = await withCaller(
      app,
      { scope: 'partner', organizationId: sample.organization_id },
      (tx) => claimCountsByStatus(tx),
    );
    expect(partner.sort((a, b) => a.status.localeCompare(b.status))).toEqual(own.rows);
    const [row] = await withCaller(app, { scope: 'staff' }, (tx) =>
      claimCountsQuery(tx, null).explain('json'),
    );
    const plan = planOf(row);
    expect(claimsScans(plan)).toEqual([]);
  });
});
