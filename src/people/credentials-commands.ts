// Use cases of credentials (issue 10): sign-in with its limits and its record, bearer tokens
// (named, expiring, listed, revoked), cookie sessions, and the password change.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { authCaller, inTransaction, withCaller } from '../db/transaction.js';
import type { Actor } from '../domain/actor.js';
import { DomainError, forbidden, notFound, validationFailed } from '../domain/errors.js';
import {
  accountFailureLimit,
  addressFailureLimit,
  retryAfterSeconds,
  signInWindowMs,
  weakPasswordReason,
} from '../domain/sign-in-limits.js';
import { hashPassword, newSecret, sha256, verifyPassword } from './passwords.js';
import {
  deleteSession,
  endCredentials,
  insertSession,
  insertToken,
  liveTokensOf,
  organizationDisabled,
  presentUser,
  revokeTokenRow,
  signInUser,
  updateUserRow,
  userById,
} from './people-repository.js';
import {
  insertSignInAttempt,
  lockSignInKeys,
  nthRecentFailure,
  settleSignInAttempt,
  type SignInRoute,
} from './sign-ins-repository.js';

/** Where an attempt comes from: the client address (CPOR_TRUST_PROXY decides) and its user agent. */
export interface Origin {
  address: string;
  userAgent: string | null;
}

/** The credential a request came with; a password change keeps it alive and ends the others. */
export type CurrentCredential = { tokenId: string } | { sessionHash: string } | null;

export const defaultTokenDays = 90;
export const maxTokenDays = 365;

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(newSecret()));

/**
 * Checks an email and password under the sign-in limits, and records the attempt. The attempt
 * is recorded as pending (counted as a failure) before the password is checked, under locks
 * on its email and address, so attempts sent in parallel cannot all slip under the limit.
 */
export async function signIn(
  deps: Deps,
  input: { email: string; password: string },
  origin: Origin,
  route: SignInRoute,
) {
  const email = input.email.trim().toLowerCase().slice(0, 254);
  const now = deps.clock.now();
  const since = new Date(now.getTime() - signInWindowMs);
  const userAgent = origin.userAgent?.slice(0, 500) ?? null;
  // Sign-in has no caller yet: the narrow scope of signing in opens the transaction.
  const attempt = await inTransaction(deps.db, authCaller, async (tx) => {
    await lockSignInKeys(tx, email, origin.address);
    const wait = retryAfterSeconds(
      [
        await nthRecentFailure(tx, { email }, accountFailureLimit, since),
        await nthRecentFailure(tx, { address: origin.address }, addressFailureLimit, since),
      ],
      now,
    );
    const id = await insertSignInAttempt(tx, {
      at: now,
      email,
      address: origin.address,
      userAgent,
      route,
      outcome: wait === null ? 'pending' : 'throttled',
      userId: null,
    });
    return { id, wait };
  });
  if (attempt.wait !== null) {
    throw new DomainError(
      'rate_limited',
      `Too many failed sign-ins; try again in ${attempt.wait} seconds.`,
      undefined,
      attempt.wait,
    );
  }
  const user = await withCaller(deps.db, authCaller, (q) => signInUser(q, email));
  // Verify against a dummy hash when the user is unknown, so timing does not tell.
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password);
  // Issue 13 point 10: the users of a disabled organization are refused as a disabled user is.
  // Read as that user once its password is checked (organizations are walled, migration 0014b).
  const organizationId = ok ? user?.organization_id : null;
  const disabled =
    Boolean(user?.disabled_at) ||
    (user && organizationId
      ? await withCaller(deps.db, { scope: 'partner', organizationId, userId: user.id }, (q) =>
          organizationDisabled(q, organizationId),
        )
      : false);
  const outcome = !user ? 'unknown_account' : !ok ? 'wrong_password' : disabled ? 'disabled' : 'success';
  await withCaller(deps.db, authCaller, (q) => settleSignInAttempt(q, attempt.id, outcome, user?.id ?? null));
  if (!user || !ok) throw new DomainError('unauthenticated', 'Wrong email or password.');
  // Said only to whoever knows the password.
  if (outcome === 'disabled') throw forbidden('This account is disabled.');
  return user;
}

