// R-CONS-1: the customer's consent link. The token names the claim and the end of its
// consent window and is signed (HMAC-SHA256 with the server secret), so nothing needs to be
// stored when the approval mail is written; it expires with the window and a use is
// recorded in `consent_uses` (it works once). A new approval (e.g. a dispute overturned)
// opens a new window, so it gets a new token and the old one stops working.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Deps } from '../deps.js';
import { withCaller } from '../db/transaction.js';
import { systemActor } from '../domain/actor.js';
import { settingOrInsert } from './consent-repository.js';

export interface ConsentToken {
  claimId: string;
  endsAt: Date;
}

const sign = (secret: string, claimId: string, endsAtMs: number) =>
  createHmac('sha256', secret).update(`cpor-consent:v1:${claimId}:${endsAtMs}`).digest('base64url');

export function consentToken(secret: string, claimId: string, endsAt: Date): string {
  const ms = endsAt.getTime();
  return `${claimId}.${ms.toString(36)}.${sign(secret, claimId, ms)}`;
}

/** The claim and window end of a well-signed token; null for anything else. */
export function readConsentToken(secret: string, token: string): ConsentToken | null {
  const m = /^([0-9a-f-]{36})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  const ms = parseInt(m[2], 36);
  // Only the form consentToken writes: "0abc" reads as the same time as "abc", and a second
  // spelling of a used link would be a second link (its use is recorded by the token's hash).
  if (ms.toString(36) !== m[2]) return null;
  const expected = Buffer.from(sign(secret, m[1], ms));
  const given = Buffer.from(m[3]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { claimId: m[1], endsAt: new Date(ms) };
}

/** What `consent_uses` stores: never the token itself. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

const secrets = new WeakMap<Deps, Promise<string>>();

/**
 * CPOR_SECRET, or a secret generated once and kept in the `settings` table, so that every
 * process on the same database signs and checks links alike, and links survive restarts.
 */
export function serverSecret(deps: Deps): Promise<string> {
  if (deps.config.CPOR_SECRET) return Promise.resolve(deps.config.CPOR_SECRET);
  let s = secrets.get(deps);
  if (!s) {
    s = (async () => {
      // The system's: the settings policy shows the secret to staff and the system only (0014b).
      return withCaller(deps.db, systemActor, (q) =>
        settingOrInsert(q, 'secret', randomBytes(32).toString('base64url'), new Date()),
      );
    })();
    s.catch(() => secrets.delete(deps));
    secrets.set(deps, s);
  }
  return s;
}

export function consentUrl(deps: Deps, token: string): string {
  return `${deps.config.CPOR_PUBLIC_URL.replace(/\/$/, '')}/consent/${token}`;
}
