// What every claim command reads besides the claim: the rule context (catalog, tenant
// directory, partner locations), the transition context (clock, limits, business calendar),
// and the version check of If-Match.
import type { Deps } from '../../deps.js';
import type { ReferenceCache } from '../../db/reference-cache.js';
import type { Tx } from '../../db/transaction.js';
import { roleLabel, type Actor } from '../../domain/actor.js';
import { businessCalendar } from '../../domain/calendar.js';
import type { RuleContext } from '../../domain/claim-rules.js';
import type { ClaimState } from '../../domain/claim.js';
import type { Context } from '../../domain/claim-transitions.js';
import { DomainError } from '../../domain/errors.js';
import { loadHolidays, loadProducts, ruleFacts } from '../claims-repository.js';

/**
 * The catalog (held in memory when `reference` is given), the tenant as the directory knows
 * it, and the organization's locations (one query).
 */
export async function ruleContext(tx: Tx, c: ClaimState, reference?: ReferenceCache): Promise<RuleContext> {
  const [products, facts] = await Promise.all([
    reference ? reference.read('products', tx, loadProducts) : loadProducts(tx),
    ruleFacts(tx, c.tenantId, c.organizationId),
  ]);
  return { products, ...facts };
}

export async function transitionContext(deps: Deps, tx: Tx): Promise<Context> {
  const holidays = deps.reference ? deps.reference.read('holidays', tx, loadHolidays) : loadHolidays(tx);
  const calendar = businessCalendar(deps.config.CPOR_TIME_ZONE, await holidays);
  return { now: deps.clock.now(), limits: deps.limits, calendar };
}

/** Who did it, as history records it. */
export function actorFields(actor: Actor) {
  return { actorId: actor.id, actorName: actor.name, actorRole: roleLabel(actor) };
}

/** If-Match: the version the caller read must be the claim's version now. */
export function checkVersion(c: ClaimState, ifMatch: number | undefined) {
  if (ifMatch !== undefined && ifMatch !== c.version) {
    throw new DomainError(
      'precondition_failed',
      `The claim changed (version ${c.version}); reload it and try again.`,
    );
  }
}

/** The version-checked write found another version: someone changed the claim meanwhile. */
export const changedMeanwhile = () =>
  new DomainError('precondition_failed', 'The claim changed meanwhile; reload it and try again.');