export async function issueToken(
  deps: Deps,
  input: { email: string; password: string; name?: string; expiresInDays?: number },
  origin: Origin,
) {
  const user = await signIn(deps, input, origin, 'token');
  const token = newSecret();
  const id = randomUUID();
  const createdAt = deps.clock.now();
  const expiresAt = new Date(createdAt.getTime() + (input.expiresInDays ?? defaultTokenDays) * 86_400_000);
  await withCaller(deps.db, authCaller, (q) =>
    insertToken(q, {
      id,
      token_hash: sha256(token),
      user_id: user.id,
      name: input.name ?? '',
      created_at: createdAt,
      expires_at: expiresAt,
      credential_epoch: user.credential_epoch,
    }),
  );
  return { token, id, name: input.name ?? '', expiresAt: expiresAt.toISOString(), user: presentUser(user) };
}

export async function startSession(
  deps: Deps,
  input: { email: string; password: string },
  origin: Origin,
  previousCookie?: string,
) {
  const user = await signIn(deps, input, origin, 'login');
  // Signing in again ends the session the browser had.
  if (previousCookie) await endSession(deps, previousCookie);
  const token = newSecret();
  const csrfToken = newSecret(18);
  // Sessions expire by the wall clock, whatever the app's clock says: the browser drops the
  // cookie by its own clock, and a test clock moved by days must not sign the UI out.
  const expiresAt = new Date(Date.now() + deps.config.CPOR_SESSION_HOURS * 3600_000);
  await withCaller(deps.db, authCaller, (q) =>
    insertSession(q, {
      token_hash: sha256(token),
      user_id: user.id,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      credential_epoch: user.credential_epoch,
    }),
  );
  return { token, csrfToken, expiresAt, user: presentUser(user) };
}

export async function endSession(deps: Deps, token: string) {
  await withCaller(deps.db, authCaller, (q) => deleteSession(q, sha256(token)));
}

/** The caller's live tokens (never the secret), newest first. */
export async function listTokens(deps: Deps, actor: Actor, limit: number, cursor?: string) {
  const rows = await withCaller(deps.db, actor, (q) =>
    liveTokensOf(q, actor.id ?? '', deps.clock.now(), limit, cursor),
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((t) => ({
      id: t.id,
      name: t.name,
      createdAt: t.created_at.toISOString(),
      lastUsedAt: t.last_used_at?.toISOString() ?? null,
      expiresAt: t.expires_at.toISOString(),
    })),
    nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** Revokes one of the caller's tokens at once. Another user's token does not exist for it (404). */
export async function revokeToken(deps: Deps, actor: Actor, id: string) {
  const revoked = await withCaller(deps.db, actor, (q) =>
    revokeTokenRow(q, actor.id ?? '', id, deps.clock.now()),
  );
  if (!revoked) throw notFound('token');
}

/** 422 naming the field when a new password is too weak. */
export function checkNewPassword(
  password: string,
  context: { email: string; current?: string },
  path = 'password',
) {
  const reason = weakPasswordReason(password, context);
  if (reason) throw validationFailed([{ path, message: reason, code: 'weak_password' }]);
}

/**
 * The caller changes its password with the current one: every other session and token of
 * the user ends; the one the request came with stays. A wrong current password counts as a
 * failed sign-in (the limits and the record), and answers 422 at the field, not 401.
 */
export async function changePassword(
  deps: Deps,
  actor: Actor,
  current: CurrentCredential,
  input: { currentPassword: string; newPassword: string },
  origin: Origin,
) {
  const user = await withCaller(deps.db, actor, (q) => userById(q, actor.id ?? ''));
  if (!user) throw notFound('user');
  try {
    await signIn(deps, { email: user.email, password: input.currentPassword }, origin, 'password');
  } catch (e) {
    if (e instanceof DomainError && e.code === 'unauthenticated')
      throw validationFailed([
        { path: 'currentPassword', message: 'is not your current password', code: 'wrong_password' },
      ]);
    throw e;
  }
  checkNewPassword(input.newPassword, { email: user.email, current: input.currentPassword }, 'newPassword');
  const hash = await hashPassword(input.newPassword);
  await inTransaction(deps.db, actor, async (tx) => {
    await updateUserRow(tx, user.id, {
      password_hash: hash,
      must_change_password: false,
      password_changed_at: deps.clock.now(),
    });
    await endCredentials(tx, user.id, deps.clock.now(), current ?? undefined);
  });
  return presentUser((await withCaller(deps.db, actor, (q) => userById(q, user.id)))!);
}
