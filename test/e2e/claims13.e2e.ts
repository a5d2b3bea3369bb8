// Issue 13 points 2, 5, 6, 7 and 9 in a real browser: outcomes told apart, banners for the
// reader's side, disputes and supersedes, the consent page, lists and the queue. The setup
// goes through the public API; every page is checked with axe and photographed in English
// and Chinese (Simplified), at desktop size and on a 390x844 phone.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN, findConsentLink } from './harness.js';
import { apiAt } from './api.js';
import { Kit, pdf } from './kit.js';

const LANG2 = 'zh-CN';
const kit = new Kit(LANG2);
const { newPage, visit, look, signIn, statusIs, step } = kit;

const run = randomUUID().slice(0, 6);
const PASSWORD = 'e2e-password-123';
const TENANT = randomUUID();
const DOMAIN = `tailspin${run}.onmicrosoft.com`;
const A = {
  org: `Alpine Ski ${run}`,
  mpn: '3333333',
  email: `ada.${run}@alpine.example`,
  name: 'Ada Alpine',
};
const B = { org: `Bellows ${run}`, mpn: '4444444', email: `bo.${run}@bellows.example`, name: 'Bo Bellows' };
const REVIEWER = { email: `rosa.${run}@cpor.example`, name: 'Rosa Reviewer' };
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const names = (k: string) => `Tailspin ${k} ${run}`;

const api = () => apiAt(kit.server.base);

/** A claim of `who` on one product of the tenant, submitted; a distinct customer contact each. */
function claimOf(who: typeof A, key: string, productId: string, customerLanguage?: string) {
  return api().submittedClaim(tokens[who === A ? 'a' : 'b'] ?? '', {
    name: names(key),
    mpnId: who.mpn,
    domain: DOMAIN,
    tenantId: TENANT,
    productIds: [productId],
    partner: { name: who.name, email: who.email },
    customerEmail: `${key}@${DOMAIN}`,
    customerLanguage,
  });
}

