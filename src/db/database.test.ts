// The runtime pool's login when CPOR_RUNTIME_DATABASE_URL is unset (issue 11, migration 0014):
// DATABASE_URL with the user cpor_runtime and no password, whatever form the owner's takes.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runtimeUrlOf } from './database.js';

/** What the driver makes of a connection string (without connecting). */
const parse = (connectionString: string) => {
  const { user, password, host, port, database } = new pg.Client({ connectionString });
  return { user, password, host, port, database };
};

describe('runtimeUrlOf', () => {
  it.each([
    'postgres://owner:secret@db.example:5432/cpor',
    'postgresql://owner@127.0.0.1/cpor?application_name=cpor',
    'postgres://db.example/cpor?user=owner&password=secret',
    'postgres:///cpor?host=/var/run/postgresql',
    'postgres://owner:secret@%2Fvar%2Frun%2Fpostgresql/cpor',
  ])('logs %s in as cpor_runtime, without the password, same server and database', (owner) => {
    const before = parse(owner);
    const after = parse(runtimeUrlOf(owner));
    expect(after.user).toBe('cpor_runtime');
    expect(after.password ?? '').toBe('');
    expect(after.host).toBe(before.host);
    expect(after.port).toBe(before.port);
    expect(after.database).toBe(before.database);
  });
});
