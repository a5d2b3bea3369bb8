// `cpor generate --claims N [--due M]` (api.md "Command line", issue 14 point 3): realistic
// organizations, users, tenants and claims in every status, for benchmarks. Each claim lives
// its life in memory through THE transition table (domain/claim-transitions.ts) as the people
// and the clock of the real program would move it: created, PoE added, submitted, reviewed,
// decided, disputed, disassociated; the deadlines that fell due on the way fire as the
// scheduler fires them (SLA markers, consent completed, dispute window closed, no partner
// response). What it leaves is written as the commands write it (claim, products, documents,
// hash-chained history, deadlines, associations), thousands of rows per statement, as the
// owner. `due` adds approved claims whose consent windows have passed, for the scheduler.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../db/database.js';
import type { Limits } from '../domain/limits.js';
import type { Storage } from '../storage/storage.js';
import { systemActor, roleLabel, type Actor, type Role } from '../domain/actor.js';
import { businessCalendar, type BusinessCalendar } from '../domain/calendar.js';
import { slaKinds, type DeadlineKind } from '../domain/claim-deadlines.js';
import { deadlineAction, transition, type Action, type Payload } from '../domain/claim-transitions.js';
import { completenessErrors, consistencyErrors } from '../domain/claim-rules.js';
import {
  activitiesBySolutionArea,
  informationReasons,
  newDraft,
  reviewerRejectionReasons,
  type CatalogProduct,
  type ClaimState,
  type KnownTenant,
  type Status,
} from '../domain/claim.js';
import { DomainError } from '../domain/errors.js';
import { entryHash } from '../domain/history-chain.js';
import { applyInput, type ClaimInput } from '../claims/commands/claim-input.js';
import { hashPassword } from '../people/passwords.js';
import { takenMpnIds } from '../people/people-repository.js';
import { claimColumns, loadProducts, productRows } from '../claims/claims-repository.js';
import { generatedRows, settleGenerated, writeGenerated, type Generated } from './generate-repository.js';

export interface GenerateOptions {
  claims: number;
  due: number;
  /** Claims written per transaction. */
  batch?: number;
  /** Seed of the pseudo-random choices (the ids are random UUIDs whatever it is). */
  seed?: number;
  now: Date;
  limits: Limits;
  timeZone: string;
  holidays: string[];
  progress?: (claims: number) => void;
}

export interface GenerateReport {
  organizations: number;
  users: number;
  tenants: number;
  claims: number;
  byStatus: Record<string, number>;
  history: number;
  associations: number;
  deadlinesDue: number;
  /** The password of every generated user (they sign in with it, e.g. for `npm run bench`). */
  password: string;
}

export const generatedPassword = 'generated-password-1';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** The statuses a claim is generated towards, and how often (of 100). */
const mix: [Status, number][] = [
  ['draft', 8],
  ['submitted', 10],
  ['in_review', 10],
  ['partner_action_required', 6],
  ['approved', 40],
  ['rejected', 15],
  ['disputed', 3],
  ['ended', 8],
];

