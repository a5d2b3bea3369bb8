// Issue 10: credentials with a lifecycle. Tokens expire, carry a name and lastUsedAt and are
// revoked by id; a password change (or a user disabled) bumps the user's credential epoch, and
// a session or token of an older epoch no longer finds its user; every sign-in attempt is
// recorded, and the sign-in limits are counted from that record.
import { sql, type Kysely } from 'kysely';
import { splitStatements } from './0001-initial.js';

const schema = `
    ALTER TABLE users ADD COLUMN disabled_at timestamptz;
    ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
    ALTER TABLE users ADD COLUMN credential_epoch integer NOT NULL DEFAULT 0;
    ALTER TABLE users ADD COLUMN password_changed_at timestamptz;
    ALTER TABLE api_tokens ADD COLUMN id text;
    -- Tokens are named by an id from now on (the hash stays the key of the lookup).
    UPDATE api_tokens SET id = gen_random_uuid()::text;
    ALTER TABLE api_tokens ALTER COLUMN id SET NOT NULL;
    ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_id_key UNIQUE (id);
    ALTER TABLE api_tokens ADD COLUMN name text NOT NULL DEFAULT '';
    ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_name_length CHECK (length(name) <= 100);
    ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
    ALTER TABLE api_tokens ADD COLUMN revoked_at timestamptz;
    ALTER TABLE api_tokens ADD COLUMN credential_epoch integer NOT NULL DEFAULT 0;
    -- Tokens made before this migration had no end: they get the default 90 days from now.
    ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
    -- (created_at moves up to now where it was ahead of the lifetime check below.)
    UPDATE api_tokens SET expires_at = greatest(created_at, now()) + interval '90 days',
      created_at = greatest(created_at, now());
    ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
    -- api.md: a token lives at most 365 days, whatever a caller asks.
    ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_lifetime
      CHECK (expires_at > created_at AND expires_at <= created_at + interval '365 days');
    CREATE INDEX api_tokens_user ON api_tokens(user_id, created_at);
    ALTER TABLE sessions ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
    ALTER TABLE sessions ADD COLUMN credential_epoch integer NOT NULL DEFAULT 0;
    CREATE INDEX sessions_user ON sessions(user_id);
    -- Every sign-in attempt (api.md "Bootstrap and people"); the limits count its failures.
    CREATE TABLE sign_in_attempts (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      email text NOT NULL CHECK (length(email) <= 254),
      address text NOT NULL,
      user_agent text CHECK (length(user_agent) <= 500),
      route text NOT NULL CHECK (route IN ('token', 'login', 'password')),
      -- pending: counted as a failure until the password check gives the outcome (so attempts
      -- sent in parallel cannot all pass the limit before any is recorded).
      outcome text NOT NULL CHECK (outcome IN
        ('pending', 'success', 'wrong_password', 'unknown_account', 'disabled', 'throttled')),
      user_id text REFERENCES users(id)
    );
    CREATE INDEX sign_in_attempts_email ON sign_in_attempts(email, at);
    CREATE INDEX sign_in_attempts_address ON sign_in_attempts(address, at);
    -- The record of who tried is evidence: nobody edits or deletes it, but for the one step
    -- of a pending attempt to its outcome (and the user it turned out to be).
    CREATE FUNCTION sign_in_attempts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND OLD.outcome = 'pending' AND NEW.outcome <> 'pending'
         AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.email = OLD.email
         AND NEW.address = OLD.address AND NEW.route = OLD.route
         AND NEW.user_agent IS NOT DISTINCT FROM OLD.user_agent
         AND (OLD.user_id IS NULL OR NEW.user_id IS NOT DISTINCT FROM OLD.user_id) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'sign_in_attempts is append-only';
    END $$;
    CREATE TRIGGER sign_in_attempts_no_change BEFORE UPDATE OR DELETE ON sign_in_attempts
      FOR EACH ROW EXECUTE FUNCTION sign_in_attempts_append_only();
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of splitStatements(schema)) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP TABLE sign_in_attempts',
    'DROP FUNCTION sign_in_attempts_append_only',
    'ALTER TABLE sessions DROP COLUMN credential_epoch, DROP COLUMN created_at',
    `ALTER TABLE api_tokens DROP COLUMN expires_at, DROP COLUMN credential_epoch,
       DROP COLUMN revoked_at, DROP COLUMN last_used_at, DROP COLUMN name, DROP COLUMN id`,
    `ALTER TABLE users DROP COLUMN password_changed_at, DROP COLUMN credential_epoch,
       DROP COLUMN must_change_password, DROP COLUMN disabled_at`,
  ])
    await sql.raw(statement).execute(db);
}
