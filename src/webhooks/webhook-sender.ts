// Delivers the outbox's events to the webhooks (issue 12 point 1, api.md "Integrations"), in
// two steps the scheduler runs after the mail:
// 1. fan-out: each event row of the outbox (one per history entry, migration 0007) becomes
//    the entry's events (domain/webhook-events.ts), and each event one delivery row per hook
//    that hears it: a partner's hook only its own organization's claims, a reviewers' system
//    every claim. The delivery rows and the outbox row's mark commit together.
// 2. send: due deliveries are leased (SKIP LOCKED, as the mail is) in order per claim and
//    POSTed, signed; a failure waits with exponential backoff and jitter, and a delivery still
//    failing a day after it was due (CPOR_WEBHOOK_GIVE_UP_HOURS) is dead, with the reason kept.
// At least once: a delivery is marked only after the receiver answered 2xx, so a crash in
// between sends it again, under the same Cpor-Delivery id (the receiver's dedupe key).
import { createHmac, randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { isProduction } from '../config.js';
import { inTransaction, withCaller, type Tx } from '../db/transaction.js';
import { systemActor } from '../domain/actor.js';
import { eventsOfHistory, hookHears, type WebhookEventType } from '../domain/webhook-events.js';
import { parseReceiverUrl, postToReceiver, resolveReceiver, type ReceiverPolicy } from './receiver.js';
import {
  historyEntryWithOwner,
  insertDeliveries,
  leaseDueDeliveries,
  lockPendingEvents,
  markDelivered,
  markDeliveryFailed,
  markEventsFannedOut,
  webhooksHearing,
  type DueDelivery,
  type NewDelivery,
  type WebhookRow,
} from './webhooks-repository.js';

interface Log {
  error(msg: string): void;
}

/** A sender that died mid-send leaves its deliveries leased this long; then they are retried. */
const leaseMs = 2 * 60_000;
/** The longest wait between two attempts. */
const maxBackoffMs = 60 * 60_000;
const eventBatch = 100;
/**
 * Deliveries sent at once (each of another hook or claim). Measured on 1,000 deliveries to one
 * local receiver: 10 at a time 69/s (PGlite) and 110/s (PostgreSQL), 25 at a time 124/s and 201/s.
 */
const sendBatch = 25;

export const receiverPolicy = (deps: Deps): ReceiverPolicy => ({
  production: isProduction(deps.config),
});

/** `Cpor-Signature` (api.md): `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** One batch of event rows turned into deliveries; how many rows, 0 when none was pending. */
async function fanOutBatch(deps: Deps): Promise<number> {
  return inTransaction(deps.db, systemActor, async (tx) => {
    const rows = await lockPendingEvents(tx, eventBatch);
    const now = deps.clock.now();
    const hooksOf = new Map<string, WebhookRow[]>();
    const deliveries: NewDelivery[] = [];
    for (const row of rows) deliveries.push(...(await deliveriesOf(tx, deps, row.payload, now, hooksOf)));
    await insertDeliveries(tx, deliveries);
    await markEventsFannedOut(
      tx,
      rows.map((r) => r.id),
      now,
    );
    return rows.length;
  });
}

async function deliveriesOf(
  tx: Tx,
  deps: Deps,
  p: { claimId: string; seq: number },
  now: Date,
  hooksOf: Map<string, WebhookRow[]>,
): Promise<NewDelivery[]> {
  const entry = await historyEntryWithOwner(tx, p.claimId, p.seq);
  if (!entry) return [];
  const events = eventsOfHistory({
    claimId: entry.claim_id,
    seq: entry.seq,
    at: entry.at,
    type: entry.type,
    actor: { name: entry.actor_name, role: entry.actor_role },
    data: entry.data,
  });
  if (events.length === 0) return [];
  const key = `${entry.organization_id}@${entry.at.toISOString()}`;
  let hooks = hooksOf.get(key);
  if (!hooks) {
    hooks = await webhooksHearing(tx, entry.organization_id, entry.at);
    hooksOf.set(key, hooks);
  }
  const retryUntil = new Date(now.getTime() + deps.config.CPOR_WEBHOOK_GIVE_UP_HOURS * 3_600_000);
  return events.flatMap((ev, idx) => {
    const eventId = randomUUID();
    const body = JSON.stringify({
      id: eventId,
      type: ev.type,
      occurredAt: entry.at.toISOString(),
      data: { claimId: entry.claim_id, historySeq: entry.seq, ...ev.data },
    });
    return hooks
      .filter((h) => hookHears(h.events, ev.type))
      .map((h) => ({
        id: randomUUID(),
        webhook_id: h.id,
        claim_id: entry.claim_id,
        event_id: eventId,
        event_type: ev.type satisfies WebhookEventType,
        seq: entry.seq,
        idx,
        body,
        status: 'pending' as const,
        created_at: now,
        next_attempt_at: now,
        retry_until: retryUntil,
      }));
  });
}

/** Attempt n (1-based) failed: wait base x 2^(n-1), capped, half of it random (jitter). */
export function backoffMs(retrySeconds: number, attempts: number, random = Math.random()): number {
  const full = Math.min(retrySeconds * 1000 * 2 ** Math.min(attempts - 1, 20), maxBackoffMs);
  return Math.round(full / 2 + (full / 2) * random);
}

async function deliver(deps: Deps, d: DueDelivery, log: Log): Promise<boolean> {
  const attempts = d.attempts + 1;
  let responseCode: number | null = null;
  let error: string;
  try {
    const policy = receiverPolicy(deps);
    const url = parseReceiverUrl(d.url, policy);
    // Checked again at each delivery: a name may resolve elsewhere since the hook was saved.
    const [address] = await resolveReceiver(url, policy);
    const res = await postToReceiver(
      url,
      address!,
      {
        'Cpor-Event': d.event_type,
        'Cpor-Delivery': d.id,
        'Cpor-Signature': signature(d.secret, d.body, deps.clock.now()),
      },
      d.body,
      deps.config.CPOR_WEBHOOK_TIMEOUT_MS,
    );
    responseCode = res.status;
    if (res.status >= 200 && res.status < 300) {
      await withCaller(deps.db, systemActor, (q) =>
        markDelivered(q, d.id, deps.clock.now(), attempts, res.status),
      );
      return true;
    }
    error =
      res.status >= 300 && res.status < 400
        ? `HTTP ${res.status} (redirects are not followed)`
        : `HTTP ${res.status}`;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const at = deps.clock.now();
  const dead = at.getTime() >= d.retry_until.getTime();
  // The last attempt comes at the end of the day, not after it.
  const retryAt = new Date(
    Math.min(
      at.getTime() + backoffMs(deps.config.CPOR_WEBHOOK_RETRY_SECONDS, attempts),
      d.retry_until.getTime(),
    ),
  );
  log.error(`webhook delivery ${d.id} attempt ${attempts} failed${dead ? ', dead' : ''}: ${error}`);
  await withCaller(deps.db, systemActor, (q) =>
    markDeliveryFailed(q, d.id, { at, attempts, responseCode, error: error.slice(0, 500), retryAt, dead }),
  );
  return false;
}

/**
 * Turns pending events into deliveries and sends every delivery due now; with `budgetMs`, no
 * new batch starts after that much wall time (the scheduler's tick: receivers that never
 * answer must not hold back deadlines and mail; what is left goes in the next tick).
 */
export async function sendDueWebhooks(
  deps: Deps,
  log: Log = { error: () => undefined },
  budgetMs = Infinity,
): Promise<{ delivered: number; failed: number }> {
  const started = Date.now();
  while ((await fanOutBatch(deps)) > 0);
  let delivered = 0;
  let failed = 0;
  while (Date.now() - started < budgetMs) {
    const due = await inTransaction(deps.db, systemActor, (tx) => {
      const now = deps.clock.now();
      return leaseDueDeliveries(tx, now, new Date(now.getTime() + leaseMs), sendBatch);
    });
    if (due.length === 0) return { delivered, failed };
    const results = await Promise.all(due.map((d) => deliver(deps, d, log)));
    for (const ok of results)
      if (ok) delivered += 1;
      else failed += 1;
  }
  return { delivered, failed };
}
