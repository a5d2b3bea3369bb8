// Issue 13 point 10: before a new holiday moves running deadlines (R-TIME-1), the platform
// admin learns how many it would move: GET /holidays/impact counts them exactly as adding the
// holiday then moves them, and changes nothing.
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

interface Impact {
  date: string;
  holiday: boolean;
  movedDeadlines: number;
  claims: number;
}

describe.each(dbTargets())('the impact of a new holiday on %s', (target) => {
  let t: TestApp;
  let w: World;
  const ids: string[] = [];
  beforeAll(async () => {
    // Wednesday 4 March 2026, noon UTC.
    t = await testApp(target);
    w = await seedWorld(t);
    const partner = client(t.app, w.tokens.partnerA);
    // Two submitted claims: each runs its review-start SLA, 5 business days (due Wed 11 March).
    for (const name of ['One', 'Two']) {
      const id = (await partner.post('/api/v1/claims', m365Claim({ name }))).json<{ id: string }>().id;
      await partner.upload(`/api/v1/claims/${id}/documents`, 'sow.txt', poeText(), 'text/plain');
      expect((await partner.post(`/api/v1/claims/${id}/submit`)).statusCode).toBe(200);
      ids.push(id);
    }
  });
  afterAll(async () => t?.close());
  const impact = async (date: string, token = w.tokens.admin) =>
    client(t.app, token).get(`/api/v1/holidays/impact?date=${date}`);

  it('only a platform admin asks; the date must be a date', async () => {
    expect((await impact('2026-03-06', w.tokens.partnerA)).statusCode).toBe(403);
    expect((await impact('2026-03-06', w.tokens.reviewer)).statusCode).toBe(403);
    const bad = await impact('2026-02-30');
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ errors: [{ path: 'date', code: 'invalid_format' }] });
  });

  it('counts the running deadlines a business day inside their span would move, and only those', async () => {
    expect((await impact('2026-03-06')).json<Impact>()).toEqual({
      date: '2026-03-06',
      holiday: false,
      movedDeadlines: 2,
      claims: 2,
    });
    // A Saturday, a day after they fall due, a day before they were set: nothing moves.
    for (const date of ['2026-03-07', '2026-03-12', '2026-03-03'])
      expect((await impact(date)).json<Impact>(), date).toMatchObject({ movedDeadlines: 0, claims: 0 });
    // Asking changed nothing.
    const claim = (await client(t.app, w.tokens.admin).get(`/api/v1/claims/${ids[0]}`)).json<{
      dueAt: string;
    }>();
    expect(claim.dueAt).toBe('2026-03-11T12:00:00.000Z');
  });

  it('adding the holiday then moves exactly that many; asked again, it is a holiday already', async () => {
    const admin = client(t.app, w.tokens.admin);
    const before = (await impact('2026-03-09')).json<Impact>();
    expect(before.movedDeadlines).toBe(2);
    expect((await admin.post('/api/v1/holidays', { date: '2026-03-09', name: 'Test day' })).statusCode).toBe(
      201,
    );
    let moved = 0;
    for (const id of ids) {
      const history = (await admin.get(`/api/v1/claims/${id}/history?limit=200`)).json<{
        items: { type: string }[];
      }>();
      moved += history.items.filter((h) => h.type === 'deadline_moved').length;
      const claim = (await admin.get(`/api/v1/claims/${id}`)).json<{ dueAt: string }>();
      expect(claim.dueAt).toBe('2026-03-12T12:00:00.000Z');
    }
    expect(moved).toBe(before.movedDeadlines);
    expect((await impact('2026-03-09')).json<Impact>()).toEqual({
      date: '2026-03-09',
      holiday: true,
      movedDeadlines: 0,
      claims: 0,
    });
  });
});
