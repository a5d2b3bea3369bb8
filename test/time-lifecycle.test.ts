// Issue 3 "Done when", on the test clock, through the HTTP API, on PGlite and PostgreSQL:
// a request for information made on the Friday before a Monday holiday is rejected exactly
// five business days later (R-TIME-2), a customer denial on day 6 rejects (R-CONS-2), day 8
// completes consent and the evaluation feed lists it (R-TIME-3), a dispute on day 31 is
// refused (R-TIME-4), overdue claims are listed; every mail is read from a real SMTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClockRoutes } from '../src/deadlines/test-clock-routes.js';
import {
  client,
  dbTargets,
  seedWorld,
  testApp,
  type TestApp,
  type World,
  contactVerified,
} from './harness.js';
import { claimInReview, submittedClaim } from './claim-steps.js';
import { linkIn, startMailServer, type MailServer, type ReceivedMail } from './mail-server.js';

// Friday noon UTC; Monday 25 May 2026 is made a holiday below.
const T0 = new Date('2026-05-22T12:00:00Z');
const publicUrl = 'http://cpor.test';

interface ClaimBody {
  id: string;
  status: string;
  statusReason: string | null;
  dueAt: string | null;
  overdue: boolean;
  consent: { state: string; endsAt: string } | null;
  disputeEndsAt: string | null;
}
interface HistoryItem {
  at: string;
  type: string;
  actor: { role: string };
  data: Record<string, unknown>;
}

