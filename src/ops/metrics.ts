// The operator's figures (api.md "Health"), in Prometheus text format: HTTP requests and
// their latency, counted in the process; claims by status, claims overdue by SLA, deadlines
// due and their lag, the outbox and webhook backlog and failures, read from the database at
// each scrape. One registry per process: the server's /metrics and the worker's
// (CPOR_WORKER_PORT) are the same figures.
import client from 'prom-client';
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/transaction.js';
import { systemActor } from '../domain/actor.js';
import { slaKinds } from '../domain/claim-deadlines.js';
import {
  claimsByStatus,
  deliveryBacklog,
  dueDeadlines,
  outboxBacklog,
  overdueClaims,
} from './ops-repository.js';

export interface Metrics {
  /** Counts one HTTP request: its route pattern (not the URL: ids would explode the labels). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** The page Prometheus reads. */
  text(): Promise<{ type: string; body: string }>;
}

export function createMetrics(deps: Deps): Metrics {
  const registers = [new client.Registry()];
  const [registry] = registers as [client.Registry];
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: 'cpor_http_requests_total',
    help: 'HTTP requests, by method and status',
    labelNames: ['method', 'status'],
    registers,
  });
  const latency = new client.Histogram({
    name: 'cpor_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new client.Gauge({ name, help, labelNames, registers });
  const claims = gauge('cpor_claims', 'Claims by status', ['status']);
  const overdue = gauge('cpor_claims_overdue', 'Claims whose reviewer SLA has passed, by SLA kind', ['kind']);
  const deadlinesDue = gauge('cpor_deadlines_due', 'Deadlines due and not yet fired');
  const deadlineLag = gauge(
    'cpor_deadline_lag_seconds',
    'How long the oldest deadline due and not yet fired has been due (0: none)',
  );
  const outboxPending = gauge('cpor_outbox_pending', 'Mail and webhook events not yet sent, by kind', [
    'kind',
  ]);
  const outboxLag = gauge(
    'cpor_outbox_lag_seconds',
    'Age of the oldest outbox row not yet sent, by kind (0: none)',
    ['kind'],
  );
  const outboxFailed = gauge(
    'cpor_outbox_failed',
    'Outbox rows given up after every attempt (mail: by kind)',
    ['kind'],
  );
  const deliveriesPending = gauge(
    'cpor_webhook_deliveries_pending',
    'Webhook deliveries waiting or retrying',
  );
  const deliveriesDead = gauge('cpor_webhook_deliveries_dead', 'Webhook deliveries given up (dead)');
  const scrapeErrors = new client.Counter({
    name: 'cpor_metrics_read_errors_total',
    help: 'Scrapes whose database figures could not be read',
    registers,
  });

  async function readDatabase() {
    const now = deps.clock.now();
    const age = (oldest: Date | null) =>
      oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0;
    // As the scheduler reads: every organization's rows (the system caller).
    const [byStatus, late, due, outbox, deliveries] = await inTransaction(deps.db, systemActor, (tx) =>
      Promise.all([
        claimsByStatus(tx),
        overdueClaims(tx, now, slaKinds),
        dueDeadlines(tx, now),
        outboxBacklog(tx),
        deliveryBacklog(tx),
      ]),
    );
    for (const g of [claims, overdue, outboxPending, outboxLag, outboxFailed]) g.reset();
    for (const r of byStatus) claims.set({ status: r.status }, r.n);
    for (const r of late) overdue.set({ kind: r.kind }, r.n);
    for (const kind of slaKinds) if (!late.some((r) => r.kind === kind)) overdue.set({ kind }, 0);
    deadlinesDue.set(due.reduce((n, r) => n + r.n, 0));
    const oldestDue = due.reduce<Date | null>(
      (o, r) => (r.oldest && (!o || r.oldest < o) ? r.oldest : o),
      null,
    );
    deadlineLag.set(age(oldestDue));
    for (const kind of ['email', 'event']) {
      const pending = outbox.find((r) => r.kind === kind && !r.failed);
      outboxPending.set({ kind }, pending?.n ?? 0);
      outboxLag.set({ kind }, age(pending?.oldest ?? null));
      outboxFailed.set({ kind }, outbox.find((r) => r.kind === kind && r.failed)?.n ?? 0);
    }
    deliveriesPending.set(deliveries.find((r) => r.status === 'pending')?.n ?? 0);
    deliveriesDead.set(deliveries.find((r) => r.status === 'dead')?.n ?? 0);
  }

  return {
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, status: String(status) });
      latency.observe({ method, route, status: String(status) }, seconds);
    },
    async text() {
      // A database that cannot be read still leaves the process's own figures readable.
      await readDatabase().catch(() => scrapeErrors.inc());
      return { type: registry.contentType, body: await registry.metrics() };
    },
  };
}
