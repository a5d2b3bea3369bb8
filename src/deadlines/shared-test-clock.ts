// Issue 14 point 5: the test clock (api.md "Test clock") kept in the database, so that every
// server and `npm run worker` on the same database follows one clock. The time is the
// setting `test_clock` (ISO text, only ever moved forward); a move writes it and notifies
// `cpor_test_clock` in one transaction, and each process moves its own ManualClock when it
// hears the notice. Before a request or a scheduler round, a process waits until every notice
// committed before then has arrived (src/db/notifications.ts `caughtUp`): what one process
// moved, the next request to any process sees. On the embedded database (one process) the
// notice arrives with the commit.
import type { ManualClock } from '../clock.js';
import type { Deps } from '../deps.js';
import { listen, type Channel } from '../db/notifications.js';
import { inTransaction } from '../db/transaction.js';
import { systemActor } from '../domain/actor.js';
import { settingOrInsert } from '../consent/consent-repository.js';
import { moveStoredClock } from './deadlines-repository.js';

const key = 'test_clock';
const channel = 'cpor_test_clock';

export class SharedTestClock {
  private channel: Channel | null = null;

  private constructor(
    private readonly deps: Deps,
    private readonly clock: ManualClock,
  ) {}

  /** Joins the clock stored in the database (the first process to start stores its own). */
  static async open(deps: Deps, clock: ManualClock): Promise<SharedTestClock> {
    const shared = new SharedTestClock(deps, clock);
    shared.channel = await listen(deps.db, channel, (payload) => shared.follow(payload));
    const stored = await inTransaction(deps.db, systemActor, (tx) =>
      settingOrInsert(tx, key, clock.now().toISOString(), new Date()),
    );
    clock.startAt(new Date(stored));
    return shared;
  }

  private follow(iso: string) {
    const at = new Date(iso);
    if (!Number.isNaN(at.getTime()) && at.getTime() > this.clock.now().getTime()) this.clock.set(at);
  }

  /** Moves every process's clock to `to` (never back). */
  async move(to: Date): Promise<void> {
    const iso = to.toISOString();
    await inTransaction(this.deps.db, systemActor, (tx) => moveStoredClock(tx, key, channel, iso));
    this.follow(iso);
  }

  /** Resolves once every move committed before the call has reached this process's clock. */
  async caughtUp(): Promise<void> {
    await this.channel?.caughtUp();
  }

  async close(): Promise<void> {
    await this.channel?.close();
  }
}

const shared = new WeakMap<Deps, SharedTestClock>();

/** The program's shared test clock, when CPOR_TEST_CLOCK=1 made its clock a ManualClock. */
export async function openSharedTestClock(deps: Deps): Promise<SharedTestClock | null> {
  const clock = deps.clock as ManualClock;
  if (!deps.config.CPOR_TEST_CLOCK || typeof clock.set !== 'function') return null;
  const s = await SharedTestClock.open(deps, clock);
  shared.set(deps, s);
  return s;
}

export const sharedTestClockOf = (deps: Deps) => shared.get(deps) ?? null;
