// Issue 13 point 9 in a real browser: the claims list and the review queue page through the
// server in the order a column header chooses, the order and the filters live in the URL (a
// reload and Back keep them), each filter set has its total, the queue filters by status,
// solution area and a search as one types. Setup goes through the public API; every page is
// checked with axe and photographed in English and Chinese (Simplified), at desktop size and
// on a 390x844 phone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN } from './harness.js';
import { apiAt } from './api.js';
import { Kit, PHONE } from './kit.js';

const LANG2 = 'zh-CN';
const kit = new Kit(LANG2);
const { newPage, look, signIn, step, setLanguage, statusIs } = kit;

const run = randomUUID().slice(0, 6);
const PASSWORD = 'e2e-password-123';
const TENANT = randomUUID();
const DOMAIN = `wingtip${run}.onmicrosoft.com`;
const A = { org: `Adatum ${run}`, mpn: '6660001', email: `ari.${run}@adatum.example`, name: 'Ari Adatum' };
const B = { org: `Bellows ${run}`, mpn: '6660002', email: `bea.${run}@bellows.example`, name: 'Bea Bellows' };
const REVIEWER = { email: `remy.${run}@cpor.example`, name: 'Remy Reviewer' };
const tokens: Record<string, string> = {};
const name = (k: string) => `Wingtip ${k} ${run}`;
const api = () => apiAt(kit.server.base);

/** The claim names of the table's rows, top to bottom. */
async function rows(page: Page): Promise<string[]> {
  return page.getByTestId('claims-table').getByRole('link').allTextContents();
}

/** Waits until the table shows these claims first, in this order. */
async function firstRows(page: Page, names: string[]) {
  await expect
    .poll(async () => (await rows(page)).slice(0, names.length), { timeout: 15_000 })
    .toEqual(names);
}

