// The scheduler: fires due deadline rows through the same transition table as a person
// (R-TIME-2/3/4), records reviewer SLAs that passed, and sends the outbox's mail and webhook
// deliveries. It runs inside `npm start` and as its own process (`npm run worker`); any
// number of processes can run it against one PostgreSQL server (SKIP LOCKED throughout).
import { hostname } from 'node:os';
import type { Deps } from '../deps.js';
import { inTransaction, withCaller, withSavepoint, type Tx } from '../db/transaction.js';
import { systemActor } from '../domain/actor.js';
import { slaKinds, type DeadlineKind } from '../domain/claim-deadlines.js';
import { deadlineAction } from '../domain/claim-transitions.js';
import { DomainError } from '../domain/errors.js';
import { runClaimActionIn } from '../claims/commands/run-claim-action.js';
import { expireAssociations } from '../claims/commands/expire-associations.js';
import { nextExpiryAt } from '../associations/associations-repository.js';
import { appendHistory, compactClaimCounts } from '../claims/claims-repository.js';
import { sendDueMail } from '../notifications/outbox-sender.js';
import { sendDueWebhooks } from '../webhooks/webhook-sender.js';
import { orphanSweepIntervalMs, sweepOrphans, type SweepReport } from '../documents/orphans.js';
import { writeOverdueDigest } from './overdue-digest.js';
import { lockDue, markFired, nextDueAt, recordOutcome, type DueDeadline } from './deadlines-repository.js';
import { fireTogether } from './fire-batch.js';
import { sharedTestClockOf } from './shared-test-clock.js';

export interface Log {
  info(msg: string): void;
  error(msg: string): void;
}

const quiet: Log = { info: () => undefined, error: () => undefined };

/** How long a deadline whose firing crashed (not a refused action) waits before a retry. */
const retryAfterMs = 60_000;
/** Wall time a tick spends starting webhook deliveries (slow receivers wait for the next). */
const webhookBudgetMs = 10_000;
/** How often the loop looks for expired subscriptions (wall time). */
const expiryIntervalMs = 60_000;
/** How often the loop folds the counts of claims by status (wall time). */
const countsCompactionMs = 10_000;
/** Deadlines fired per transaction. */
const batchSize = 1000;

export class Scheduler {
  readonly firedBy = `${hostname()}:${process.pid}`;
  private busy: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Deadlines whose firing failed unexpectedly, and when to try them again (wall time). */
  private failing = new Map<string, number>();

  constructor(
    private readonly deps: Deps,
    private readonly log: Log = quiet,
  ) {}

  /** Runs `fn` when no other tick or clock move of this process is running. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.busy.then(fn, fn);
    this.busy = run.catch(() => undefined);
    return run;
  }

  private skipList(): string[] {
    const now = Date.now();
    for (const [id, at] of this.failing) if (at <= now) this.failing.delete(id);
    return [...this.failing.keys()];
  }

  /** Fires every deadline due by the clock's now, earliest first; returns how many fired. */
  async fireDue(): Promise<number> {
    let fired = 0;
    for (;;) {
      const r = await this.fireBatch();
      if (r === null) return fired;
      fired += r;
    }
  }

  private lastExpiry = 0;

  /**
   * R-UNIQ-7: ends the associations whose subscription expired. Subscriptions expire by the
   * date, so the loop looks once a minute (wall time); the test clock at each of its stops.
   */
  private async expireDue(always: boolean): Promise<number> {
    if (!always && Date.now() - this.lastExpiry < expiryIntervalMs) return 0;
    this.lastExpiry = Date.now();
    return expireAssociations(this.deps);
  }

  private lastCompaction = 0;

  /** The counts by status (migration 0013) folded into a row per organization and status. */
  private async compactCounts(): Promise<void> {
    if (Date.now() - this.lastCompaction < countsCompactionMs) return;
    this.lastCompaction = Date.now();
    await inTransaction(this.deps.db, systemActor, (tx) => compactClaimCounts(tx));
  }

  private lastDigestCheck = 0;

  /**
   * R-TIME-6: the reviewers' daily digest of claims that became overdue, looked for once a
   * minute (wall time); the test clock at each of its stops.
   */
  private async digestDue(always: boolean): Promise<number> {
    if (!always && Date.now() - this.lastDigestCheck < expiryIntervalMs) return 0;
    this.lastDigestCheck = Date.now();
    const listed = await writeOverdueDigest(this.deps);
    if (listed > 0) this.log.info(`overdue digest: ${listed} claims, mailed to the reviewers`);
    return listed;
  }

  /**
   * A batch of due deadlines in one transaction (one commit for many: the drain is bound by
   * commits): lock them and their claims, act on each, mark each fired. Null when none was due.
   */
  private async fireBatch(): Promise<number | null> {
    const { deps } = this;
    let current: string | null = null;
    try {
      return await inTransaction(deps.db, systemActor, async (trx) => {
        const now = deps.clock.now();
        const due = await lockDue(trx, now, this.skipList(), batchSize);
        if (due.length === 0) return null;
        // The whole batch's writes at once (fire-batch.ts); one by one when it cannot.
        try {
          const together = await withSavepoint(trx, () => fireTogether(trx, deps, due, now, this.firedBy));
          const outcomes = new Map<string, number>();
          for (const f of together) outcomes.set(f.outcome, (outcomes.get(f.outcome) ?? 0) + 1);
          this.log.info(
            `deadlines fired: ${[...outcomes].map(([o, n]) => `${n} ${o}`).join(', ')} (${this.firedBy})`,
          );
          return together.length;
        } catch (e) {
          this.log.error(`a batch of ${due.length} deadlines fires one by one: ${String(e)}`);
        }
        let fired = 0;
        for (const d of due) {
          current = d.id;
          if (await this.fire(trx, d, now)) fired += 1;
        }
        return fired;
      });
    } catch (e) {
      if (!current) throw e;
      this.failing.set(current, Date.now() + retryAfterMs);
      this.log.error(`deadline ${String(current)} failed, retried in ${retryAfterMs / 1000} s: ${String(e)}`);
      return 0;
    }
  }

