// The audit of sign-in attempts as the API shows it (api.md: GET /api/v1/audit/sign-ins).
import type { Deps } from '../deps.js';
import { withCaller } from '../db/transaction.js';
import type { Actor } from '../domain/actor.js';
import { checkIdCursor } from '../lib/cursor.js';
import { signInAttempts, type SignInFilter } from './sign-ins-repository.js';

export async function signInAudit(
  deps: Deps,
  actor: Actor,
  filter: SignInFilter,
  limit: number,
  cursor?: string,
) {
  // The cursor is the id of the last attempt of the previous page.
  checkIdCursor(cursor);
  const rows = await withCaller(deps.db, actor, (q) => signInAttempts(q, filter, limit, cursor));
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      email: r.email,
      address: r.address,
      userAgent: r.user_agent,
      route: r.route,
      outcome: r.outcome,
      userId: r.user_id,
    })),
    nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null,
  };
}