/** A 390x844 phone (issue 13: "a phone that works"). */
async function phone(): Promise<Page> {
  const ctx = await kit.browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
  kit.contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

describe('issue 13: claims, outcomes, banners, consent and lists in the browser', () => {
  beforeAll(async () => {
    await kit.start();
    const { call, tokenOf } = api();
    const admin = await tokenOf(ADMIN.email, ADMIN.password);
    await call(admin, 'PUT', `/tenants/${TENANT}`, { domains: [DOMAIN], subscriptions: [] });
    await api().people(admin, [A, B], REVIEWER, PASSWORD);
    tokens.admin = admin;
    tokens.rev = await tokenOf(REVIEWER.email, PASSWORD);
    tokens.a = await tokenOf(A.email, PASSWORD);
    tokens.b = await tokenOf(B.email, PASSWORD);
    const rev = tokens.rev;
    const review = (id: string, action: string, body: unknown = {}) =>
      call(rev, 'POST', `/claims/${id}/${action}`, body);

    // No answer in time (R-TIME-2): first, since the clock moves 6 business days.
    ids.expired = await claimOf(A, 'expired', 'defender_for_endpoint');
    await review(ids.expired, 'start-review');
    await review(ids.expired, 'request-information', {
      reasons: ['customer_signature_missing'],
      comment: 'Please add the signed page.',
    });
    await call(admin, 'POST', '/test-clock/advance', { businessDays: 6 });

    ids.withdrawn = await claimOf(A, 'withdrawn', 'onedrive');
    await call(tokens.a, 'POST', `/claims/${ids.withdrawn}/withdraw`, { comment: 'Wrong MPN ID.' });

    ids.rejected = await claimOf(A, 'rejected', 'teams_phone');
    await review(ids.rejected, 'start-review');
    await review(ids.rejected, 'reject', {
      reason: 'insufficient_poe',
      comment: 'The SOW does not mention Teams Phone.',
    });

    ids.disassociated = await claimOf(A, 'disassociated', 'teams');
    await review(ids.disassociated, 'start-review');
    await review(ids.disassociated, 'approve', {});
    await call(tokens.a, 'POST', `/claims/${ids.disassociated}/disassociate`, {
      reason: 'We no longer work with this customer.',
    });

    ids.held = await claimOf(A, 'held', 'exchange_online');
    await review(ids.held, 'start-review');
    await review(ids.held, 'approve', {});
    ids.rival = await claimOf(B, 'rival', 'exchange_online');
    await review(ids.rival, 'start-review');
    await review(ids.rival, 'approve', { supersede: true });

    ids.denied = await claimOf(A, 'denied', 'sharepoint_online');
    await review(ids.denied, 'start-review');
    await review(ids.denied, 'approve', {});
    const link = await findConsentLink(kit.server.dataDir, `denied@${DOMAIN}`);
    const token = new URL(link ?? 'http://x/').pathname.split('/').pop() ?? '';
    const denied = await fetch(`${kit.server.base}/api/v1/consent/${token}/deny`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'We never hired this partner.' }),
    });
    expect(denied.status).toBe(200);

    ids.open = await claimOf(A, 'open', 'intune');

    // Point 5: a rejection disputed (pending), and one disputed and upheld.
    for (const [key, product] of [
      ['disputed', 'teams_meetings'],
      ['upheld', 'entra_id_p1'],
    ] as const) {
      ids[key] = await claimOf(A, key, product);
      await review(ids[key], 'start-review');
      await review(ids[key], 'reject', { reason: 'missing_products', comment: `No ${product} in the SOW.` });
      await call(tokens.a, 'POST', `/claims/${ids[key]}/dispute`, {
        justification: `Section 3 of the SOW covers ${product}.`,
      });
    }
    // Point 6: A holds Windows; B claims Windows and Defender for Identity, in review.
    ids.holdW = await claimOf(A, 'holdW', 'windows');
    await review(ids.holdW, 'start-review');
    await review(ids.holdW, 'approve', {});
    ids.contest = await api().submittedClaim(tokens.b ?? '', {
      name: names('contest'),
      mpnId: B.mpn,
      domain: DOMAIN,
      tenantId: TENANT,
      productIds: ['windows', 'defender_for_identity'],
      partner: { name: B.name, email: B.email },
      customerEmail: `contest@${DOMAIN}`,
    });
    await review(ids.contest, 'start-review');

    // Point 7: a claim whose customer contact reads Chinese (Simplified), approved.
    ids.consent = await claimOf(A, 'consent', 'purview_compliance', 'zh-CN');
    await review(ids.consent, 'start-review');
    await review(ids.consent, 'approve', {});

    await review(ids.upheld ?? '', 'resolve-dispute', {
      outcome: 'uphold',
      comment: 'Section 3 names another product.',
    });
  });

  afterAll(async () => {
    await kit.stop();
    console.log(`screenshots: ${kit.shots.length} files under screenshots/en and screenshots/${LANG2}`);
  });

  let partner: Page;
  let partnerPhone: Page;
  const OUTCOMES: [string, string][] = [
    ['withdrawn', 'Withdrawn'],
    ['denied', 'Denied by the customer'],
    ['expired', 'Expired: no partner response'],
    ['rejected', 'Rejected by a reviewer'],
    ['disassociated', 'Disassociated'],
    ['held', 'Association ended'],
  ];

  step('point 2: the list tells each outcome apart, and filters by it', async () => {
    partner = await newPage();
    await signIn(partner, A.email, PASSWORD);
    await partner.goto(`${kit.server.base}/claims`);
    for (const [key, label] of OUTCOMES) {
      const row = partner.getByRole('row').filter({ hasText: names(key) });
      await row.getByTestId('status-badge').getByText(label, { exact: true }).waitFor();
    }
    // Six outcomes, six different looks.
    const looks = await partner
      .getByTestId('claims-table')
      .getByTestId('status-badge')
      .evaluateAll((bs) => bs.map((b) => `${b.textContent}|${b.className}`));
    const byLabel = new Map(looks.map((l) => [l.split('|')[0], l.split('|')[1]]));
    expect(new Set(OUTCOMES.map(([, label]) => byLabel.get(label))).size).toBe(OUTCOMES.length);
    await look(partner, 'i13-list-outcomes');
    await partner.getByLabel('Status').selectOption({ label: 'Denied by the customer' });
    await partner.getByRole('link', { name: names('withdrawn') }).waitFor({ state: 'detached' });
    // The filtered list has come (skeleton rows stand in while it loads).
    await partner.getByRole('link', { name: names('denied') }).waitFor();
    expect(await partner.getByTestId('claims-table').getByRole('link').allTextContents()).toEqual([
      names('denied'),
    ]);
    await look(partner, 'i13-list-filter-outcome');
  });

  step('point 2: each claim page says how it ended, on a phone too', async () => {
    partnerPhone = await phone();
    await signIn(partnerPhone, A.email, PASSWORD);
    for (const [key, label] of OUTCOMES) {
      await partnerPhone.goto(`${kit.server.base}/claims/${ids[key] ?? ''}`);
      await statusIs(partnerPhone, label);
    }
    await partnerPhone.goto(`${kit.server.base}/claims`);
    await partnerPhone.getByRole('link', { name: names('denied') }).waitFor();
    await look(partnerPhone, 'i13-phone-list');
  });

  step('point 2: the dashboard counts each outcome apart', async () => {
    const reviewer = await newPage();
    await signIn(reviewer, REVIEWER.email, PASSWORD);
    await reviewer.goto(`${kit.server.base}/dashboard`);
    const chart = reviewer.locator('section[aria-labelledby="chart-status"] [role="img"]');
    await chart.waitFor();
    const summary = (await chart.getAttribute('aria-label')) ?? '';
    // Each outcome its own bar, none empty (the superseded claim and B's own are apart).
    for (const [, label] of OUTCOMES) expect(summary).toMatch(new RegExp(`${label}: [1-9]`));
    await look(reviewer, 'i13-dashboard-outcomes');
  });

  step(
    "point 5: the banner speaks to the reader's side, with the words behind the status on top",
    async () => {
      // The reviewer, on a disputed claim: the justification first, and what to do.
      const reviewer = await newPage();
      await signIn(reviewer, REVIEWER.email, PASSWORD);
      await reviewer.goto(`${kit.server.base}/claims/${ids.disputed ?? ''}`);
      const banner = reviewer.getByTestId('status-help');
      await banner.getByText(/^The partner disputed the rejection\./).waitFor();
      await banner
        .getByText(/then resolve the dispute\./)
        .first()
        .waitFor();
      expect(await banner.getByText('You disputed', { exact: false }).count()).toBe(0);
      await banner
        .getByTestId('context-dispute')
        .getByText('“Section 3 of the SOW covers teams_meetings.”', { exact: false })
        .waitFor();
      const rejection = banner.getByTestId('context-rejection');
      await rejection.getByText('Rejected: products missing.').waitFor();
      await rejection.getByText('“No teams_meetings in the SOW.”').waitFor();
      await look(reviewer, 'i13-banner-reviewer-disputed');

      // The partner, on the same claim: its own words.
      await partner.goto(`${kit.server.base}/claims/${ids.disputed ?? ''}`);
      await partner
        .getByTestId('status-help')
        .getByText(/^You disputed the rejection\./)
        .waitFor();
      await partner.getByTestId('context-dispute').waitFor();
      await look(partner, 'i13-banner-partner-disputed');

      // Upheld: the rejection stands; the window has not closed, the one dispute was used.
      await partner.goto(`${kit.server.base}/claims/${ids.upheld ?? ''}`);
      const upheld = partner.getByTestId('status-help');
      await upheld.getByText(/the reviewer upheld the rejection: it stands/).waitFor();
      expect(await upheld.getByText(/window has closed/).count()).toBe(0);
      await upheld.getByTestId('context-decision').getByText('“Section 3 names another product.”').waitFor();
      expect(await partner.getByTestId('action-dispute').count()).toBe(0);
      await look(partner, 'i13-banner-partner-upheld');

      // The customer's reason for denying, to the partner, on a phone.
      await partnerPhone.goto(`${kit.server.base}/claims/${ids.denied ?? ''}`);
      await partnerPhone.getByTestId('context-denial').getByText('“We never hired this partner.”').waitFor();
      await look(partnerPhone, 'i13-phone-banner-denied');

      // A platform admin reads it in the third person, with nothing to do.
      const admin = await newPage();
      await signIn(admin, ADMIN.email, ADMIN.password);
      await admin.goto(`${kit.server.base}/claims/${ids.disputed ?? ''}`);
      await admin
        .getByTestId('status-help')
        .getByText(/^The partner disputed the rejection\./)
        .waitFor();
      expect(
        await admin
          .getByTestId('status-help')
          .getByText(/then resolve the dispute\./)
          .count(),
      ).toBe(0);
      await look(admin, 'i13-banner-admin-disputed');
    },
  );

  step(
    'point 7: the consent page explains, names a contact, confirms a denial and shows it again',
    async () => {
      const to = `consent@${DOMAIN}`;
      const link = (await findConsentLink(kit.server.dataDir, to)) ?? '';
      // The mail went out in the customer contact's language, not the partner's.
      const dir = join(kit.server.dataDir, 'mail');
      const mails = readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .filter((m) => m.includes(to) && m.includes('/consent/'));
      expect(mails.length).toBe(1);
      expect(mails[0]).toMatch(/^Content-Language: zh-CN/m);
      const path = new URL(link).pathname;

      const customer = await newPage();
      await customer.goto(`${kit.server.base}${path}`);
      await customer.getByTestId('consent-details').getByText(A.org).waitFor();
      await customer.getByRole('heading', { name: 'What is this about?' }).waitFor();
      await customer.getByText(/Nothing changes in your subscriptions/).waitFor();
      const contact = customer.getByTestId('consent-contact');
      await contact.getByRole('link', { name: A.email }).waitFor();
      // Times with their time zone.
      expect(await customer.getByTestId('consent-until').textContent()).toMatch(/(UTC|GMT)/);
      // Deny is not the page's main action: it asks first.
      const deny = customer.getByTestId('consent-deny');
      expect(await deny.getAttribute('class')).not.toMatch(/primary/);
      await look(customer, 'i13-consent');
      await customer.getByLabel(/^Reason/).fill('We do not work with this partner.');
      await deny.click();
      const dialog = customer.getByRole('alertdialog');
      await dialog.getByText('Deny this association?').waitFor();
      await visit(customer, 'i13-consent-confirm', false);
      await dialog.getByRole('button', { name: 'Keep the association' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await customer.getByTestId('consent-denied').count()).toBe(0);
      await deny.click();
      await customer.getByTestId('consent-deny-confirm').click();
      await customer
        .getByTestId('consent-denied')
        .getByText(/^You denied this association on .*(UTC|GMT)/)
        .waitFor();
      await look(customer, 'i13-consent-denied');

      // Opened again, the link shows the outcome, not "not valid"; it cannot act twice.
      const phoneCustomer = await phone();
      await phoneCustomer.goto(`${kit.server.base}${path}`);
      await phoneCustomer.getByTestId('consent-denied').waitFor();
      expect(await phoneCustomer.getByTestId('consent-deny').count()).toBe(0);
      expect(await phoneCustomer.getByText('This link is not valid').count()).toBe(0);
      await look(phoneCustomer, 'i13-phone-consent-reopened');
      const again = await fetch(`${kit.server.base}/api/v1${path}/deny`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(again.status).toBe(410);
    },
  );

  step('point 6: supersede names whom it ends, overlaps are marked, a dispute takes new PoE', async () => {
    const reviewer = await newPage();
    await signIn(reviewer, REVIEWER.email, PASSWORD);
    await reviewer.goto(`${kit.server.base}/claims/${ids.contest ?? ''}`);
    const competing = reviewer.getByTestId('competing');
    await competing.getByText(A.org).waitFor();
    // Windows overlaps on both cards; Defender for Identity only on B's own, unmarked.
    expect(await competing.getByTestId('overlap').count()).toBe(2);
    const mine = competing.locator('li').filter({ hasText: 'Microsoft Defender for Identity' });
    expect(await mine.getByTestId('overlap').count()).toBe(0);
    expect(await reviewer.getByTestId('check-poe_missing').isDisabled()).toBe(false);
    await look(reviewer, 'i13-competing-overlap');
    await reviewer.getByTestId('action-approve').click();
    await reviewer
      .getByRole('dialog')
      .getByText(
        `Supersede: approve and end the association of ${A.org} (MPN ID ${A.mpn}) for Windows Enterprise`,
      )
      .waitFor();
    await visit(reviewer, 'i13-dialog-supersede-named', false);
    await reviewer.getByRole('button', { name: 'Cancel' }).click();
    await reviewer.getByRole('dialog').waitFor({ state: 'detached' });

    // A decided claim: the checklist is read-only.
    await reviewer.goto(`${kit.server.base}/claims/${ids.rejected ?? ''}`);
    await reviewer.getByTestId('checklist-readonly').waitFor();
    expect(await reviewer.getByTestId('check-poe_missing').isDisabled()).toBe(true);
    await look(reviewer, 'i13-checklist-readonly');

    // The partner disputes with updated PoE added in the dispute dialog, and no justification.
    // (PoE counts when added after the rejection: the test clock moves on an hour first.)
    await api().call(tokens.admin ?? '', 'POST', '/test-clock/advance', { hours: 1 });
    await partner.goto(`${kit.server.base}/claims/${ids.rejected ?? ''}`);
    await partner.getByTestId('action-dispute').click();
    const dialog = partner.getByRole('dialog');
    await dialog.getByTestId('dispute-upload').waitFor();
    await dialog.getByTestId('poe-input').setInputFiles({
      name: 'sow-section-3.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await pdf(['Statement of work, section 3', 'Teams Phone rollout']), 'base64'),
    });
    await dialog.getByText('sow-section-3.pdf').waitFor();
    await visit(partner, 'i13-dialog-dispute-upload', false);
    await partner.getByTestId('dialog-confirm').click();
    await statusIs(partner, 'Disputed');
    await partner
      .getByTestId('context-dispute')
      .getByText(/proof of execution was added since the rejection/)
      .waitFor();
    await look(partner, 'i13-disputed-with-poe');
  });

  step(
    'point 9: filters in the URL survive Back, search as you type, sorting, totals, empty states, skeletons',
    async () => {
      await partner.goto(`${kit.server.base}/claims`);
      const total = partner.getByTestId('claims-total');
      await total.getByText(/^\d+ customer associations$/).waitFor();
      // While the list loads, grey rows stand in for it (the answer is held until they are seen).
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => (release = r));
      await partner.route('**/api/v1/claims?*', async (route) => {
        await held;
        // A request the page gave up while it was held (a newer filter replaced it) is
        // already handled: nothing is left to continue.
        await route.continue().catch((e: Error) => {
          if (!/already handled/.test(e.message)) throw e;
        });
      });
      await partner.getByLabel('Status').selectOption({ label: 'Withdrawn' });
      await partner.getByTestId('list-skeleton').waitFor();
      release();
      await partner.unrouteAll({ behavior: 'wait' });
      await partner.getByTestId('claims-search').fill('withdrawn');
      // No button: the list follows the typing.
      await partner.waitForURL(/q=withdrawn/);
      await partner.getByRole('link', { name: names('open') }).waitFor({ state: 'detached' });
      await partner.getByRole('link', { name: names('withdrawn') }).waitFor();
      expect(partner.url()).toMatch(/outcome=withdrawn/);
      await look(partner, 'i13-list-url-filters');
      await partner.getByRole('link', { name: names('withdrawn') }).click();
      await statusIs(partner, 'Withdrawn');
      await partner.goBack();
      // Back: the filters, the search box and the list as they were.
      await partner.getByRole('link', { name: names('withdrawn') }).waitFor();
      expect(await partner.getByLabel('Status').inputValue()).toBe('outcome:withdrawn');
      expect(await partner.getByTestId('claims-search').inputValue()).toBe('withdrawn');
      expect(await partner.getByRole('link', { name: names('open') }).count()).toBe(0);

      // A status filter has its total; a column sorts the list (the server orders it).
      await partner.goto(`${kit.server.base}/claims?status=disputed`);
      await total.getByText('2 customer associations', { exact: true }).waitFor();
      await partner.getByTestId('sort-due').click();
      await partner.waitForURL(/sort=due/);
      expect(await partner.getByTestId('sort-due').getAttribute('aria-sort')).toBe('ascending');
      await look(partner, 'i13-list-sorted');

      // Nothing matches: the list says so and offers to clear the filters.
      await partner.getByTestId('claims-search').fill('no such claim');
      await partner
        .getByTestId('empty-list')
        .getByText('No customer associations match these filters.')
        .waitFor();
      await look(partner, 'i13-list-empty-filtered');
      await partner.getByTestId('clear-filters').click();
      await partner.waitForURL(/\/claims$/);
      await partner.getByRole('link', { name: names('withdrawn') }).waitFor();

      // The review queue: a solution-area filter and a search, on a phone too.
      const reviewer = await phone();
      await signIn(reviewer, REVIEWER.email, PASSWORD);
      await reviewer.goto(`${kit.server.base}/review`);
      await reviewer.getByRole('link', { name: names('contest') }).waitFor();
      await reviewer.getByTestId('queue-area').selectOption('business_applications');
      await reviewer
        .getByTestId('empty-list')
        .getByText('Nothing in the queue matches these filters.')
        .waitFor();
      await look(reviewer, 'i13-phone-queue-empty');
      await reviewer.getByTestId('clear-filters').click();
      await reviewer.getByTestId('queue-search').fill(B.org);
      await reviewer.waitForURL(/q=/);
      await reviewer.getByRole('link', { name: names('contest') }).waitFor();
      expect(await reviewer.getByRole('link', { name: names('disputed') }).count()).toBe(0);
      await reviewer
        .getByTestId('queue-count')
        .getByText(/^1 claim, /)
        .waitFor();
      await look(reviewer, 'i13-phone-queue-search');
    },
  );

  it('axe finds no serious or critical violation on any page', () => {
    expect(kit.shots.length).toBeGreaterThan(0);
    expect(kit.findings, JSON.stringify(kit.findings, null, 2)).toEqual([]);
  });
});