  /** One deadline; false when an earlier one of the same claim in the batch cancelled it. */
  private async fire(trx: Tx, d: DueDeadline, now: Date): Promise<boolean> {
    const kind = d.kind as DeadlineKind;
    const action = deadlineAction[kind];
    // Fired first: the claim's transition below cancels the claim's other open deadlines.
    if (!(await markFired(trx, d.id, now, this.firedBy, 'running'))) return false;
    let outcome: string;
    if (action === null || slaKinds.includes(kind)) {
      // A reviewer SLA passed: the claim is listed as overdue; history says since when.
      await appendHistory(trx, [
        {
          claimId: d.claim_id,
          at: now,
          type: 'sla_overdue',
          actorId: null,
          actorName: systemActor.name,
          actorRole: 'system',
          data: { kind, dueAt: d.due_at.toISOString(), deadlineId: d.id },
        },
      ]);
      outcome = 'sla_overdue';
    } else {
      try {
        const claim = await withSavepoint(trx, () =>
          runClaimActionIn(trx, this.deps, { actor: systemActor, claimId: d.claim_id, action }),
        );
        outcome = `${action}: ${claim.status}`;
      } catch (e) {
        // The claim moved on (e.g. the partner answered at the last second): nothing to do.
        if (!(e instanceof DomainError)) throw e;
        outcome = `refused: ${e.code}`;
      }
    }
    await recordOutcome(trx, d.id, outcome);
    this.log.info(`deadline ${d.id} (${kind}) of claim ${d.claim_id}: ${outcome}`);
    return true;
  }

  /** One round of work: due deadlines, then due mail, then due webhook deliveries. */
  tick(): Promise<void> {
    return this.exclusive(async () => {
      // The test clock another process moved (CPOR_TEST_CLOCK=1): its moves so far first.
      await sharedTestClockOf(this.deps)?.caughtUp();
      await this.fireDue();
      await this.expireDue(false);
      await this.digestDue(false);
      await this.compactCounts();
      await sendDueMail(this.deps, this.log);
      await sendDueWebhooks(this.deps, this.log, webhookBudgetMs);
    });
  }

  /**
   * The test clock (api.md): moves the manual clock to `to`, stopping at each deadline that
   * falls due on the way so that every timer fires at its own time, in due order.
   */
  advanceTo(to: Date, setClock: (at: Date) => void | Promise<void>): Promise<number> {
    return this.exclusive(async () => {
      let fired = 0;
      for (;;) {
        const [deadline, expiry] = await withCaller(this.deps.db, systemActor, (q) =>
          Promise.all([nextDueAt(q, to, this.skipList()), nextExpiryAt(q, to)]),
        );
        const next = deadline && expiry ? (deadline < expiry ? deadline : expiry) : (deadline ?? expiry);
        if (!next) break;
        if (next.getTime() > this.deps.clock.now().getTime()) await setClock(next);
        const n = (await this.fireDue()) + (await this.expireDue(true));
        fired += n;
        if (n === 0) break; // held by another process: it fires them
      }
      await setClock(to);
      fired += (await this.fireDue()) + (await this.expireDue(true));
      await this.digestDue(true);
      await sendDueMail(this.deps, this.log);
      await sendDueWebhooks(this.deps, this.log);
      return fired;
    });
  }

  private sweeping: Promise<SweepReport | null> | null = null;
  private lastSweep = 0;

  /**
   * Issue 11 point 6: PoE bytes no document references and temporary files a crash left,
   * swept once an hour (wall time) beside the ticks, never blocking deadlines or mail; null
   * when not due or already running.
   */
  sweepOrphansWhenDue(): Promise<SweepReport | null> {
    const now = Date.now();
    if (this.sweeping) return Promise.resolve(null);
    if (now - this.lastSweep < orphanSweepIntervalMs) return Promise.resolve(null);
    this.lastSweep = now;
    const run = sweepOrphans(this.deps)
      .then((r) => {
        if (r.orphansRemoved + r.temporariesRemoved + r.uploadsRemoved > 0)
          this.log.info(
            `orphan sweep: ${r.orphansRemoved} unreferenced PoE files, ${r.temporariesRemoved + r.uploadsRemoved} temporary files removed (${r.objects} stored)`,
          );
        return r;
      })
      .catch((e: unknown) => {
        this.log.error(`orphan sweep failed, tried again in an hour: ${String(e)}`);
        return null;
      })
      .finally(() => {
        this.sweeping = null;
      });
    this.sweeping = run;
    return run;
  }

  /** Starts the loop: a tick every CPOR_SCHEDULER_INTERVAL_MS, and the orphan sweep every hour. */
  start(): void {
    const loop = () => {
      if (this.stopped) return;
      void this.sweepOrphansWhenDue();
      this.tick()
        .catch((e: unknown) => this.log.error(`scheduler tick failed: ${String(e)}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.deps.config.CPOR_SCHEDULER_INTERVAL_MS);
        });
    };
    loop();
  }

  /** Stops the loop and waits for the running tick and sweep. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
    await this.sweeping;
  }
}

const schedulers = new WeakMap<Deps, Scheduler>();

/** The one scheduler of an application (the loop and the test clock share its lock). */
export function schedulerOf(deps: Deps, log?: Log): Scheduler {
  let s = schedulers.get(deps);
  if (!s) {
    s = new Scheduler(deps, log);
    schedulers.set(deps, s);
  }
  return s;
}
