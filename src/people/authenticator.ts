// How the HTTP layer's Authenticator (src/http/auth.ts) finds the caller: bearer tokens and
// session cookies are stored as SHA-256 hashes, never as themselves. The lookups refuse
// revoked, expired and superseded credentials and disabled users (people-repository.ts).
import type { Database } from '../db/database.js';
import type { Clock } from '../clock.js';
import { sha256 } from './passwords.js';
import { actorBySession, actorByTokenHash, touchToken } from './people-repository.js';

export function peopleAuthenticator(db: Database, clock: Clock) {
  return {
    async byToken(token: string) {
      const now = clock.now();
      const found = await actorByTokenHash(db, sha256(token), now);
      if (!found) return null;
      if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= 60_000)
        await touchToken(db, found.tokenId, now);
      return { ...found, credential: { tokenId: found.tokenId } };
    },
    // Sessions expire by the wall clock (startSession sets them so), whatever the app's clock says.
    async bySession(cookie: string) {
      const hash = sha256(cookie);
      const found = await actorBySession(db, hash, new Date());
      return found ? { ...found, credential: { sessionHash: hash } } : null;
    },
  };
}
