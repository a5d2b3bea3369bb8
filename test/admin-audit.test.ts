// Issue 13, the admin audit (migration 0019): every change of organizations, partner locations,
// users, holidays, products and tenants writes one entry in the transaction of the change
// (who, when, what, the changed fields before and after, never a password); a refused change
// writes none; only platform admins read it (GET /api/v1/admin/audit); the runtime roles can
// neither change nor delete an entry.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../src/db/transaction.js';
import { systemActor } from '../src/domain/actor.js';
import { changesOf } from '../src/domain/admin-audit.js';
import { client, dbTargets, seedWorld, tenantId, testApp, type TestApp, type World } from './harness.js';

interface Entry {
  id: string;
  at: string;
  actor: { id: string | null; name: string; role: string };
  entity: string;
  entityId: string;
  action: string;
  changes: Record<string, { from: unknown; to: unknown }>;
}
interface Page {
  items: Entry[];
  nextCursor: string | null;
}

describe.each(dbTargets())('the admin audit on %s', (target) => {
  let t: TestApp;
  let w: World;
  let adminId: string;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    adminId = (
      await sql<{ id: string }>`SELECT id FROM users WHERE email = 'admin@test.example'`.execute(
        t.database.db,
      )
    ).rows[0]!.id;
  });
  afterAll(async () => t?.close());
  const admin = () => client(t.app, w.tokens.admin);
  /** Every entry, newest first, as the owner reads them (no policy applies to it). */
  const ownerEntries = async () =>
    (await sql<{ id: string }>`SELECT id FROM admin_audit ORDER BY id`.execute(t.database.db)).rows.length;
  /** The newest entries the API shows, of a filter. */
  const latest = async (query = '') => {
    const res = await admin().get(`/api/v1/admin/audit?limit=200${query}`);
    expect(res.statusCode).toBe(200);
    return res.json<Page>().items;
  };

  it('the seeded world is in it: organizations, their locations and users, created', async () => {
    const all = await latest();
    expect(all.filter((e) => e.entity === 'organization' && e.action === 'created')).toHaveLength(2);
    expect(
      all
        .filter((e) => e.entity === 'location' && e.action === 'created')
        .map((e) => e.entityId)
        .sort(),
    ).toEqual(['1234567', '1234568', '2345678']);
    const user = all.find((e) => e.entity === 'user' && e.changes['email']?.to === 'global@a.example')!;
    expect(user).toMatchObject({ action: 'created', actor: { id: null, role: 'system' } });
    expect(user.changes['roles']).toEqual({ from: null, to: ['global_admin'] });
    expect(user.changes['organizationId']).toEqual({ from: null, to: w.orgA.id });
    // Never a password nor its hash, by any name.
    const keys = new Set(all.flatMap((e) => Object.keys(e.changes)));
    expect([...keys].filter((k) => /password|hash|secret|token/i.test(k))).toEqual(['mustChangePassword']);
    expect(JSON.stringify(all)).not.toMatch(/test-password-1|argon2/);
  });

  it('each kind of change writes its entry, with who did it and the fields before and after', async () => {
    const before = await ownerEntries();
    const adminApi = admin();
    expect(
      (await adminApi.patch(`/api/v1/organizations/${w.orgB.id}`, { name: 'Fabrikam Ltd' })).statusCode,
    ).toBe(200);
    expect(
      (await adminApi.patch(`/api/v1/organizations/${w.orgB.id}/locations/2345678`, { country: 'ES' }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await adminApi.post(`/api/v1/organizations/${w.orgB.id}/locations`, {
          mpnId: '2345679',
          name: 'Bilbao',
        })
      ).statusCode,
    ).toBe(201);
    expect((await adminApi.patch(`/api/v1/organizations/${w.orgB.id}`, { disabled: true })).statusCode).toBe(
      200,
    );
    expect((await adminApi.patch(`/api/v1/organizations/${w.orgB.id}`, { disabled: false })).statusCode).toBe(
      200,
    );
    const created = await adminApi.post('/api/v1/users', {
      email: 'new@a.example',
      name: 'New',
      password: 'a-long-enough-password',
      roles: ['reader'],
      organizationId: w.orgA.id,
    });
    expect(created.statusCode).toBe(201);
    const userId = created.json<{ id: string }>().id;
    expect((await adminApi.patch(`/api/v1/users/${userId}`, { roles: ['billing_admin'] })).statusCode).toBe(
      200,
    );
    expect(
      (await adminApi.patch(`/api/v1/users/${userId}`, { password: 'another-long-password' })).statusCode,
    ).toBe(200);
    expect((await adminApi.patch(`/api/v1/users/${userId}`, { disabled: true })).statusCode).toBe(200);
    expect((await adminApi.post('/api/v1/holidays', { date: '2026-12-25', name: 'Xmas' })).statusCode).toBe(
      201,
    );
    expect(
      (await adminApi.post('/api/v1/holidays', { date: '2026-12-25', name: 'Christmas' })).statusCode,
    ).toBe(200);
    expect((await adminApi.delete('/api/v1/holidays/2026-12-25')).statusCode).toBe(204);
    expect(
      (
        await adminApi.put('/api/v1/catalog/products/audit_test', {
          name: 'Audit test',
          solutionArea: 'microsoft_365',
          scope: 'workload',
          dynamics365: false,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await adminApi.put('/api/v1/catalog/products/audit_test', {
          name: 'Audit test',
          solutionArea: 'microsoft_365',
          scope: 'workload',
          dynamics365: false,
          active: false,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await adminApi.put(`/api/v1/tenants/${tenantId}`, { domains: ['contoso.example'], subscriptions: [] }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await adminApi.put(`/api/v1/tenants/${tenantId}`, {
          domains: ['contoso.example', 'contoso2.example'],
          subscriptions: [],
        })
      ).statusCode,
    ).toBe(200);
    // A change that changes nothing is no change: no entry.
    expect(
      (await adminApi.patch(`/api/v1/organizations/${w.orgB.id}`, { name: 'Fabrikam Ltd' })).statusCode,
    ).toBe(200);
    const me = await client(t.app, w.tokens.partnerA).get('/api/v1/me');
    const partnerId = me.json<{ id: string }>().id;
    // Its own choice of language is its preference (the language picker sets it at every
    // switch): no entry. Its own change of its name is recorded under its own id.
    expect(
      (await client(t.app, w.tokens.partnerA).patch(`/api/v1/users/${partnerId}`, { language: 'pt-BR' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await client(t.app, w.tokens.partnerA).patch(`/api/v1/users/${partnerId}`, { name: 'Global A' }))
        .statusCode,
    ).toBe(200);

    const entries = (await latest()).slice(0, (await ownerEntries()) - before).reverse();
    expect(entries.map((e) => [e.entity, e.entityId, e.action])).toEqual([
      ['organization', w.orgB.id, 'updated'],
      ['location', '2345678', 'updated'],
      ['location', '2345679', 'created'],
      ['organization', w.orgB.id, 'disabled'],
      ['organization', w.orgB.id, 'enabled'],
      ['user', userId, 'created'],
      ['user', userId, 'updated'],
      ['user', userId, 'password_reset'],
      ['user', userId, 'disabled'],
      ['holiday', '2026-12-25', 'created'],
      ['holiday', '2026-12-25', 'updated'],
      ['holiday', '2026-12-25', 'deleted'],
      ['product', 'audit_test', 'created'],
      ['product', 'audit_test', 'updated'],
      ['tenant', tenantId, 'created'],
      ['tenant', tenantId, 'updated'],
      ['user', partnerId, 'updated'],
    ]);
    expect(entries[0]!.changes).toEqual({ name: { from: 'Fabrikam', to: 'Fabrikam Ltd' } });
    expect(entries[0]!.actor).toEqual({ id: adminId, name: 'admin', role: 'platform_admin' });
    expect(entries[1]!.changes).toEqual({ country: { from: null, to: 'ES' } });
    expect(entries[3]!.changes).toEqual({ disabled: { from: false, to: true } });
    expect(entries[6]!.changes).toEqual({ roles: { from: ['reader'], to: ['billing_admin'] } });
    expect(entries[7]!.changes).toEqual({});
    expect(entries[10]!.changes).toEqual({ name: { from: 'Xmas', to: 'Christmas' } });
    expect(entries[11]!.changes).toEqual({ name: { from: 'Christmas', to: null } });
    expect(entries[13]!.changes).toEqual({ active: { from: true, to: false } });
    expect(entries[15]!.changes).toEqual({
      domains: { from: ['contoso.example'], to: ['contoso.example', 'contoso2.example'] },
    });
    expect(entries[16]).toMatchObject({
      actor: { id: partnerId, role: 'global_admin' },
      changes: { name: { from: 'global', to: 'Global A' } },
    });
    for (const e of entries) expect(Date.parse(e.at)).toBe(t.clock.now().getTime());
    expect(JSON.stringify(entries)).not.toMatch(/long-enough|another-long|hash/i);
  });

  it('a refused change writes no entry', async () => {
    const before = await ownerEntries();
    // An MPN ID of another organization; a user of an email taken; the last platform admin
    // disabled; a holiday that is not there; a subscription product that is a workload.
    expect(
      (await admin().post(`/api/v1/organizations/${w.orgA.id}/locations`, { mpnId: '2345678', name: 'X' }))
        .statusCode,
    ).toBe(422);
    expect(
      (
        await admin().post('/api/v1/users', {
          email: 'global@a.example',
          name: 'Dup',
          password: 'a-long-enough-password',
          roles: ['reader'],
          organizationId: w.orgA.id,
        })
      ).statusCode,
    ).toBe(422);
    expect((await admin().patch(`/api/v1/users/${adminId}`, { disabled: true })).statusCode).toBe(409);
    expect((await admin().delete('/api/v1/holidays/2026-11-11')).statusCode).toBe(404);
    expect(
      (
        await admin().put(`/api/v1/tenants/${tenantId}`, {
          domains: ['contoso.example'],
          subscriptions: [{ id: 'sub-1', productId: 'exchange_online' }],
        })
      ).statusCode,
    ).toBe(422);
    expect(await ownerEntries()).toBe(before);
  });

  it('only a platform admin reads it: partners and reviewers get 403', async () => {
    for (const token of [w.tokens.partnerA, w.tokens.reviewer, w.tokens.readerA]) {
      const res = await client(t.app, token).get('/api/v1/admin/audit');
      expect(res.statusCode).toBe(403);
    }
    // The database too: a partner's transaction sees no entry.
    const seen = await inTransaction(
      t.deps.db,
      { kind: 'user', id: null, name: 'p', roles: ['global_admin'], organizationId: w.orgA.id },
      (tx) => tx.selectFrom('admin_audit').select('id').execute(),
    );
    expect(seen).toEqual([]);
    expect(await ownerEntries()).toBeGreaterThan(0);
  });

  it('pages newest first by a cursor, and filters by entity, entity id and actor', async () => {
    const first = await admin().get('/api/v1/admin/audit?limit=3');
    const page1 = first.json<Page>();
    expect(page1.items).toHaveLength(3);
    const second = (await admin().get(`/api/v1/admin/audit?limit=3&cursor=${page1.nextCursor}`)).json<Page>();
    const ids = [...page1.items, ...second.items].map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(6);
    const holidays = await latest('&entity=holiday');
    expect(holidays.map((e) => e.action)).toEqual(['deleted', 'updated', 'created']);
    const byAdmin = await latest(`&actorId=${adminId}`);
    expect(byAdmin.length).toBeGreaterThan(10);
    expect(byAdmin.every((e) => e.actor.id === adminId)).toBe(true);
    const one = await latest(`&entity=location&entityId=2345679`);
    expect(one.map((e) => e.action)).toEqual(['created']);
    expect((await admin().get('/api/v1/admin/audit?cursor=abc')).statusCode).toBe(422);
    expect((await admin().get('/api/v1/admin/audit?entity=claim')).statusCode).toBe(422);
  });

  it('the runtime roles cannot change nor delete an entry, nor forge one in another name; the owner cannot either', async () => {
    const { id } = (
      await sql<{ id: string }>`SELECT id FROM admin_audit ORDER BY id LIMIT 1`.execute(t.database.db)
    ).rows[0]!;
    for (const who of [
      systemActor,
      {
        kind: 'user' as const,
        id: adminId,
        name: 'a',
        roles: ['platform_admin' as const],
        organizationId: null,
      },
    ]) {
      await expect(
        inTransaction(t.deps.db, who, (tx) =>
          tx.updateTable('admin_audit').set({ actor_name: 'someone else' }).where('id', '=', id).execute(),
        ),
      ).rejects.toThrow(/permission denied/);
      await expect(
        inTransaction(t.deps.db, who, (tx) => tx.deleteFrom('admin_audit').where('id', '=', id).execute()),
      ).rejects.toThrow(/permission denied/);
      await expect(
        inTransaction(t.deps.db, who, (tx) => sql`TRUNCATE admin_audit`.execute(tx)),
      ).rejects.toThrow(/permission denied/);
    }
    // The owner is refused by the trigger.
    await expect(sql`DELETE FROM admin_audit WHERE id = ${id}`.execute(t.database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(
      sql`UPDATE admin_audit SET actor_name = 'x' WHERE id = ${id}`.execute(t.database.db),
    ).rejects.toThrow(/append-only/);
    // A partner writes an entry in its own name only.
    const partnerId = (
      await sql<{ id: string }>`SELECT id FROM users WHERE email = 'global@a.example'`.execute(t.database.db)
    ).rows[0]!.id;
    const partner = {
      kind: 'user' as const,
      id: partnerId,
      name: 'p',
      roles: ['global_admin' as const],
      organizationId: w.orgA.id,
    };
    const forged = {
      at: new Date(),
      actor_name: 'admin',
      actor_role: 'platform_admin',
      entity: 'user' as const,
      entity_id: partnerId,
      action: 'updated' as const,
      changes: '{}',
    };
    await expect(
      inTransaction(t.deps.db, partner, (tx) =>
        tx
          .insertInto('admin_audit')
          .values({ ...forged, actor_id: adminId })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('changesOf refuses to record a password or a secret, by any name', () => {
    for (const field of ['password', 'password_hash', 'passwordHash', 'secret', 'token_hash', 'newPassword'])
      expect(() => changesOf(null, { [field]: 'x' }, [field]), field).toThrow(/never records/);
    expect(
      changesOf({ mustChangePassword: false }, { mustChangePassword: true }, ['mustChangePassword']),
    ).toEqual({
      mustChangePassword: { from: false, to: true },
    });
  });
});
