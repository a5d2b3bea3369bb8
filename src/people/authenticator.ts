// How the HTTP layer's Authenticator (src/http/auth.ts) finds the caller: bearer tokens and
// session cookies are stored as SHA-256 hashes, never as themselves.
import type { Database } from '../db/database.js';
import type { Actor } from '../domain/actor.js';
import { sha256 } from './passwords.js';
import { actorBySession, actorByTokenHash } from './people-repository.js';

export function peopleAuthenticator(db: Database) {
  return {
    byToken: (token: string): Promise<Actor | null> => actorByTokenHash(db, sha256(token)),
    // Sessions expire by the wall clock (startSession sets them so), whatever the app's clock says.
    bySession: (cookie: string) => actorBySession(db, sha256(cookie), new Date()),
  };
}