/** mulberry32: a small seeded generator, so that a seed gives the same data set. */
function randomOf(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof randomOf>;

interface Org {
  id: string;
  name: string;
  mpnIds: string[];
  writers: Actor[];
}

interface Tenant extends KnownTenant {
  n: number;
}

/** Loads the data set; resolves to what was written. */
export async function generate(
  owner: Database,
  storage: Storage,
  opts: GenerateOptions,
): Promise<GenerateReport> {
  const rnd = randomOf(opts.seed ?? 1);
  const run = randomUUID().slice(0, 8);
  const calendar = businessCalendar(opts.timeZone, opts.holidays);
  // The catalog as the database holds it (products an admin retired are not claimed).
  const catalog = new Map([...(await loadProducts(owner))].filter(([, p]) => p.active));
  const products = [...catalog.values()];
  if (!products.some((p) => p.scope === 'workload')) throw new Error('the catalog has no active product');
  const total = opts.claims + opts.due;
  const password = await hashPassword(generatedPassword);
  const world = await people(owner, rnd, run, total, password);
  const tenants = makeTenants(rnd, run, Math.max(5, Math.ceil(total / 3)), products);
  const poe = await storePoe(storage);
  const report: GenerateReport = {
    organizations: world.orgs.length,
    users: world.users.length,
    tenants: tenants.length,
    claims: 0,
    byStatus: {},
    history: 0,
    associations: 0,
    deadlinesDue: 0,
    password: generatedPassword,
  };
  await writeGenerated(owner, {
    ...generatedRows(),
    organizations: world.orgs.map((o) => ({ id: o.id, name: o.name, language: 'en', created_at: opts.now })),
    partner_locations: world.locations,
    users: world.users,
    tenants: tenants.map((t) => ({ tenant_id: t.tenantId, updated_at: opts.now })),
    tenant_domains: tenants.flatMap((t) => t.domains.map((domain) => ({ tenant_id: t.tenantId, domain }))),
    tenant_subscriptions: tenants.flatMap((t) =>
      t.subscriptions.map((s) => ({
        id: s.id,
        tenant_id: t.tenantId,
        product_id: s.productId,
        expires_at: null,
      })),
    ),
  });
  const held = new Set<string>();
  const life = new Life(opts, calendar, catalog, poe);
  const batch = opts.batch ?? 2000;
  // Two batches in flight: the next one is lived in memory while the database writes the last.
  const writing: Promise<void>[] = [];
  for (let start = 0; start < total; start += batch) {
    const rows = generatedRows();
    for (let i = start; i < Math.min(total, start + batch); i++) {
      const due = i >= opts.claims;
      const target: Status = due ? 'approved' : i < mix.length ? mix[i]![0] : weighted(rnd);
      const lived = life.live(rnd, world, tenants, held, target, due);
      lived.write(rows);
      report.byStatus[lived.claim.status] = (report.byStatus[lived.claim.status] ?? 0) + 1;
    }
    report.claims += rows.claims.length;
    report.history += rows.claim_history.length;
    report.associations += rows.associations.length;
    report.deadlinesDue += rows.deadlines.filter(
      (d) => d.fired_at === null && d.cancelled_at === null && (d.due_at as Date) <= opts.now,
    ).length;
    if (writing.length >= 2) await writing.shift();
    const done = report.claims;
    const write = writeGenerated(owner, rows).then(() => opts.progress?.(done));
    write.catch(() => undefined); // awaited below; a failure is thrown there
    writing.push(write);
  }
  await Promise.all(writing);
  await settleGenerated(owner);
  return report;
}

function weighted(rnd: Random): Status {
  let x = rnd.next() * 100;
  for (const [s, w] of mix) if ((x -= w) < 0) return s;
  return 'approved';
}

/** Organizations (1 to 3 partner locations each), their users, and the reviewers. */
async function people(owner: Database, rnd: Random, run: string, total: number, passwordHash: string) {
  const count = Math.max(2, Math.min(1000, Math.ceil(total / 5000)));
  const wanted = new Set<string>();
  // Not from the seed: a second run into the same database must find other MPN IDs free.
  while (wanted.size < count * 4) wanted.add(String(randomInt(10_000_000, 99_999_999)));
  const taken = new Set(await takenMpnIds(owner, [...wanted]));
  const free = [...wanted].filter((m) => !taken.has(m));
  const orgs: Org[] = [];
  const locations: Record<string, unknown>[] = [];
  const users: Record<string, unknown>[] = [];
  const user = (i: string, name: string, roles: Role[], organizationId: string | null): Actor => {
    const id = randomUUID();
    users.push({
      id,
      email: `${i}@${run}.generated.example`,
      name,
      password_hash: passwordHash,
      organization_id: organizationId,
      roles,
      language: null,
      created_at: new Date(),
    });
    return { kind: 'user', id, name, roles, organizationId };
  };
  for (let o = 0; o < count; o++) {
    const id = randomUUID();
    const name = `Generated Partner ${run}-${o + 1}`;
    const mpnIds = free.splice(0, rnd.int(1, 3));
    if (mpnIds.length === 0) throw new Error('no free MPN IDs left; run generate again');
    for (const [j, mpn] of mpnIds.entries())
      locations.push({ mpn_id: mpn, organization_id: id, name: `${name} location ${j + 1}`, country: 'US' });
    orgs.push({ id, name, mpnIds, writers: [] });
  }
  for (const [o, org] of orgs.entries()) {
    org.writers.push(user(`admin-${o + 1}`, `Gina Admin ${o + 1}`, ['global_admin'], org.id));
    org.writers.push(user(`incentives-${o + 1}`, `Ivan Incentives ${o + 1}`, ['incentives_admin'], org.id));
    user(`reader-${o + 1}`, `Rita Reader ${o + 1}`, ['reader'], org.id);
  }
  const reviewers = Array.from({ length: Math.max(2, Math.ceil(count / 10)) }, (_, r) =>
    user(`reviewer-${r + 1}`, `Rui Reviewer ${r + 1}`, ['reviewer'], null),
  );
  return { orgs, locations, users, reviewers };
}
type World = Awaited<ReturnType<typeof people>>;

/** Customer tenants: one or two domains each, and subscriptions of 0 to 3 Business Applications products. */
function makeTenants(rnd: Random, run: string, count: number, catalog: CatalogProduct[]): Tenant[] {
  const bizapps = catalog.filter((p) => p.scope === 'subscription');
  return Array.from({ length: count }, (_, n) => {
    const name = `t${run}${n}`;
    const domains = [`${name}.onmicrosoft.com`, ...(rnd.chance(0.4) ? [`${name}.example`] : [])];
    const products = new Set<string>();
    const subs = rnd.int(0, 3);
    while (bizapps.length > 0 && products.size < Math.min(subs, bizapps.length))
      products.add(rnd.pick(bizapps).id);
    return {
      n,
      tenantId: randomUUID(),
      domains,
      subscriptions: [...products].map((productId) => ({
        id: `sub-${randomUUID()}`,
        productId,
        expiresAt: null,
      })),
    };
  });
}

/** One PoE file, stored once (storage is content-addressed): every generated document holds it. */
async function storePoe(storage: Storage) {
  const text = 'Statement of work (generated for a benchmark)\nSigned by the customer.\n';
  const sha256 = createHash('sha256').update(text).digest('hex');
  const dir = await mkdtemp(join(tmpdir(), 'cpor-generate-'));
  try {
    const path = join(dir, 'poe.txt');
    await writeFile(path, text);
    const key = await storage.put(path, sha256, Buffer.byteLength(text));
    return { key, sha256, size: Buffer.byteLength(text) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type DeadlineRow = {
  id: string;
  claim_id: string;
  kind: string;
  due_at: Date;
  created_at: Date;
  fired_at: Date | null;
  cancelled_at: Date | null;
  fired_by: string | null;
  outcome: string | null;
};

const firedBy = 'cpor generate';

/** The life of one claim, in memory. */
class Life {
  constructor(
    private readonly opts: GenerateOptions,
    private readonly calendar: BusinessCalendar,
    readonly catalog: Map<string, CatalogProduct>,
    readonly poe: { key: string; sha256: string; size: number },
  ) {}

  live(rnd: Random, world: World, tenants: Tenant[], held: Set<string>, target: Status, due: boolean) {
    const { opts } = this;
    const org = rnd.pick(world.orgs);
    const writer = rnd.pick(org.writers);
    const reviewer = rnd.pick(world.reviewers);
    const holds = target === 'approved' || target === 'ended';
    let tenant = rnd.pick(tenants);
    let input = this.input(rnd, org, tenant, holds ? held : null);
    for (let tries = 0; holds && !input && tries < 20; tries++) {
      tenant = rnd.pick(tenants);
      input = this.input(rnd, org, tenant, held);
    }
    if (!input) {
      // Every product of the tenants tried is held: a claim waiting for review instead.
      target = 'in_review';
      input = this.input(rnd, org, tenant, null)!;
    }
    const steps = script(rnd, target, writer, reviewer);
    // The timeline ends `slack` before now: pending claims mostly recent, decided ones older.
    const poe = target !== 'draft' || rnd.chance(0.7) ? rnd.int(5 * minute, 60 * minute) : null;
    const planned = steps.reduce((n, s) => n + s.after, poe ?? 0);
    const pending = ['submitted', 'in_review', 'partner_action_required', 'disputed'].includes(target);
    const slack = due
      ? opts.limits.consentWindowDays * day + rnd.int(1_000, hour)
      : pending
        ? rnd.chance(0.85)
          ? rnd.int(minute, 2 * day)
          : rnd.int(2 * day, 60 * day)
        : target === 'draft'
          ? rnd.int(minute, 30 * day)
          : rnd.int(hour, 500 * day);
    const sim = new Sim(this, randomUUID(), org.id, opts.now.getTime() - slack - planned);
    sim.create(writer, input, this.ruleContext(org, tenant));
    if (poe !== null) sim.addPoe(writer, poe);
    for (const s of steps) if (!sim.step(s)) break;
    if (!due) sim.fireDue(opts.now.getTime());
    if (holds) for (const p of sim.claim.products) held.add(holdKey(tenant.tenantId, p));
    return sim;
  }

  ruleContext(org: Org, tenant: Tenant) {
    return { products: this.catalog, tenant, organizationMpnIds: org.mpnIds };
  }

  ctx(at: number) {
    return { now: new Date(at), limits: this.opts.limits, calendar: this.calendar };
  }

  /** A complete claim's fields; null when `held` leaves no product of the tenant free. */
  private input(rnd: Random, org: Org, tenant: Tenant, held: Set<string> | null): ClaimInput | null {
    const bizapps = tenant.subscriptions.length > 0 && rnd.chance(0.35);
    const free = (p: { productId: string; subscriptionId: string | null }) =>
      !held?.has(holdKey(tenant.tenantId, p));
    const products = bizapps
      ? tenant.subscriptions
          .map((s) => ({ productId: s.productId, subscriptionId: s.id }))
          .filter(free)
          .slice(0, rnd.int(1, 2))
      : pickSome(
          rnd,
          [...this.catalog.values()]
            .filter((p) => p.scope === 'workload')
            .map((p) => ({ productId: p.id, subscriptionId: null }))
            .filter(free),
          rnd.int(1, 3),
        );
    if (products.length === 0) return null;
    const area = bizapps ? 'business_applications' : 'microsoft_365';
    const activity = rnd.pick(activitiesBySolutionArea[area]);
    const domain = rnd.pick(tenant.domains);
    const first = this.catalog.get(products[0]!.productId)?.name ?? 'workload';
    return {
      name: `${first} ${rnd.pick(['rollout', 'adoption', 'migration', 'pilot', 'deployment'])} for ${domain.split('.')[0]} #${tenant.n}`,
      mpnId: rnd.pick(org.mpnIds),
      customer: { domain, tenantId: tenant.tenantId },
      solutionArea: area,
      activity,
      products,
      customerContact: { name: 'Chris Customer', title: 'CIO', email: `chris@${domain}` },
      ...(bizapps || rnd.chance(0.5)
        ? { technicalContact: { name: 'Terry Tech', title: 'IT lead', email: `terry@${domain}` } }
        : {}),
      partnerContact: {
        name: org.writers[0]!.name,
        email: `partner@${org.id.slice(0, 8)}.generated.example`,
      },
      ...(activity === 'revenue_association'
        ? { revenue: { solutionSellerName: org.name, customerName: domain, isvSolutionName: 'Contoso ISV' } }
        : {}),
    };
  }
}

function pickSome<T>(rnd: Random, xs: T[], n: number): T[] {
  const out: T[] = [];
  const pool = [...xs];
  while (out.length < n && pool.length > 0)
    out.push(pool.splice(Math.floor(rnd.next() * pool.length), 1)[0]!);
  return out;
}

/** What one association holds (R-UNIQ-2): the tenant's workload, or the subscription. */
const holdKey = (tenantId: string, p: { productId: string; subscriptionId: string | null }) =>
  p.subscriptionId ? `s/${p.subscriptionId}` : `w/${tenantId}/${p.productId}`;

interface Step {
  who: Actor;
  action: Action;
  payload?: Payload;
  /** Planned time after the previous step (ms); shortened to stay inside a window. */
  after: number;
}

/** The people's actions that bring a claim to `target`. */
function script(rnd: Random, target: Status, writer: Actor, reviewer: Actor): Step[] {
  const partner = (action: Action, payload: Payload, after: number): Step => ({
    who: writer,
    action,
    payload,
    after,
  });
  const submit: Step = { who: writer, action: 'submit', after: rnd.int(hour, 3 * day) };
  const review: Step = { who: reviewer, action: 'start_review', after: rnd.int(hour, 3 * day) };
  const ask = (): Step => ({
    who: reviewer,
    action: 'request_information',
    payload: {
      reasons: pickSome(rnd, [...informationReasons], rnd.int(1, 2)),
      comment: 'Please upload the SOW signed by the customer, with dates.',
    },
    after: rnd.int(hour, 2 * day),
  });
  const respond: Step = { who: writer, action: 'submit', after: rnd.int(hour, 4 * day) };
  const approve: Step = {
    who: reviewer,
    action: 'approve',
    payload: { comment: 'PoE signed and dated.' },
    after: rnd.int(hour, 3 * day),
  };
  const reject: Step = {
    who: reviewer,
    action: 'reject',
    payload: { reason: rnd.pick(reviewerRejectionReasons), comment: 'The PoE does not cover the products.' },
    after: rnd.int(hour, 3 * day),
  };
  const reviewed = rnd.chance(0.2) ? [submit, review, ask(), respond] : [submit, review];
  switch (target) {
    case 'draft':
      return [];
    case 'submitted':
      return [submit];
    case 'in_review':
      return reviewed;
    case 'partner_action_required':
      return [submit, review, ask()];
    case 'approved':
      return [...reviewed, approve];
    case 'rejected':
      return rnd.chance(0.15)
        ? [submit, partner('withdraw', { comment: 'Duplicate claim.' }, rnd.int(hour, day))]
        : [...reviewed, reject];
    case 'disputed':
      return [
        ...reviewed,
        reject,
        partner(
          'dispute',
          { justification: 'Page 2 of the SOW covers these products.' },
          rnd.int(hour, 10 * day),
        ),
      ];
    case 'ended':
      return [
        ...reviewed,
        approve,
        partner(
          'disassociate',
          { reason: 'The customer moved to another partner.' },
          rnd.int(day, 200 * day),
        ),
      ];
  }
}

/** One claim moved through its life, and the rows it leaves. */
class Sim {
  claim: ClaimState;
  private at: number;
  private createdAt = new Date(0);
  private readonly history: Record<string, unknown>[] = [];
  private prevHash: string | null = null;
  private readonly deadlines: DeadlineRow[] = [];
  private readonly associations: Record<string, unknown>[] = [];
  private readonly documents: Record<string, unknown>[] = [];
  private createdBy: string | null = null;

  constructor(
    private readonly life: Life,
    id: string,
    organizationId: string,
    start: number,
  ) {
    this.claim = newDraft(id, organizationId);
    this.at = start;
  }

  create(actor: Actor, input: ClaimInput, rules: Parameters<typeof consistencyErrors>[1]) {
    this.claim = applyInput(this.claim, input);
    // The generator's own check: what it writes must pass the rules a person's claim passes.
    const errors = [...consistencyErrors(this.claim, rules), ...completenessErrors(this.claim, rules)].filter(
      (e) => e.path !== 'documents',
    );
    if (errors.length > 0) throw new Error(`generated claim breaks a rule: ${JSON.stringify(errors)}`);
    this.createdAt = new Date(this.at);
    this.createdBy = actor.id;
    this.append(actor, 'created', { fields: Object.keys(input) });
  }

  addPoe(actor: Actor, after: number) {
    this.at += after;
    const now = new Date(this.at);
    const id = randomUUID();
    const { poe } = this.life;
    this.documents.push({
      id,
      claim_id: this.claim.id,
      file_name: 'statement-of-work.txt',
      content_type: 'text/plain',
      size: poe.size,
      sha256: poe.sha256,
      storage_key: poe.key,
      uploaded_by: actor.id ?? 'system',
      created_at: now,
    });
    this.claim = { ...this.claim, version: this.claim.version + 1, documentCount: 1, latestDocumentAt: now };
    this.append(actor, 'document_added', {
      documentId: id,
      fileName: 'statement-of-work.txt',
      contentType: 'text/plain',
      sha256: poe.sha256,
      size: poe.size,
    });
  }

  /** A person's action; false when the claim cannot take it any more (a deadline moved it on). */
  step(s: Step): boolean {
    let at = this.at + s.after;
    // A window the action must fall in (the partner's answer, the dispute) shortens the wait.
    const closes = this.deadlines.find(
      (d) =>
        !d.fired_at &&
        !d.cancelled_at &&
        ((s.action === 'submit' && d.kind === 'partner_response') ||
          (s.action === 'dispute' && d.kind === 'dispute_window')),
    );
    if (closes) at = Math.min(at, Math.max(this.at + minute, closes.due_at.getTime() - minute));
    this.fireDue(at);
    this.at = Math.max(this.at, at);
    try {
      this.apply(s.who, s.action, s.payload ?? {});
      return true;
    } catch (e) {
      if (e instanceof DomainError) return false;
      throw e;
    }
  }

  /** Fires the claim's deadlines due by `until`, earliest first, as the scheduler does. */
  fireDue(until: number) {
    for (;;) {
      const d = this.deadlines
        .filter((x) => !x.fired_at && !x.cancelled_at && x.due_at.getTime() <= until)
        .sort((a, b) => a.due_at.getTime() - b.due_at.getTime())[0];
      if (!d) return;
      this.at = Math.max(this.at, d.due_at.getTime());
      d.fired_at = new Date(this.at);
      d.fired_by = firedBy;
      const kind = d.kind as DeadlineKind;
      const action = deadlineAction[kind];
      if (action === null || slaKinds.includes(kind)) {
        this.append(systemActor, 'sla_overdue', { kind, dueAt: d.due_at.toISOString(), deadlineId: d.id });
        d.outcome = 'sla_overdue';
        continue;
      }
      try {
        this.apply(systemActor, action, {});
        d.outcome = `${action}: ${this.claim.status}`;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        d.outcome = `refused: ${e.code}`;
      }
    }
  }

  private apply(actor: Actor, action: Action, payload: Payload) {
    const now = new Date(this.at);
    const out = transition(this.claim, action, actor, payload, this.life.ctx(this.at));
    const first = out.events[0];
    const effect = out.associations;
    if (effect && 'create' in effect) {
      const created = out.claim.products.map((p) => {
        const product = this.life.catalog.get(p.productId)!;
        this.associations.push({
          id: randomUUID(),
          claim_id: this.claim.id,
          organization_id: this.claim.organizationId,
          mpn_id: out.claim.mpnId,
          tenant_id: out.claim.tenantId,
          product_id: p.productId,
          subscription_id: product.scope === 'subscription' ? p.subscriptionId : null,
          scope: product.scope,
          since: now,
          expires_at: null,
          ended_at: null,
          end_reason: null,
          consent_state: 'pending',
          consent_completed_at: null,
        });
        return {
          productId: p.productId,
          subscriptionId: product.scope === 'subscription' ? p.subscriptionId : null,
        };
      });
      if (first) first.data = { ...first.data, associations: created, superseded: 0 };
    } else if (effect && 'end' in effect) {
      const ended = this.associations.filter((a) => a.ended_at === null);
      for (const a of ended) Object.assign(a, { ended_at: now, end_reason: effect.end.reason });
      if (first && ended.length > 0)
        first.data = {
          ...first.data,
          endedAssociations: ended.map((a) => ({
            productId: a.product_id,
            subscriptionId: a.subscription_id,
          })),
          endReason: effect.end.reason,
        };
    } else if (effect && 'completeConsent' in effect) {
      for (const a of this.associations)
        if (a.ended_at === null && a.consent_state === 'pending')
          Object.assign(a, { consent_state: 'completed', consent_completed_at: now });
    }
    this.claim = out.claim;
    for (const e of out.events) this.append(actor, e.type, e.data);
    if (out.deadlines !== 'keep') {
      for (const d of this.deadlines) if (!d.fired_at && !d.cancelled_at) d.cancelled_at = now;
      for (const d of out.deadlines)
        this.deadlines.push({
          id: randomUUID(),
          claim_id: this.claim.id,
          kind: d.kind,
          due_at: d.dueAt,
          created_at: now,
          fired_at: null,
          cancelled_at: null,
          fired_by: null,
          outcome: null,
        });
    }
  }

  private append(actor: Actor, type: string, data: Record<string, unknown>) {
    const at = new Date(this.at);
    const seq = this.history.length + 1;
    const who = { id: actor.id, name: actor.name, role: roleLabel(actor) };
    // jsonb keeps no undefined: the hash is over what is stored.
    const stored = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
    const hash = entryHash(this.prevHash, {
      claimId: this.claim.id,
      seq,
      at,
      type,
      actor: who,
      data: stored,
    });
    this.history.push({
      claim_id: this.claim.id,
      at,
      type,
      actor_id: who.id,
      actor_name: who.name,
      actor_role: who.role,
      data: stored,
      seq,
      prev_hash: this.prevHash,
      hash,
    });
    this.prevHash = hash;
  }

  write(rows: Generated) {
    const c = this.claim;
    rows.claims.push({
      id: c.id,
      organization_id: c.organizationId,
      created_by: this.createdBy,
      created_at: this.createdAt,
      updated_at: new Date(this.at),
      ...claimColumns(c, (v) => v),
    });
    rows.claim_products.push(...productRows(c));
    rows.documents.push(...this.documents);
    rows.claim_history.push(...this.history);
    rows.deadlines.push(...this.deadlines);
    rows.associations.push(...this.associations);
  }
}
