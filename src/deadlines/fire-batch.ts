// Issue 14 point 4: a batch of due deadlines fired together, with a handful of statements for
// the whole batch instead of a dozen per deadline. The claims were locked with their deadlines
// (lockDue); each claim's deadlines are taken in due order through THE transition table as the
// system actor, in memory (a refused action is an outcome, as one by one); then every write
// of the batch goes at once: deadlines fired, claims (version-checked), history (chained),
// deadlines replaced, consents completed, mail. An outcome a batch cannot write (one that
// creates or ends associations: no deadline action does today) throws NotBatched, and the
// scheduler fires that batch one by one instead.
import type { Deps } from '../deps.js';
import type { Tx } from '../db/transaction.js';
import { systemActor } from '../domain/actor.js';
import type { ClaimState } from '../domain/claim.js';
import { slaKinds, type DeadlineKind } from '../domain/claim-deadlines.js';
import { deadlineAction, transition, type Outcome } from '../domain/claim-transitions.js';
import { DomainError } from '../domain/errors.js';
import type { OutboxMessage } from '../domain/outbox.js';
import {
  appendHistory,
  enqueue,
  loadClaims,
  replaceDeadlinesOf,
  updateClaims,
  type HistoryInput,
} from '../claims/claims-repository.js';
import { completeClaimsConsent } from '../associations/associations-repository.js';
import { actorFields, transitionContext } from '../claims/commands/command-context.js';
import { mailOf } from '../claims/commands/persist-outcome.js';
import { markFiredMany, type DueDeadline } from './deadlines-repository.js';

export class NotBatched extends Error {}

/** Fires the locked deadlines; resolves to how many fired (the others were cancelled on the way). */
export async function fireTogether(
  tx: Tx,
  deps: Deps,
  due: DueDeadline[],
  now: Date,
  firedBy: string,
): Promise<{ id: string; outcome: string }[]> {
  const claims = new Map(
    (await loadClaims(tx, [...new Set(due.map((d) => d.claim_id))])).map((c) => [c.id, c]),
  );
  const ctx = await transitionContext(deps, tx);
  const before = new Map(claims);
  const fired: { id: string; outcome: string }[] = [];
  const history: HistoryInput[] = [];
  const replaced = new Map<string, { kind: string; dueAt: Date }[]>();
  const consentCompleted: string[] = [];
  const messages: { claim: ClaimState; messages: Outcome['messages'] }[] = [];
  /** Deadlines of the batch a transition earlier in the batch cancelled (all the claim's open ones). */
  const cancelledFrom = new Map<string, number>();
  const sorted = [...due].sort((a, b) => a.due_at.getTime() - b.due_at.getTime() || a.id.localeCompare(b.id));
  for (const [i, d] of sorted.entries()) {
    const claim = claims.get(d.claim_id);
    if (!claim) throw new NotBatched(`claim ${d.claim_id} not found`);
    if ((cancelledFrom.get(d.claim_id) ?? Infinity) < i) continue;
    const kind = d.kind as DeadlineKind;
    const action = deadlineAction[kind];
    const event = (type: string, data: Record<string, unknown>) =>
      history.push({ claimId: d.claim_id, at: now, type, ...actorFields(systemActor), data });
    if (action === null || slaKinds.includes(kind)) {
      // A reviewer SLA passed: the claim is listed as overdue; history says since when.
      event('sla_overdue', { kind, dueAt: d.due_at.toISOString(), deadlineId: d.id });
      fired.push({ id: d.id, outcome: 'sla_overdue' });
      continue;
    }
    let out: Outcome;
    try {
      out = transition(claim, action, systemActor, {}, ctx);
    } catch (e) {
      // The claim moved on (e.g. the partner answered at the last second): nothing to do.
      if (!(e instanceof DomainError)) throw e;
      fired.push({ id: d.id, outcome: `refused: ${e.code}` });
      continue;
    }
    const effect = out.associations;
    if (effect && !('completeConsent' in effect)) throw new NotBatched(`${action} changes associations`);
    if (effect) consentCompleted.push(d.claim_id);
    claims.set(d.claim_id, out.claim);
    for (const e of out.events) event(e.type, e.data);
    if (out.deadlines !== 'keep') {
      replaced.set(d.claim_id, out.deadlines);
      cancelledFrom.set(d.claim_id, i);
    }
    if (out.messages.length > 0) messages.push({ claim: out.claim, messages: out.messages });
    fired.push({ id: d.id, outcome: `${action}: ${out.claim.status}` });
  }
  // Fired first: the replacement below cancels only the claims' other open deadlines.
  if ((await markFiredMany(tx, fired, now, firedBy)) !== fired.length)
    throw new NotBatched('a deadline moved');
  const changed = [...claims.values()].filter((c) => c !== before.get(c.id));
  if (
    !(await updateClaims(
      tx,
      changed.map((c) => ({ claim: c, before: before.get(c.id)! })),
      now,
    ))
  )
    throw new NotBatched('a claim changed meanwhile');
  // The claims were locked with their deadlines (lockDue).
  await appendHistory(tx, history, { claimsLocked: true });
  await replaceDeadlinesOf(
    tx,
    [...replaced].map(([claimId, deadlines]) => ({ claimId, deadlines })),
    now,
  );
  await completeClaimsConsent(tx, consentCompleted, now);
  const mail: OutboxMessage[] = [];
  for (const m of messages) mail.push(...(await mailOf(m.claim, m.messages, tx)));
  await enqueue(tx, mail, now);
  return fired;
}