describe.each(dbTargets())('time, mail and consent on %s', (target) => {
  let t: TestApp;
  let w: World;
  let smtp: MailServer;
  const ids = { rfi: '', denied: '', consented: '', rejected: '', waiting: '' };
  const api = () => client(t.app);
  const as = (who: keyof World['tokens']) => client(t.app, w.tokens[who]);
  const claim = async (id: string) => (await as('reviewer').get(`/api/v1/claims/${id}`)).json<ClaimBody>();
  const history = async (id: string) =>
    (await as('reviewer').get(`/api/v1/claims/${id}/history`)).json<{ items: HistoryItem[] }>().items;
  const advance = async (body: Record<string, unknown>) => {
    const res = await as('admin').post('/api/v1/test-clock/advance', body);
    expect(res.statusCode).toBe(200);
    return res.json<{ now: string; fired: number }>();
  };
  const mailAbout = (name: string, subject: RegExp): ReceivedMail => {
    const found = smtp.mails.filter(
      (m) => (m.parsed.text ?? '').includes(name) && subject.test(m.parsed.subject ?? ''),
    );
    expect(found, `one mail about ${name} with subject ${String(subject)}`).toHaveLength(1);
    return found[0] as ReceivedMail;
  };
  const language = (m: ReceivedMail) => m.parsed.headers.get('content-language');

  beforeAll(async () => {
    smtp = await startMailServer();
    t = await testApp(target, {
      start: T0,
      env: { CPOR_SMTP_URL: smtp.url, CPOR_PUBLIC_URL: publicUrl },
      app: { plugins: [testClockRoutes] },
    });
    w = await seedWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('holidays: everyone reads them, only the platform admin changes them (R-TIME-1)', async () => {
    expect(
      (await as('partnerA').post('/api/v1/holidays', { date: '2026-05-25', name: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (await as('reviewer').post('/api/v1/holidays', { date: '2026-05-25', name: 'x' })).statusCode,
    ).toBe(403);
    expect((await as('admin').post('/api/v1/holidays', { date: '2026-02-30', name: 'x' })).statusCode).toBe(
      422,
    );
    expect(
      (await as('admin').post('/api/v1/holidays', { date: '2026-05-25', name: 'Holiday' })).statusCode,
    ).toBe(201);
    expect((await as('admin').post('/api/v1/holidays', { date: '2026-12-24', name: 'Eve' })).statusCode).toBe(
      201,
    );
    expect((await as('partnerA').delete('/api/v1/holidays/2026-12-24')).statusCode).toBe(403);
    expect((await as('admin').delete('/api/v1/holidays/2026-12-24')).statusCode).toBe(204);
    expect((await as('admin').delete('/api/v1/holidays/2026-12-24')).statusCode).toBe(404);
    const list = await as('readerA').get('/api/v1/holidays');
    expect(list.json()).toMatchObject({ items: [{ date: '2026-05-25', name: 'Holiday' }], timeZone: 'UTC' });
    expect((await api().get('/api/v1/holidays')).statusCode).toBe(401);
  });

  it('at Friday noon before the holiday: information requested, approvals, a rejection (R-NOTE-1/2/3)', async () => {
    expect((await api().get('/api/v1/test-clock')).statusCode).toBe(401);
    expect((await as('partnerA').post('/api/v1/test-clock/advance', {})).statusCode).toBe(403);
    expect((await as('reviewer').get('/api/v1/test-clock')).statusCode).toBe(403);
    expect((await as('admin').get('/api/v1/test-clock')).json()).toEqual({ now: T0.toISOString() });
    const reviewer = as('reviewer');
    ids.rfi = await claimInReview(t, w, 'Rfi');
    ids.denied = await claimInReview(t, w, 'Denied', {
      customerContact: {
        name: 'Carla Cliente',
        title: 'CIO',
        email: 'carla@denied.example',
        language: 'pt-BR',
      },
    });
    ids.consented = await claimInReview(t, w, 'Consented', {
      customerContact: { name: '陳客戶', title: 'CIO', email: 'chen@consented.example', language: 'zh-TW' },
    });
    ids.rejected = await claimInReview(t, w, 'Rejected');
    ids.waiting = await submittedClaim(t, w, 'Waiting'); // not reviewed: the reviewer SLA runs

    const rfi = await reviewer.post(`/api/v1/claims/${ids.rfi}/request-information`, {
      reasons: ['poe_missing', 'dates_missing_or_old'],
      comment: 'Please attach the signed SOW.',
    });
    expect(rfi.statusCode).toBe(200);
    // Tue 26, Wed 27, Thu 28, Fri 29 May, Mon 1 June (Mon 25 May is a holiday).
    expect(rfi.json<ClaimBody>().dueAt).toBe('2026-06-01T12:00:00.000Z');
    expect((await claim(ids.waiting)).dueAt).toBe('2026-06-01T12:00:00.000Z');
    for (const id of [ids.denied, ids.consented])
      expect(
        (await reviewer.post(`/api/v1/claims/${id}/approve`, contactVerified)).json<ClaimBody>().consent,
      ).toEqual({
        state: 'pending',
        endsAt: '2026-05-29T12:00:00.000Z',
      });
    const rej = await reviewer.post(`/api/v1/claims/${ids.rejected}/reject`, {
      reason: 'insufficient_poe',
      comment: 'The SOW is not signed.',
    });
    expect(rej.json<ClaimBody>().disputeEndsAt).toBe('2026-06-21T12:00:00.000Z');

    await advance({}); // sends what the changes wrote to the outbox
    const info = mailAbout('Rfi', /^Partner action required: Rfi$/);
    expect(info.to).toEqual(['paula@a.example']);
    expect(language(info)).toBe('en');
    expect(info.parsed.text).toContain('proof of execution (PoE) missing');
    expect(info.parsed.text).toContain('Please attach the signed SOW.');
    expect(info.parsed.text).toContain('June 1, 2026');
    expect(info.parsed.html).toContain(`href="${publicUrl}/claims/${ids.rfi}"`);
    expect(linkIn(info, publicUrl)).toBe(`${publicUrl}/claims/${ids.rfi}`);

    const rejected = mailAbout('Rejected', /^Claim rejected: Rejected$/);
    expect(rejected.parsed.text).toContain('insufficient proof of execution (PoE)');
    expect(rejected.parsed.text).toContain('dispute the rejection until June 21, 2026');

    const pt = mailAbout('Denied', /Associação de cliente por Contoso Partners/);
    expect(pt.to).toEqual(['carla@denied.example']);
    expect(language(pt)).toBe('pt-BR');
    expect(pt.parsed.text).toContain('consentimento do cliente');
    expect(pt.parsed.text).toContain('ID de MPN 1234567');
    expect(pt.parsed.text).toContain('Exchange Online');
    expect(linkIn(pt, `${publicUrl}/consent/`)).toMatch(/^http:\/\/cpor\.test\/consent\/\S+$/);

    const tw = mailAbout('Consented', /客戶關聯/);
    expect(language(tw)).toBe('zh-TW');
    expect(tw.parsed.text).toContain('客戶同意');
    const link = linkIn(tw, `${publicUrl}/consent/`) ?? '';
    const view = await api().get(`/api/v1${link.slice(publicUrl.length)}`);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      state: 'pending',
      endsAt: '2026-05-29T12:00:00.000Z',
      language: 'zh-TW',
      partner: { organizationName: 'Contoso Partners', mpnId: '1234567' },
      claim: { id: ids.consented, name: 'Consented', products: [{ productId: 'exchange_online' }] },
    });
    // Issue 13 point 11: the partner is told of the approval too, in its own language, with
    // the end of the customer's window.
    const toPartner = mailAbout('Consented', /^Claim approved: Consented$/);
    expect(toPartner.to).toEqual(['paula@a.example']);
    expect(language(toPartner)).toBe('en');
    expect(toPartner.parsed.text).toContain('may deny customer consent until May 29, 2026');
    expect(toPartner.parsed.text).toContain('Exchange Online');
    expect(linkIn(toPartner, publicUrl)).toBe(`${publicUrl}/claims/${ids.consented}`);
    const ids2 = smtp.mails.map((m) => m.parsed.messageId);
    expect(new Set(ids2).size).toBe(ids2.length);
    expect(smtp.mails.every((m) => m.parsed.html && m.parsed.text)).toBe(true);
  });

  it('day 6: the customer denies through the link; the claim is rejected and the partner told (R-CONS-2)', async () => {
    await advance({ days: 6 });
    const link = linkIn(mailAbout('Denied', /Associação de cliente/), `${publicUrl}/consent/`) ?? '';
    const path = `/api/v1${link.slice(publicUrl.length)}`;
    expect((await api().get(path)).statusCode).toBe(200);
    expect((await api().post(`${path}x/deny`, {})).json()).toMatchObject({ code: 'consent_link_invalid' });
    const denied = await api().post(`${path}/deny`, { reason: 'We never worked with this partner.' });
    expect(denied.statusCode).toBe(200);
    expect(denied.json()).toMatchObject({
      state: 'denied',
      claim: { status: 'rejected', statusReason: 'customer_declined' },
    });
    const again = await api().post(`${path}/deny`, {});
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ code: 'consent_link_used' });
    // Issue 13 point 7: read again, the used link shows the outcome; it still acts only once.
    const reopened = await api().get(path);
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({
      state: 'denied',
      deniedAt: t.clock.now().toISOString(),
      claim: { id: ids.denied, status: 'rejected' },
    });
    const c = await claim(ids.denied);
    expect(c).toMatchObject({
      status: 'rejected',
      statusReason: 'customer_declined',
      consent: { state: 'denied' },
    });
    expect(c.disputeEndsAt).toBeNull();
    const h = await history(ids.denied);
    expect(h.at(-1)).toMatchObject({ type: 'customer_deny', actor: { role: 'customer' } });
    const assoc = await as('reviewer').get('/api/v1/associations');
    expect(assoc.json<{ items: { claimId: string }[] }>().items.map((a) => a.claimId)).not.toContain(
      ids.denied,
    );
    await advance({});
    expect(mailAbout('Denied', /^Customer denied consent: Denied$/).to).toEqual(['paula@a.example']);
    // The other claim's window is still open on day 6.
    expect((await claim(ids.consented)).consent?.state).toBe('pending');
    expect(
      (await as('reviewer').get('/api/v1/evaluation-feed')).json<{ items: unknown[] }>().items,
    ).toHaveLength(0);
  });

  it('day 8: the consent window closed on day 7; the association is final and in the feed (R-TIME-3)', async () => {
    await advance({ days: 2 });
    const c = await claim(ids.consented);
    expect(c.consent).toEqual({ state: 'completed', endsAt: '2026-05-29T12:00:00.000Z' });
    // Issue 13 point 7: the link of a window that closed shows the association is final; it
    // cannot deny any more.
    const tw = mailAbout('Consented', /客戶關聯/);
    const path = `/api/v1${(linkIn(tw, `${publicUrl}/consent/`) ?? '').slice(publicUrl.length)}`;
    expect((await api().get(path)).json()).toMatchObject({ state: 'completed', deniedAt: null });
    expect((await api().post(`${path}/deny`, {})).json()).toMatchObject({ code: 'consent_link_expired' });
    const done = (await history(ids.consented)).find((e) => e.type === 'complete_consent');
    expect(done).toMatchObject({ at: '2026-05-29T12:00:00.000Z', actor: { role: 'system' } });
    const feed = await as('reviewer').get('/api/v1/evaluation-feed');
    expect(feed.json()).toMatchObject({
      items: [
        {
          claimId: ids.consented,
          consentState: 'completed',
          consentCompletedAt: '2026-05-29T12:00:00.000Z',
          endedAt: null,
          endReason: null,
        },
      ],
    });
    const csv = await as('reviewer').get('/api/v1/evaluation-feed?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toContain(ids.consented);
    expect(
      (await as('partnerB').get('/api/v1/evaluation-feed')).json<{ items: unknown[] }>().items,
    ).toHaveLength(0);
    const link = linkIn(mailAbout('Consented', /客戶關聯/), `${publicUrl}/consent/`) ?? '';
    const late = await api().post(`/api/v1${link.slice(publicUrl.length)}/deny`, {});
    expect(late.statusCode).toBe(410);
    expect(late.json()).toMatchObject({ code: 'consent_link_expired' });
  });

  it('no answer to a request for information: rejected exactly at 5 business days, not an hour sooner (R-TIME-2)', async () => {
    await advance({ to: '2026-06-01T11:00:00Z' });
    expect(await claim(ids.rfi)).toMatchObject({ status: 'partner_action_required' });
    expect(await claim(ids.waiting)).toMatchObject({ status: 'submitted', overdue: false });
    const none = await as('reviewer').get('/api/v1/claims?overdue=true');
    expect(none.json<{ items: unknown[] }>().items).toHaveLength(0);

    await advance({ hours: 1 });
    const c = await claim(ids.rfi);
    expect(c).toMatchObject({ status: 'rejected', statusReason: 'no_partner_response' });
    expect(c.disputeEndsAt).toBe('2026-07-01T12:00:00.000Z');
    const last = (await history(ids.rfi)).at(-1);
    expect(last).toMatchObject({
      at: '2026-06-01T12:00:00.000Z',
      type: 'expire_partner_response',
      actor: { role: 'system' },
      data: { from: 'partner_action_required', to: 'rejected', statusReason: 'no_partner_response' },
    });
    const mail = mailAbout('Rfi', /^Claim rejected: Rfi$/);
    expect(mail.parsed.text).toContain('no partner response');

    // The reviewer SLA of the claim nobody started reviewing passed at the same moment.
    const overdue = await as('reviewer').get('/api/v1/claims?overdue=true');
    expect(overdue.json<{ items: { id: string }[] }>().items.map((x) => x.id)).toEqual([ids.waiting]);
    expect(await claim(ids.waiting)).toMatchObject({ status: 'submitted', overdue: true });
    expect((await history(ids.waiting)).at(-1)).toMatchObject({
      type: 'sla_overdue',
      actor: { role: 'system' },
      data: { kind: 'review_start_sla', dueAt: '2026-06-01T12:00:00.000Z' },
    });
    const partnerView = await as('partnerA').get('/api/v1/claims?overdue=true');
    expect(partnerView.json<{ items: { id: string }[] }>().items.map((x) => x.id)).toEqual([ids.waiting]);
    expect(
      (await as('partnerB').get('/api/v1/claims?overdue=true')).json<{ items: unknown[] }>().items,
    ).toHaveLength(0);
  });

  it('day 31 after a rejection: the dispute is refused with dispute_window_closed (R-TIME-4)', async () => {
    await advance({ to: '2026-06-22T12:00:00Z' });
    const res = await as('partnerA').post(`/api/v1/claims/${ids.rejected}/dispute`, {
      justification: 'Signed now.',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'dispute_window_closed' });
    expect((await history(ids.rejected)).at(-1)).toMatchObject({
      type: 'close_dispute_window',
      at: '2026-06-21T12:00:00.000Z',
    });
    // The claim rejected on 1 June can still be disputed.
    const ok = await as('partnerA').post(`/api/v1/claims/${ids.rfi}/dispute`, {
      justification: 'We answered by mail.',
    });
    expect(ok.json()).toMatchObject({ status: 'disputed' });
    await advance({});
    const received = mailAbout('Rfi', /^Dispute received: Rfi$/);
    expect(received.parsed.text).toContain('within 5 business days');
  });

  it('a dispute decided and an association superseded are mailed too', async () => {
    const overturned = await as('reviewer').post(`/api/v1/claims/${ids.rfi}/resolve-dispute`, {
      ...contactVerified,
      outcome: 'overturn',
      comment: 'The answer came by mail.',
    });
    expect(overturned.json()).toMatchObject({ status: 'approved', consent: { state: 'pending' } });
    // Another partner's claim takes over the workload of the claim whose consent completed.
    const held = (await as('reviewer').get(`/api/v1/claims/${ids.consented}`)).json<{
      customer: { domain: string; tenantId: string };
    }>();
    const other = await submittedClaim(
      t,
      w,
      'Takeover',
      {
        mpnId: '2345678',
        customer: held.customer,
        partnerContact: { name: 'Fabio', email: 'fabio@b.example' },
      },
      'partnerB',
    );
    expect((await as('reviewer').post(`/api/v1/claims/${other}/start-review`)).statusCode).toBe(200);
    const approved = await as('reviewer').post(`/api/v1/claims/${other}/approve`, {
      ...contactVerified,
      supersede: true,
    });
    expect(approved.statusCode).toBe(200);
    await advance({});
    const decided = mailAbout('Rfi', /^Dispute decided: Rfi approved$/);
    expect(decided.to).toEqual(['paula@a.example']);
    expect(decided.parsed.text).toContain('may deny customer consent until June 29, 2026');
    expect(mailAbout('Rfi', /^Customer association by Contoso Partners/).to).toEqual([
      'chris@contoso.example',
    ]);
    expect(mailAbout('Consented', /^Association ended: Consented$/).to).toEqual(['paula@a.example']);
    expect(mailAbout('Takeover', /^Customer association by Fabrikam/).to).toEqual(['chris@contoso.example']);
  });

  it('a holiday added or removed moves the open business-day deadlines (R-TIME-1)', async () => {
    // Monday 22 June: due Monday 29 June; a holiday on Wednesday 24 makes it Tuesday 30.
    const id = await claimInReview(t, w, 'Moved');
    const rfi = await as('reviewer').post(`/api/v1/claims/${id}/request-information`, {
      reasons: ['products_missing'],
      comment: 'Which products?',
    });
    expect(rfi.json<ClaimBody>().dueAt).toBe('2026-06-29T12:00:00.000Z');
    expect(
      (await as('admin').post('/api/v1/holidays', { date: '2026-06-24', name: 'Saint John' })).statusCode,
    ).toBe(201);
    const moved = (await as('reviewer').get(`/api/v1/claims/${id}`)).json<
      ClaimBody & { requestedInformation: { dueAt: string }; version: number }
    >();
    expect(moved.dueAt).toBe('2026-06-30T12:00:00.000Z');
    expect(moved.requestedInformation.dueAt).toBe('2026-06-30T12:00:00.000Z');
    expect((await history(id)).at(-1)).toMatchObject({
      type: 'deadline_moved',
      actor: { role: 'platform_admin' },
      data: { kind: 'partner_response', from: '2026-06-29T12:00:00.000Z', to: '2026-06-30T12:00:00.000Z' },
    });
    await advance({ to: '2026-06-29T12:00:00Z' });
    expect(await claim(id)).toMatchObject({ status: 'partner_action_required' });
    // Removed again: the deadline is back on Monday 29, which has come: it fires at once.
    expect((await as('admin').delete('/api/v1/holidays/2026-06-24')).statusCode).toBe(204);
    expect((await claim(id)).dueAt).toBe('2026-06-29T12:00:00.000Z');
    await advance({});
    expect(await claim(id)).toMatchObject({ status: 'rejected', statusReason: 'no_partner_response' });
  });

  it('the test clock only moves forward', async () => {
    const res = await as('admin').post('/api/v1/test-clock/advance', { to: '2026-01-01T00:00:00Z' });
    expect(res.statusCode).toBe(422);
  });
});
