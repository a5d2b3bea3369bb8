// Issue 13 point 10: organizations and partner locations are edited and deactivated by the
// platform admin, never deleted. A disabled location cannot be chosen for a claim (a new one,
// or as a claim's new MPN ID: R-FIELD-1, R-EDIT-2); a disabled organization's users cannot
// sign in nor make claims; claims and associations that name them stay. The database refuses
// it too (migration 0016). A location's country is an ISO 3166-1 alpha-2 code.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  client,
  dbTargets,
  m365Claim,
  poeText,
  seedWorld,
  testApp,
  type TestApp,
  type World,
} from './harness.js';

interface Org {
  id: string;
  name: string;
  disabled: boolean;
  locations: { mpnId: string; name: string; country: string | null; disabled: boolean }[];
}

describe.each(dbTargets())('organizations and locations deactivated on %s', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());
  const admin = () => client(t.app, w.tokens.admin);

  it('only a platform admin edits an organization or a location; unknown ones are 404', async () => {
    for (const token of [w.tokens.partnerA, w.tokens.reviewer]) {
      expect(
        (await client(t.app, token).patch(`/api/v1/organizations/${w.orgA.id}`, { name: 'X' })).statusCode,
      ).toBe(403);
      expect(
        (
          await client(t.app, token).patch(`/api/v1/organizations/${w.orgA.id}/locations/1234567`, {
            name: 'X',
          })
        ).statusCode,
      ).toBe(403);
    }
    expect((await admin().patch('/api/v1/organizations/nope', { name: 'X' })).statusCode).toBe(404);
    // A location of another organization is not this organization's.
    expect(
      (await admin().patch(`/api/v1/organizations/${w.orgA.id}/locations/2345678`, { name: 'X' })).statusCode,
    ).toBe(404);
  });

  it('renames an organization and a location, and the country is an ISO 3166-1 alpha-2 code', async () => {
    const renamed = await admin().patch(`/api/v1/organizations/${w.orgB.id}`, { name: 'Fabrikam Ltd' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json<Org>()).toMatchObject({ name: 'Fabrikam Ltd', disabled: false });
    const moved = await admin().patch(`/api/v1/organizations/${w.orgB.id}/locations/2345678`, {
      name: 'Fabrikam Barcelona',
      country: 'ES',
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json<Org>().locations).toEqual([
      { mpnId: '2345678', name: 'Fabrikam Barcelona', country: 'ES', disabled: false },
    ]);
    for (const country of ['Spain', 'es', 'XX', 'UK']) {
      const bad = await admin().patch(`/api/v1/organizations/${w.orgB.id}/locations/2345678`, { country });
      expect(bad.statusCode, country).toBe(422);
      expect(bad.json<{ errors: { path: string; code: string }[] }>().errors[0]).toMatchObject({
        path: 'country',
        code: 'invalid_enum',
      });
      const created = await admin().post('/api/v1/organizations', {
        name: 'Nowhere',
        locations: [{ mpnId: '7654321', name: 'Nowhere', country }],
      });
      expect(created.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('locations.0.country');
    }
    // No country at all stays allowed.
    const none = await admin().patch(`/api/v1/organizations/${w.orgB.id}/locations/2345678`, {
      country: null,
    });
    expect(none.json<Org>().locations[0]?.country).toBeNull();
  });

  it('a disabled location cannot be chosen for a new claim nor as a new MPN ID; its claims go on', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const before = await partner.post('/api/v1/claims', m365Claim({ mpnId: '1234568' }));
    expect(before.statusCode).toBe(201);
    const onOther = (await partner.post('/api/v1/claims', m365Claim())).json<{
      id: string;
      version: number;
    }>();

    const off = await admin().patch(`/api/v1/organizations/${w.orgA.id}/locations/1234568`, {
      disabled: true,
    });
    expect(off.statusCode).toBe(200);
    expect(off.json<Org>().locations.find((l) => l.mpnId === '1234568')?.disabled).toBe(true);
    // The partner's own view of its organization says so (the wizard offers only the others).
    const me = await partner.get('/api/v1/me');
    expect(me.json<{ organization: Org }>().organization.locations).toContainEqual(
      expect.objectContaining({ mpnId: '1234568', disabled: true }),
    );

    const refused = await partner.post('/api/v1/claims', m365Claim({ mpnId: '1234568' }));
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      errors: [{ path: 'mpnId', message: 'is a disabled partner location', code: 'disabled' }],
    });
    const moved = await partner.patch(`/api/v1/claims/${onOther.id}`, { mpnId: '1234568' });
    expect(moved.statusCode).toBe(422);
    expect(moved.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('mpnId');

    // The claim made before goes on: edited, given its PoE, submitted.
    const id = before.json<{ id: string }>().id;
    expect((await partner.patch(`/api/v1/claims/${id}`, { name: 'Still here' })).statusCode).toBe(200);
    expect(
      (await partner.upload(`/api/v1/claims/${id}/documents`, 'sow.txt', poeText(), 'text/plain')).statusCode,
    ).toBe(201);
    const submitted = await partner.post(`/api/v1/claims/${id}/submit`);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', mpnId: '1234568' });

    // The database refuses it too, whatever the application does.
    await expect(
      sql`UPDATE claims SET mpn_id = '1234568' WHERE id = ${onOther.id}`.execute(t.database.db),
    ).rejects.toThrow(/disabled/);

    // Enabled again: chosen again.
    await admin().patch(`/api/v1/organizations/${w.orgA.id}/locations/1234568`, { disabled: false });
    expect((await partner.post('/api/v1/claims', m365Claim({ mpnId: '1234568' }))).statusCode).toBe(201);
  });

  it("a disabled organization's users are out at once and cannot sign in; nothing of it is deleted", async () => {
    const reader = client(t.app, w.tokens.readerA);
    const claims = (await client(t.app, w.tokens.partnerA).get('/api/v1/claims')).json<{ items: unknown[] }>()
      .items;
    expect(claims.length).toBeGreaterThan(0);

    const off = await admin().patch(`/api/v1/organizations/${w.orgA.id}`, { disabled: true });
    expect(off.statusCode).toBe(200);
    expect(off.json<Org>()).toMatchObject({ disabled: true });
    expect((await reader.get('/api/v1/me')).statusCode).toBe(401);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'global@a.example', password: 'test-password-1' },
    });
    expect(signIn.statusCode).toBe(403);
    expect(signIn.json()).toMatchObject({ code: 'forbidden', detail: 'This account is disabled.' });
    // A wrong password still says only that.
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'global@a.example', password: 'not-the-password' },
    });
    expect(wrong.statusCode).toBe(401);

    // Its claims stay, for the reviewers and the platform admin.
    const all = (await admin().get(`/api/v1/claims?limit=200`)).json<{
      items: { organizationId: string }[];
    }>().items;
    expect(all.filter((c) => c.organizationId === w.orgA.id)).toHaveLength(claims.length);
    // The platform admin cannot import claims for it.
    const csv = 'name,mpnId\nImported,1234567\n';
    const boundary = 'b0undary';
    const imported = await t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/import?organizationId=${w.orgA.id}`,
      headers: {
        authorization: `Bearer ${w.tokens.admin}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    });
    expect(imported.statusCode).toBe(403);
    // The database refuses a claim of it.
    await expect(
      sql`INSERT INTO claims (id, organization_id, status, version, created_at, updated_at)
          VALUES ('x-1', ${w.orgA.id}, 'draft', 1, now(), now())`.execute(t.database.db),
    ).rejects.toThrow(/disabled/);

    // Enabled again: its users sign in anew (their old credentials stay ended).
    await admin().patch(`/api/v1/organizations/${w.orgA.id}`, { disabled: false });
    expect((await reader.get('/api/v1/me')).statusCode).toBe(401);
    const back = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'global@a.example', password: 'test-password-1' },
    });
    expect(back.statusCode).toBe(200);
  });
});