describe('issue 13 point 9: lists and the queue in the browser', () => {
  beforeAll(async () => {
    await kit.start();
    const { call, tokenOf, people, submittedClaim } = api();
    const admin = await tokenOf(ADMIN.email, ADMIN.password);
    await call(admin, 'PUT', `/tenants/${TENANT}`, { domains: [DOMAIN], subscriptions: [] });
    await people(admin, [A, B], REVIEWER, PASSWORD);
    tokens.admin = admin;
    tokens.a = await tokenOf(A.email, PASSWORD);
    tokens.b = await tokenOf(B.email, PASSWORD);
    tokens.rev = await tokenOf(REVIEWER.email, PASSWORD);
    const claim = (token: string, who: typeof A, key: string, productId: string) =>
      submittedClaim(token, {
        name: name(key),
        mpnId: who.mpn,
        domain: DOMAIN,
        tenantId: TENANT,
        productIds: [productId],
        partner: { name: who.name, email: who.email },
        customerEmail: `${key}@${DOMAIN}`,
      });
    // Four claims of A an hour apart (k1 oldest), one of B; then a reviewer starts on k1,
    // which makes it the most recently changed.
    const later = () => call(admin, 'POST', '/test-clock/advance', { hours: 1 });
    const k1 = await claim(tokens.a, A, 'k1', 'exchange_online');
    for (const [k, product] of [
      ['k2', 'sharepoint_online'],
      ['k3', 'teams'],
      ['k4', 'intune'],
    ] as const) {
      await later();
      await claim(tokens.a, A, k, product);
    }
    await later();
    await claim(tokens.b, B, 'b1', 'viva');
    await later();
    await call(tokens.rev, 'POST', `/claims/${k1}/start-review`, {});
    // Twenty drafts of B, a minute apart: B's list has a second page (20 a page).
    for (let i = 1; i <= 20; i++) {
      await call(admin, 'POST', '/test-clock/advance', { hours: 1 / 60 });
      await call(tokens.b, 'POST', '/claims', { name: name(`d${String(i).padStart(2, '0')}`), mpnId: B.mpn });
    }
  });
  afterAll(async () => {
    await kit.stop();
  });

  let partner: Page;
  let reviewer: Page;

  step(
    'the claims list: a column sorts it and a second click sorts it back; the URL keeps the order',
    async () => {
      partner = await newPage();
      await signIn(partner, A.email, PASSWORD);
      await partner.goto(`${kit.server.base}/claims`);
      const total = partner.getByTestId('claims-total');
      await total.getByText('4 customer associations', { exact: true }).waitFor();
      // Newest first by default: the Created header says so.
      await firstRows(partner, [name('k4'), name('k3'), name('k2'), name('k1')]);
      expect(await partner.getByTestId('sort-created').getAttribute('aria-sort')).toBe('descending');
      // Created: oldest first, then back to newest first.
      await partner.getByTestId('sort-created').click();
      await partner.waitForURL(/sort=oldest/);
      await firstRows(partner, [name('k1'), name('k2'), name('k3'), name('k4')]);
      expect(await partner.getByTestId('sort-created').getAttribute('aria-sort')).toBe('ascending');
      // The "Sort by" select says the same order.
      expect(await partner.getByTestId('sort-select').inputValue()).toBe('oldest');
      await partner.getByTestId('sort-created').click();
      await partner.waitForURL((u) => !u.search.includes('sort='));
      await firstRows(partner, [name('k4'), name('k3')]);
      // Deadline: the soonest first, as the API orders them (the claim a reviewer took up, whose
      // review deadline is later, last); a reload keeps the order.
      const byDue = (await api().call(tokens.a!, 'GET', '/claims?sort=due')) as { items: { name: string }[] };
      const dueOrder = byDue.items.map((c) => c.name);
      expect(dueOrder.at(-1)).toBe(name('k1'));
      await partner.getByTestId('sort-due').click();
      await partner.waitForURL(/sort=due/);
      await firstRows(partner, dueOrder);
      await partner.reload();
      await firstRows(partner, dueOrder);
      expect(await partner.getByTestId('sort-due').getAttribute('aria-sort')).toBe('ascending');
      await look(partner, 'i13p9-list-by-due');
      // Created: from the deadline order, oldest first (the next step keeps it).
      await partner.getByTestId('sort-created').click();
      await partner.waitForURL(/sort=oldest/);
      await firstRows(partner, [name('k1'), name('k2')]);
      // The same in Chinese: the total in its words.
      await setLanguage(partner, LANG2);
      await total.getByText('4 个客户关联', { exact: true }).waitFor();
      await setLanguage(partner, 'en');
    },
  );

  step(
    'a filter and a search have their total; after a claim, Back brings list, order and filters back',
    async () => {
      const total = partner.getByTestId('claims-total');
      await partner.getByLabel('Status').selectOption({ label: 'Submitted' });
      await partner.waitForURL(/status=submitted/);
      await total.getByText('3 customer associations', { exact: true }).waitFor();
      await partner.getByTestId('claims-search').fill('k3');
      await partner.waitForURL(/q=k3/);
      await total.getByText('1 customer association', { exact: true }).waitFor();
      await firstRows(partner, [name('k3')]);
      expect(partner.url()).toMatch(/sort=oldest/);
      await partner.getByRole('link', { name: name('k3') }).click();
      await statusIs(partner, 'Submitted');
      await partner.goBack();
      await firstRows(partner, [name('k3')]);
      await total.getByText('1 customer association', { exact: true }).waitFor();
      expect(await partner.getByLabel('Status').inputValue()).toBe('submitted');
      expect(await partner.getByTestId('claims-search').inputValue()).toBe('k3');
      expect(partner.url()).toMatch(/sort=oldest/);
      expect(await rows(partner)).toHaveLength(1);
      await look(partner, 'i13p9-list-filtered');
    },
  );

  step(
    "the review queue: its statuses, a status filter, a partner's name, an area, a total and an order",
    async () => {
      reviewer = await newPage();
      await signIn(reviewer, REVIEWER.email, PASSWORD);
      await reviewer.goto(`${kit.server.base}/review`);
      const count = reviewer.getByTestId('queue-count');
      await count.getByText('5 claims, 0 overdue', { exact: true }).waitFor();
      // By due date (the queue's default): the claim in review has its decision SLA, later than
      // the review-start SLAs of the submitted ones.
      await expect.poll(async () => (await rows(reviewer)).length).toBe(5);
      expect((await rows(reviewer)).at(-1)).toBe(name('k1'));
      expect(await reviewer.getByTestId('sort-due').getAttribute('aria-sort')).toBe('ascending');
      // One status of the queue.
      await reviewer.getByLabel('Status').selectOption({ label: 'In review' });
      await reviewer.waitForURL(/status=in_review/);
      await count.getByText('1 claim, 0 overdue', { exact: true }).waitFor();
      await firstRows(reviewer, [name('k1')]);
      // All of the queue again, searched by the partner's name (the server searches it).
      await reviewer.getByLabel('Status').selectOption({ label: 'All' });
      await reviewer.getByTestId('queue-search').fill(B.org);
      await reviewer.waitForURL(/q=Bellows/);
      await count.getByText('1 claim, 0 overdue', { exact: true }).waitFor();
      await firstRows(reviewer, [name('b1')]);
      await look(reviewer, 'i13p9-queue-search');
      // Cleared, then oldest first; Back from a claim keeps it.
      await reviewer.getByTestId('queue-search').fill('');
      await count.getByText('5 claims, 0 overdue', { exact: true }).waitFor();
      await reviewer.getByTestId('sort-created').click();
      await reviewer.waitForURL(/sort=oldest/);
      await firstRows(reviewer, [name('k1'), name('k2'), name('k3'), name('k4'), name('b1')]);
      await reviewer.getByRole('link', { name: name('k2') }).click();
      await statusIs(reviewer, 'Submitted');
      await reviewer.goBack();
      await firstRows(reviewer, [name('k1'), name('k2'), name('k3'), name('k4'), name('b1')]);
      expect(await reviewer.getByTestId('sort-created').getAttribute('aria-sort')).toBe('ascending');
      // An area without claims: the empty state offers to clear the filters.
      await reviewer.getByTestId('queue-area').selectOption('business_applications');
      await reviewer
        .getByTestId('empty-list')
        .getByText('Nothing in the queue matches these filters.')
        .waitFor();
      await count.getByText('0 claims, 0 overdue', { exact: true }).waitFor();
      await look(reviewer, 'i13p9-queue-empty');
      await reviewer.getByTestId('clear-filters').click();
      await reviewer.waitForURL(/\/review$/);
      await count.getByText('5 claims, 0 overdue', { exact: true }).waitFor();
    },
  );

  step('Next and Previous page through the server in the chosen order; one page has no pager', async () => {
    expect(await partner.getByRole('button', { name: 'Next' }).count()).toBe(0);
    const b = await newPage();
    await signIn(b, B.email, PASSWORD);
    await b.goto(`${kit.server.base}/claims?sort=oldest`);
    await b.getByTestId('claims-total').getByText('21 customer associations', { exact: true }).waitFor();
    await firstRows(b, [name('b1'), name('d01')]);
    expect(await rows(b)).toHaveLength(20);
    await b.getByRole('button', { name: 'Next' }).click();
    await b.getByText('Page 2', { exact: true }).waitFor();
    await firstRows(b, [name('d20')]);
    expect(await rows(b)).toHaveLength(1);
    expect(await b.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await look(b, 'i13p9-list-page-2');
    await b.getByRole('button', { name: 'Previous' }).click();
    await b.getByText('Page 1', { exact: true }).waitFor();
    await firstRows(b, [name('b1'), name('d01')]);
  });

  step('on a 390x844 phone, in English and Chinese: the sorted queue and the filtered list fit', async () => {
    const phone = await newPage('en-US', PHONE);
    await signIn(phone, REVIEWER.email, PASSWORD);
    await phone.goto(`${kit.server.base}/review?sort=newest`);
    await firstRows(phone, [name('b1'), name('k4')]);
    await phone.getByTestId('queue-count').getByText('5 claims, 0 overdue', { exact: true }).waitFor();
    await look(phone, 'i13p9-phone-queue-newest');
    await setLanguage(phone, LANG2);
    expect(await phone.getByTestId('sort-select').locator('option:checked').textContent()).toBe(
      '最新创建的在前',
    );
    await phone.getByTestId('queue-count').getByText('5 个声明，0 个逾期', { exact: true }).waitFor();
    await setLanguage(phone, 'en');
    // On a phone the date columns scroll out of view: the "Sort by" select orders the queue.
    await phone.getByLabel('Sort by').selectOption({ label: 'Oldest first' });
    await phone.waitForURL(/sort=oldest/);
    await firstRows(phone, [name('k1'), name('k2'), name('k3')]);
    await phone.getByLabel('Sort by').selectOption({ label: 'Deadline, soonest first' });
    await phone.waitForURL((u) => !u.search.includes('sort='));
    await expect.poll(async () => (await rows(phone)).at(-1)).toBe(name('k1'));
    await phone.goto(`${kit.server.base}/claims?q=${encodeURIComponent(A.org)}&sort=oldest`);
    await firstRows(phone, [name('k1'), name('k2')]);
    await phone.getByTestId('claims-total').getByText('4 customer associations', { exact: true }).waitFor();
    await look(phone, 'i13p9-phone-list-oldest');
  });

  it('axe finds no serious or critical violation on any page', () => {
    expect(kit.shots.length).toBeGreaterThan(0);
    expect(kit.findings, JSON.stringify(kit.findings, null, 2)).toEqual([]);
  });
});
