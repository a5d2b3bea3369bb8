// Issue 12 point 5 and api.md "Health": /metrics, read by a Prometheus text parser, on
// PGlite and PostgreSQL: claims by status, claims overdue by SLA, deadlines due and their lag,
// the outbox backlog and its failures, HTTP latency by route pattern; and the worker's own
// /healthz and /metrics on CPOR_WORKER_PORT, through the real `cpor worker` process.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parse from 'parse-prometheus-text-format';
import { client, dbTargets, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';
import { submittedClaim } from './claim-steps.js';

const token = 'metrics-token-0123456789';
// Monday 1 June 2026, 09:00 UTC; the review-start SLA is 5 business days.
const T0 = new Date('2026-06-01T09:00:00Z');

async function scrape(t: TestApp) {
  const res = await client(t.app, token).get('/metrics');
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parse(res.body);
  const value = (name: string, labels: Record<string, string> = {}) => {
    const family = families.find((f) => f.name === name);
    expect(family, name).toBeDefined();
    const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    return sample ? Number(sample.value ?? sample.count) : undefined;
  };
  return { families, value, text: res.body };
}

describe.each(dbTargets())('/metrics on %s', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target, { start: T0, env: { CPOR_METRICS_TOKEN: token } });
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  it('counts claims by status and the SLAs that passed, from the database', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    for (let i = 0; i < 3; i++)
      expect((await partner.post('/api/v1/claims', m365Claim())).statusCode).toBe(201);
    await submittedClaim(t, w, 'MetricsOne');
    await submittedClaim(t, w, 'MetricsTwo');
    let m = await scrape(t);
    expect(m.value('cpor_claims', { status: 'draft' })).toBe(3);
    expect(m.value('cpor_claims', { status: 'submitted' })).toBe(2);
    expect(m.value('cpor_claims_overdue', { kind: 'review_start_sla' })).toBe(0);
    expect(m.value('cpor_deadlines_due')).toBe(0);
    expect(m.value('cpor_deadline_lag_seconds')).toBe(0);
    // The dashboard's counts (GET /reports/claims-by-status): every status for a reviewer, a
    // partner's own claims for a partner, kept by the database (migration 0013).
    const counts = async (tok: string) => {
      const res = await client(t.app, tok).get('/api/v1/reports/claims-by-status');
      expect(res.statusCode).toBe(200);
      const body = res.json<{ items: { status: string; count: number }[]; total: number }>();
      return { ...Object.fromEntries(body.items.map((i) => [i.status, i.count])), total: body.total };
    };
    expect(await counts(w.tokens.reviewer)).toMatchObject({ draft: 3, submitted: 2, approved: 0, total: 5 });
    expect(await counts(w.tokens.partnerA)).toMatchObject({ draft: 3, submitted: 2, total: 5 });
    expect(await counts(w.tokens.partnerB)).toMatchObject({ draft: 0, submitted: 0, total: 0 });
    // Past the SLA, with no scheduler running: two deadlines due for an hour, two claims overdue.
    t.clock.set(new Date('2026-06-08T10:00:00Z'));
    m = await scrape(t);
    expect(m.value('cpor_claims_overdue', { kind: 'review_start_sla' })).toBe(2);
    expect(m.value('cpor_deadlines_due')).toBe(2);
    expect(m.value('cpor_deadline_lag_seconds')).toBe(3600);
  });

  it('shows the outbox backlog, its lag and the mail given up', async () => {
    const id = await submittedClaim(t, w, 'MetricsMail');
    const reviewer = client(t.app, w.tokens.reviewer);
    expect((await reviewer.post(`/api/v1/claims/${id}/start-review`)).statusCode).toBe(200);
    const rfi = await reviewer.post(`/api/v1/claims/${id}/request-information`, {
      reasons: ['poe_missing'],
      comment: 'Sign it.',
    });
    expect(rfi.statusCode).toBe(200);
    let m = await scrape(t);
    expect(m.value('cpor_outbox_pending', { kind: 'email' })).toBe(1);
    expect(m.value('cpor_outbox_failed', { kind: 'email' })).toBe(0);
    t.clock.set(new Date(t.clock.now().getTime() + 90_000));
    m = await scrape(t);
    expect(m.value('cpor_outbox_lag_seconds', { kind: 'email' })).toBe(90);
    // Given up after every attempt: a failure, not a backlog.
    await t.database.db
      .updateTable('outbox')
      .set({ failed_at: t.clock.now(), last_error: 'refused' })
      .execute();
    m = await scrape(t);
    expect(m.value('cpor_outbox_pending', { kind: 'email' })).toBe(0);
    expect(m.value('cpor_outbox_failed', { kind: 'email' })).toBe(1);
    expect(m.value('cpor_webhook_deliveries_dead')).toBe(0);
  });

  it('times HTTP requests by route pattern, never by URL', async () => {
    const reviewer = client(t.app, w.tokens.reviewer);
    for (let i = 0; i < 3; i++)
      expect((await reviewer.get(`/api/v1/claims/${randomUUID()}`)).statusCode).toBe(404);
    const { families, value, text } = await scrape(t);
    expect(families.find((f) => f.name === 'cpor_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
    // The parser folds a labelled histogram's series away; its `_count` lines are read here.
    const counts = [...text.matchAll(/^cpor_http_request_duration_seconds_count\{(.*)\} (\d+)$/gm)].map(
      ([, labels, n]) => ({ labels: labels ?? '', n: Number(n) }),
    );
    const routes = new Set(counts.map((c) => /route="([^"]*)"/.exec(c.labels)?.[1]));
    expect(routes).toContain('/api/v1/claims/:id');
    expect([...routes].some((r) => /[0-9a-f]{8}-[0-9a-f]{4}/.test(r ?? ''))).toBe(false);
    const byId = counts.find(
      (c) => c.labels.includes('route="/api/v1/claims/:id"') && c.labels.includes('status="404"'),
    );
    expect(byId?.n).toBe(3);
    expect(value('cpor_http_requests_total', { method: 'GET', status: '404' })).toBeGreaterThanOrEqual(3);
  });
});
