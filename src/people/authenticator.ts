// How the HTTP layer's Authenticator (src/http/auth.ts) finds the caller: bearer tokens and
// session cookies are stored as SHA-256 hashes, never as themselves. The lookups refuse
// revoked, expired and superseded credentials and disabled users (people-repository.ts).
import type { Database } from '../db/database.js';
import { authCaller, withCaller } from '../db/transaction.js';
import type { Clock } from '../clock.js';
import { sha256 } from './passwords.js';
import { actorBySession, actorByTokenHash, touchToken } from './people-repository.js';

export function peopleAuthenticator(db: Database, clock: Clock) {
  return {
    async byToken(token: string) {
      const now = clock.now();
      // No caller yet: the narrow scope of looking up a credential (docs/architecture.md).
      const found = await withCaller(db, authCaller, async (q) => {
        const f = await actorByTokenHash(q, sha256(token), now);
        if (f && (!f.lastUsedAt || now.getTime() - f.lastUsedAt.getTime() >= 60_000))
          await touchToken(q, f.tokenId, now);
        return f;
      });
      if (!found) return null;
      return { ...found, credential: { tokenId: found.tokenId } };
    },
    // Sessions expire by the wall clock (startSession sets them so), whatever the app's clock says.
    async bySession(cookie: string) {
      const hash = sha256(cookie);
      const found = await withCaller(db, authCaller, (q) => actorBySession(q, hash, new Date()));
      return found ? { ...found, credential: { sessionHash: hash } } : null;
    },
  };
}
