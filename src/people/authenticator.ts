// How the HTTP layer's Authenticator (src/http/auth.ts) finds the caller: bearer tokens and
// session cookies are stored as SHA-256 hashes, never as themselves. The lookups refuse
// revoked, expired and superseded credentials and disabled users (people-repository.ts).
// With a cache (auth-cache.ts: the program's real clock), a credential seen in the last
// seconds needs no lookup until a credential, user or organization changes anywhere.
import type { Database } from '../db/database.js';
import { authCaller, withCaller } from '../db/transaction.js';
import type { Clock } from '../clock.js';
import { sha256 } from './passwords.js';
import { actorBySession, actorByTokenHash, touchToken } from './people-repository.js';
import type { AuthCache } from './auth-cache.js';

type ByToken = NonNullable<Awaited<ReturnType<typeof actorByTokenHash>>>;
type BySession = NonNullable<Awaited<ReturnType<typeof actorBySession>>>;

/** lastUsedAt is written at most once a minute per token (not a write on every request). */
const touchEveryMs = 60_000;

export function peopleAuthenticator(db: Database, clock: Clock, cache: AuthCache | null = null) {
  /** Valid now, and cached when it is still valid `ttl` from now (so that it cannot expire in the cache). */
  async function lookup<T>(key: string, now: Date, find: (at: Date) => Promise<T | null>): Promise<T | null> {
    if (!cache) return find(now);
    const hit = await cache.get<T>(key);
    if (hit) return hit;
    const generation = cache.current;
    const lasting = await find(new Date(now.getTime() + cache.ttlMs));
    if (lasting) {
      cache.set(key, lasting, generation);
      return lasting;
    }
    return find(now);
  }
  return {
    async byToken(token: string) {
      const now = clock.now();
      const hash = sha256(token);
      // No caller yet: the narrow scope of looking up a credential (docs/architecture.md).
      const found = await lookup<ByToken>(`token:${hash}`, now, (at) =>
        withCaller(db, authCaller, (q) => actorByTokenHash(q, hash, at)),
      );
      if (!found) return null;
      if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= touchEveryMs) {
        await withCaller(db, authCaller, (q) => touchToken(q, found.tokenId, now));
        found.lastUsedAt = now; // the cached entry too
      }
      return { ...found, credential: { tokenId: found.tokenId } };
    },
    // Sessions expire by the wall clock (startSession sets them so), whatever the app's clock says.
    async bySession(cookie: string) {
      const hash = sha256(cookie);
      const found = await lookup<BySession>(`session:${hash}`, new Date(), (at) =>
        withCaller(db, authCaller, (q) => actorBySession(q, hash, at)),
      );
      return found ? { ...found, credential: { sessionHash: hash } } : null;
    },
  };
}
