// Issue 8 point 5: everything that changes a claim moves its version (its ETag), and a write
// naming a version the claim no longer has (a stale If-Match) answers 412 and changes nothing:
// edits and actions, and also comments, uploads and deletions of documents.
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

interface ClaimView {
  id: string;
  version: number;
  documentCount: number;
}

describe.each(dbTargets())('the claim version on %s', (target) => {
  let t: TestApp;
  let w: World;
  let partner: ReturnType<typeof client>;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    partner = client(t.app, w.tokens.partnerA);
  });
  afterAll(async () => t?.close());

  const read = async (id: string) => {
    const res = await partner.get(`/api/v1/claims/${id}`);
    expect(res.statusCode).toBe(200);
    const claim = res.json<ClaimView>();
    expect(res.headers.etag).toBe(`"${claim.version}"`);
    return claim;
  };
  const historyLength = async (id: string) =>
    (await partner.get(`/api/v1/claims/${id}/history`)).json<{ items: unknown[] }>().items.length;

  it('an upload moves the version; one with a stale If-Match answers 412 and stores nothing', async () => {
    const created = await partner.post('/api/v1/claims', m365Claim({ name: 'Versioned upload' }));
    const id = created.json<ClaimView>().id;
    const v0 = (await read(id)).version;
    const url = `/api/v1/claims/${id}/documents`;
    const first = await partner.upload(url, 'sow.txt', poeText(1), 'text/plain', { 'if-match': `"${v0}"` });
    expect(first.statusCode, first.body).toBe(201);
    const after = await read(id);
    expect(after.version).toBe(v0 + 1);
    expect(after.documentCount).toBe(1);

    const events = await historyLength(id);
    const stale = await partner.upload(url, 'sow2.txt', poeText(2), 'text/plain', { 'if-match': `"${v0}"` });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json()).toMatchObject({ code: 'precondition_failed', status: 412 });
    const same = await read(id);
    expect(same).toMatchObject({ version: v0 + 1, documentCount: 1 });
    expect(await historyLength(id)).toBe(events);

    // Without If-Match (a program that does not care), and with the current one: accepted.
    expect((await partner.upload(url, 'sow3.txt', poeText(3), 'text/plain')).statusCode).toBe(201);
    const v2 = (await read(id)).version;
    expect(v2).toBe(v0 + 2);
    const current = await partner.upload(url, 'sow4.txt', poeText(4), 'text/plain', {
      'if-match': `"${v2}"`,
    });
    expect(current.statusCode).toBe(201);
    expect((await read(id)).version).toBe(v0 + 3);
  });

  it("deleting a draft's document moves the version; a stale If-Match answers 412 and keeps it", async () => {
    const created = await partner.post('/api/v1/claims', m365Claim({ name: 'Versioned deletion' }));
    const id = created.json<ClaimView>().id;
    const doc = await partner.upload(`/api/v1/claims/${id}/documents`, 'sow.txt', poeText(5), 'text/plain');
    const docId = doc.json<{ id: string }>().id;
    const v = (await read(id)).version;
    const stale = await partner.delete(`/api/v1/claims/${id}/documents/${docId}`, {
      'if-match': `"${v - 1}"`,
    });
    expect(stale.statusCode).toBe(412);
    expect((await read(id)).documentCount).toBe(1);
    const ok = await partner.delete(`/api/v1/claims/${id}/documents/${docId}`, { 'if-match': `"${v}"` });
    expect(ok.statusCode).toBe(204);
    expect(await read(id)).toMatchObject({ version: v + 1, documentCount: 0 });
  });

  it('a comment moves the version; one with a stale If-Match answers 412 and adds nothing', async () => {
    const created = await partner.post('/api/v1/claims', m365Claim({ name: 'Versioned comment' }));
    const id = created.json<ClaimView>().id;
    const v0 = (await read(id)).version;
    const url = `/api/v1/claims/${id}/comments`;
    const first = await partner.post(url, { text: 'First' }, { 'if-match': `"${v0}"` });
    expect(first.statusCode, first.body).toBe(201);
    expect((await read(id)).version).toBe(v0 + 1);
    const stale = await partner.post(url, { text: 'Late' }, { 'if-match': `"${v0}"` });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'precondition_failed' });
    const comments = (await partner.get(url)).json<{ items: { text: string }[] }>().items;
    expect(comments.map((c) => c.text)).toEqual(['First']);
    expect((await read(id)).version).toBe(v0 + 1);
    // An edit with the version read before the comment is stale too.
    const edit = await partner.patch(`/api/v1/claims/${id}`, { name: 'Renamed' }, { 'if-match': `"${v0}"` });
    expect(edit.statusCode).toBe(412);
    // A reviewer's comment moves the partner's ETag as well.
    const reviewer = client(t.app, w.tokens.reviewer);
    await partner.upload(`/api/v1/claims/${id}/documents`, 'sow.txt', poeText(6), 'text/plain');
    expect((await partner.post(`/api/v1/claims/${id}/submit`, {})).statusCode).toBe(200);
    const before = (await read(id)).version;
    expect((await reviewer.post(url, { text: 'Looking' })).statusCode).toBe(201);
    const submitStale = await partner.post(
      `/api/v1/claims/${id}/withdraw`,
      {},
      { 'if-match': `"${before}"` },
    );
    expect(submitStale.statusCode).toBe(412);
  });
});
