// Issue 13 point 10 in a real browser: the admin pages and the dashboard. Errors at the field
// in every admin form; organizations, locations and users edited and deactivated; the warning
// before a holiday moves running deadlines; the country from a list; the dashboard from the
// server's reports. Setup goes through the public API; every page is checked with axe and
// photographed in English and Chinese (Simplified), at desktop size and on a 390x844 phone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN } from './harness.js';
import { apiAt } from './api.js';
import { fitsWindow, Kit, PHONE } from './kit.js';

const LANG2 = 'zh-CN';
const kit = new Kit(LANG2);
const { newPage, visit, look, signIn, step, setLanguage } = kit;

const run = randomUUID().slice(0, 6);
const PASSWORD = 'e2e-password-123';
const ORG = {
  org: `Northwind ${run}`,
  mpn: '5550001',
  email: `nia.${run}@northwind.example`,
  name: 'Nia North',
};
const REVIEWER = { email: `rita.${run}@cpor.example`, name: 'Rita Reviewer' };
const TENANT = randomUUID();
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const pages: Record<string, Page> = {};
const api = () => apiAt(kit.server.base);

/** The message a Fluent Field shows under its control, found by the field's label. */
const fieldMessage = (page: Page, label: string | RegExp) =>
  page
    .locator('.fui-Field')
    .filter({ has: page.getByText(label, { exact: typeof label === 'string' }) })
    .locator('.fui-Field__validationMessage')
    .first();

describe('issue 13 point 10: administration and the dashboard in the browser', () => {
  beforeAll(async () => {
    await kit.start();
    const { call, tokenOf } = api();
    tokens.admin = await tokenOf(ADMIN.email, ADMIN.password);
    ids.org = await kit.partnerOrg(tokens.admin, ORG, PASSWORD);
    await call(tokens.admin, 'POST', `/organizations/${ids.org}/locations`, {
      mpnId: '5550002',
      name: 'Bergen',
    });
    await call(tokens.admin, 'POST', '/users', { ...REVIEWER, password: PASSWORD, roles: ['reviewer'] });
    tokens.partner = await tokenOf(ORG.email, PASSWORD);
    tokens.rev = await tokenOf(REVIEWER.email, PASSWORD);
    const claim = (key: string) =>
      api().submittedClaim(tokens.partner ?? '', {
        name: `Contoso ${key} ${run}`,
        mpnId: ORG.mpn,
        domain: `contoso${run}.onmicrosoft.com`,
        tenantId: TENANT,
        productIds: [key === 'approved' ? 'exchange_online' : 'teams'],
        partner: { name: ORG.name, email: ORG.email },
        customerEmail: `${key}@contoso${run}.onmicrosoft.com`,
      });
    const review = (id: string, action: string, body: unknown = {}) =>
      call(tokens.rev ?? '', 'POST', `/claims/${id}/${action}`, body);
    // Two claims waiting for a reviewer: each runs its review-start SLA (5 business days).
    ids.open1 = await claim('open1');
    ids.open2 = await claim('open2');
    // Decided: one approved, one rejected by the reviewer; one withdrawn by the partner (not a
    // reviewer's rejection: the dashboard's approval rate leaves it out).
    ids.approved = await claim('approved');
    await review(ids.approved, 'start-review');
    await review(ids.approved, 'approve', { checklist: { customer_contact_verified: true } });
    ids.rejected = await claim('rejected');
    await review(ids.rejected, 'start-review');
    await review(ids.rejected, 'reject', { reason: 'insufficient_poe', comment: 'No signature.' });
    ids.withdrawn = await claim('withdrawn');
    await call(tokens.partner ?? '', 'POST', `/claims/${ids.withdrawn}/withdraw`, {
      comment: 'Wrong MPN ID.',
    });
  });

  afterAll(async () => {
    await kit.stop();
    console.log(`screenshots: ${kit.shots.length} files under screenshots/en and screenshots/${LANG2}`);
  });

  let admin: Page;
  let adminPhone: Page;

  step('errors at the field: organizations (desktop and phone, en and zh-CN)', async () => {
    admin = await newPage();
    await signIn(admin, ADMIN.email, ADMIN.password);
    await admin.goto(`${kit.server.base}/admin/organizations`);
    await admin.getByRole('cell', { name: ORG.org, exact: true }).waitFor();
    await admin.getByRole('textbox', { name: /^Name/ }).fill(`Bad ${run}`);
    await admin.getByRole('textbox', { name: /^MPN ID/ }).fill('12ab');
    await admin.getByRole('textbox', { name: /^Location name/ }).fill('Oslo');
    await admin.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => fieldMessage(admin, /^MPN ID/).textContent()).toBe('An MPN ID is 6 to 8 digits.');
    expect(await admin.getByRole('textbox', { name: /^MPN ID/ }).getAttribute('aria-invalid')).toBe('true');
    await look(admin, 'a13-org-mpn-format');
    // In Chinese the same problem reads in Chinese: the code is translated, not the message.
    await setLanguage(admin, LANG2);
    await expect.poll(() => fieldMessage(admin, /^MPN ID/).textContent()).toBe('MPN ID 为 6 到 8 位数字。');
    await setLanguage(admin, 'en');

    // An MPN ID another organization holds: said at the field.
    await admin.getByRole('textbox', { name: /^MPN ID/ }).fill(ORG.mpn);
    await admin.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() => fieldMessage(admin, /^MPN ID/).textContent())
      .toBe('This MPN ID is already a partner location.');

    adminPhone = await newPage('en-US', PHONE);
    await signIn(adminPhone, ADMIN.email, ADMIN.password);
    await adminPhone.goto(`${kit.server.base}/admin/organizations`);
    await adminPhone.getByRole('cell', { name: ORG.org, exact: true }).waitFor();
    await adminPhone.getByRole('textbox', { name: /^Name/ }).fill(`Bad ${run}`);
    await adminPhone.getByRole('textbox', { name: /^MPN ID/ }).fill('99');
    await adminPhone.getByRole('textbox', { name: /^Location name/ }).fill('Oslo');
    await adminPhone.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() => fieldMessage(adminPhone, /^MPN ID/).textContent())
      .toBe('An MPN ID is 6 to 8 digits.');
    await look(adminPhone, 'a13-phone-org-errors');
  });

  step('errors at the field: users, tenants, catalog, holidays', async () => {
    await admin.goto(`${kit.server.base}/admin/users`);
    await admin.getByRole('cell', { name: ORG.email, exact: true }).waitFor();
    await admin.getByRole('textbox', { name: /^Name/ }).fill('Twin');
    await admin.getByRole('textbox', { name: /^Email/ }).fill(ORG.email);
    await admin.getByLabel(/^Initial password/).fill('short');
    await admin.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() => fieldMessage(admin, /^Initial password/).textContent())
      .toBe('At least 12 characters.');
    // The roles (a group of checkboxes) say it under the group.
    await admin.getByText('At least 1.', { exact: true }).waitFor();
    await admin.getByLabel(/^Initial password/).fill('a-long-enough-password-1');
    await admin.getByRole('checkbox', { name: 'Reviewer' }).check();
    await admin.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() => fieldMessage(admin, /^Email/).textContent())
      .toBe('A user with this email exists already.');
    await look(admin, 'a13-user-email-taken');

    await admin.goto(`${kit.server.base}/admin/tenants`);
    await admin.getByRole('textbox', { name: /^Tenant ID/ }).fill('not-a-tenant-id');
    await admin.getByRole('textbox', { name: /^Domains/ }).fill('fabrikam.example');
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => fieldMessage(admin, /^Tenant ID/).textContent())
      .toBe('A tenant ID is a GUID: 00000000-0000-0000-0000-000000000000.');
    await look(admin, 'a13-tenant-id-format');

    await admin.goto(`${kit.server.base}/admin/catalog`);
    await admin.getByRole('textbox', { name: /^Product ID/ }).fill('Bad ID!');
    await admin.getByRole('textbox', { name: /^Name/ }).fill('Bad');
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => fieldMessage(admin, /^Product ID/).textContent())
      .toBe('2 to 60 characters: a to z, 0 to 9 and _.');
    await look(admin, 'a13-catalog-id-format');

    await admin.goto(`${kit.server.base}/admin/holidays`);
    await admin.getByLabel(/^Date/).fill('2031-12-24');
    await admin.getByRole('textbox', { name: /^Name/ }).fill('x'.repeat(201));
    await admin.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => fieldMessage(admin, /^Name/).textContent()).toBe('At most 200 characters.');
    await look(admin, 'a13-holiday-name-long');
  });

  step(
    'edit an organization and its locations; the country from a list, named in the language (points 2, 4)',
    async () => {
      await admin.goto(`${kit.server.base}/admin/organizations`);
      await admin.getByRole('button', { name: `Edit ${ORG.org}` }).click();
      await admin.getByRole('textbox', { name: /^Name/ }).fill(`${ORG.org} Ltd`);
      const bergen = admin.getByTestId('location-row-1');
      expect(await bergen.getByRole('textbox', { name: /^MPN ID/ }).inputValue()).toBe('5550002');
      // The country: a list of ISO 3166 codes, each named by the browser in the reader's language.
      const country = bergen.getByTestId('country-select');
      expect(await country.locator('option').count()).toBe(250);
      await country.selectOption('NO');
      expect(await country.locator('option:checked').textContent()).toBe('Norway');
      await bergen.getByRole('checkbox', { name: 'Active' }).uncheck();
      await look(admin, 'a13-org-edit');
      await setLanguage(admin, LANG2);
      expect(await country.locator('option:checked').textContent()).toBe('挪威');
      await setLanguage(admin, 'en');
      await admin.getByRole('button', { name: 'Save' }).click();
      // Deactivating a location asks first, naming it and what follows.
      const ask = admin.getByTestId('confirm-disable-locations');
      await ask.getByText(/^5550002 · Bergen can no longer be chosen for a new claim/).waitFor();
      await visit(admin, 'a13-location-confirm-disable', false);
      await ask.getByRole('button', { name: 'Disable' }).click();
      const row = admin.getByRole('row').filter({ hasText: `${ORG.org} Ltd` });
      await row.getByText('5550002 · Bergen (Norway) · inactive').waitFor();
      await look(admin, 'a13-org-location-inactive');

      // The partner's wizard offers only the active location (and picks it: the only one).
      const partner = await newPage('en-US', PHONE);
      await signIn(partner, ORG.email, PASSWORD);
      await partner.goto(`${kit.server.base}/claims/new`);
      const mpn = partner.getByRole('combobox', { name: /^MPN ID/ });
      await mpn.waitFor();
      expect(await mpn.locator('option').allTextContents()).toEqual([
        'Choose…',
        `5550001 · ${ORG.org} HQ (United States)`,
      ]);
      expect(await mpn.inputValue()).toBe('5550001');
      await look(partner, 'a13-phone-wizard-active-location');
      pages.partner = partner;
    },
  );

  step(
    'disable an organization (confirmed): its users are out and cannot sign in; enable it again (point 2)',
    async () => {
      await admin.getByRole('button', { name: `Disable ${ORG.org} Ltd` }).click();
      await admin.getByTestId('confirm-disable-org').waitFor();
      await visit(admin, 'a13-org-confirm-disable', false);
      await admin.getByTestId('confirm-disable-org').getByRole('button', { name: 'Disable' }).click();
      const row = admin.getByRole('row').filter({ hasText: `${ORG.org} Ltd` });
      await row.getByText('Disabled', { exact: true }).waitFor();

      // Its users are listed as out with it.
      await admin.goto(`${kit.server.base}/admin/users`);
      await admin
        .getByRole('row')
        .filter({ hasText: ORG.email })
        .getByText('Organization disabled', { exact: true })
        .waitFor();

      const partner = pages.partner!;
      await partner.goto(`${kit.server.base}/claims`);
      await partner.getByLabel('Email').waitFor();
      await partner.getByLabel('Email').fill(ORG.email);
      await partner.getByLabel('Password').fill(PASSWORD);
      await partner.getByRole('button', { name: 'Sign in' }).click();
      await partner.getByText('This account is disabled.').waitFor();
      await look(partner, 'a13-phone-signin-org-disabled');

      await adminPhone.goto(`${kit.server.base}/admin/organizations`);
      await adminPhone.getByRole('button', { name: `Enable ${ORG.org} Ltd` }).click();
      await adminPhone
        .getByRole('row')
        .filter({ hasText: `${ORG.org} Ltd` })
        .getByText('Active', { exact: true })
        .waitFor();
      await adminPhone.getByRole('button', { name: `Edit ${ORG.org} Ltd` }).click();
      await look(adminPhone, 'a13-phone-org-edit');
      await signIn(partner, ORG.email, PASSWORD);
    },
  );

  step('edit and disable a user (point 2)', async () => {
    await admin.goto(`${kit.server.base}/admin/users`);
    const row = admin.getByRole('row').filter({ hasText: ORG.email });
    await row.getByRole('button', { name: 'Edit' }).click();
    await admin.getByRole('textbox', { name: /^Name/ }).fill('Nia Northwind');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('cell', { name: 'Nia Northwind', exact: true }).waitFor();
    await admin.getByRole('button', { name: 'Disable Nia Northwind' }).click();
    // A dialog says what disabling does; Cancel changes nothing.
    const ask = admin.getByTestId('confirm-disable-user');
    await ask
      .getByText(new RegExp(`^Nia Northwind \\(${ORG.email.replace(/\./g, '\\.')}\\) is signed out at once`))
      .waitFor();
    await visit(admin, 'a13-user-confirm-disable', false);
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    await row.getByText('Active', { exact: true }).waitFor();
    await admin.getByRole('button', { name: 'Disable Nia Northwind' }).click();
    await ask.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled', { exact: true }).waitFor();
    await look(admin, 'a13-user-disabled');
    await admin.getByRole('button', { name: 'Enable Nia Northwind' }).click();
    await row.getByText('Active', { exact: true }).waitFor();
  });

  step(
    'banners: the error in the reader\'s language without the English detail; "Saved." goes on the next edit',
    async () => {
      // The last platform admin cannot be disabled: a 409 the banner says by its code.
      await adminPhone.goto(`${kit.server.base}/admin/users`);
      await setLanguage(adminPhone, LANG2);
      await adminPhone.getByRole('button', { name: '禁用 Platform admin' }).click();
      await adminPhone.getByTestId('confirm-disable-user').getByRole('button', { name: '禁用' }).click();
      const banner = adminPhone
        .getByRole('alert')
        .filter({ hasText: '这是最后一个平台管理员：不能禁用或降级。' });
      await banner.waitFor();
      // The server's English words stay out of sight, folded under "details" for support.
      expect(await banner.getByText(/last enabled platform admin/).isVisible()).toBe(false);
      const details = banner.getByTestId('problem-details');
      expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      await details.locator('summary').click();
      expect(await details.textContent()).toContain('last_platform_admin');
      await fitsWindow(adminPhone, 'users page with an error banner (zh-CN)');
      await visit(adminPhone, 'a13-phone-error-banner-zh', false);
      await setLanguage(adminPhone, 'en');
      await banner.waitFor({ state: 'detached' }).catch(() => undefined);

      // "Saved." is said (a live region) and goes when the admin edits the form again.
      await admin.goto(`${kit.server.base}/admin/users`);
      await admin
        .getByRole('row')
        .filter({ hasText: REVIEWER.email })
        .getByRole('button', { name: 'Edit' })
        .click();
      await admin.getByRole('textbox', { name: /^Name/ }).fill('Rita Reviews');
      await admin.getByRole('button', { name: 'Save' }).click();
      const saved = admin.getByRole('status').filter({ hasText: 'Saved.' });
      await saved.waitFor();
      await admin.getByRole('textbox', { name: /^Name/ }).fill('Rita');
      await admin.getByTestId('success-bar').waitFor({ state: 'detached' });
    },
  );

  step('a new holiday that moves running deadlines says how many and asks first (point 3)', async () => {
    // The first weekday after tomorrow: inside both claims' review-start SLA (5 business days).
    const now = new Date(String((await api().call(tokens.admin ?? '', 'GET', '/test-clock')).now));
    const day = new Date(now.getTime() + 2 * 86_400_000);
    while ([0, 6].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() + 1);
    const date = day.toISOString().slice(0, 10);

    await admin.goto(`${kit.server.base}/admin/holidays`);
    await admin.getByLabel(/^Date/).fill(date);
    await admin.getByRole('textbox', { name: /^Name/ }).fill(`Founders' day ${run}`);
    await admin.getByRole('button', { name: 'Create' }).click();
    const warning = admin.getByTestId('holiday-impact');
    await warning.getByText(/^This holiday moves 2 running deadlines \(of 2 claims\)/).waitFor();
    // Nothing is added until confirmed.
    expect(await admin.getByRole('cell', { name: `Founders' day ${run}` }).count()).toBe(0);
    await look(admin, 'a13-holiday-moves');
    await warning.getByRole('button', { name: 'Add the holiday' }).click();
    await admin.getByRole('cell', { name: `Founders' day ${run}`, exact: true }).waitFor();
    const claim = await api().call(tokens.admin ?? '', 'GET', `/claims/${ids.open1}`);
    const history = await api().call(tokens.admin ?? '', 'GET', `/claims/${ids.open1}/history?limit=200`);
    expect((history.items as { type: string }[]).map((h) => h.type)).toContain('deadline_moved');
    expect(claim.dueAt).toBeTruthy();

    // A holiday that moves nothing is added at once, without a question.
    await admin.getByLabel(/^Date/).fill('2031-01-02');
    await admin.getByRole('textbox', { name: /^Name/ }).fill(`Quiet day ${run}`);
    await admin.getByRole('button', { name: 'Create' }).click();
    await admin.getByRole('cell', { name: `Quiet day ${run}`, exact: true }).waitFor();
    expect(await admin.getByTestId('holiday-impact').count()).toBe(0);

    // On a phone: the question, in both languages; cancelled, nothing is added.
    const next = new Date(day.getTime() + 86_400_000);
    while ([0, 6].includes(next.getUTCDay())) next.setUTCDate(next.getUTCDate() + 1);
    await adminPhone.goto(`${kit.server.base}/admin/holidays`);
    await adminPhone.getByLabel(/^Date/).fill(next.toISOString().slice(0, 10));
    await adminPhone.getByRole('textbox', { name: /^Name/ }).fill(`Second day ${run}`);
    await adminPhone.getByRole('button', { name: 'Create' }).click();
    await adminPhone
      .getByTestId('holiday-impact')
      .getByText(/^This holiday moves 2 running deadlines/)
      .waitFor();
    await look(adminPhone, 'a13-phone-holiday-moves');
    await adminPhone.getByTestId('holiday-impact').getByRole('button', { name: 'Cancel' }).click();
    await adminPhone.getByTestId('holiday-impact').waitFor({ state: 'detached' });
    expect(await adminPhone.getByRole('cell', { name: `Second day ${run}` }).count()).toBe(0);
  });

  step('removing a holiday asks first and says what follows (confirmations)', async () => {
    await admin.goto(`${kit.server.base}/admin/holidays`);
    await admin.getByRole('button', { name: `Delete Quiet day ${run}` }).click();
    const ask = admin.getByTestId('confirm-remove-holiday');
    await ask.getByText(/becomes a business day again/).waitFor();
    await visit(admin, 'a13-holiday-confirm-remove', false);
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    // Still there (waited for: the page is given back to assistive technology as the dialog goes).
    await admin.getByRole('cell', { name: `Quiet day ${run}`, exact: true }).waitFor();
    // In Chinese on a phone the same question reads in Chinese.
    await adminPhone.goto(`${kit.server.base}/admin/holidays`);
    await setLanguage(adminPhone, LANG2);
    await adminPhone.getByRole('button', { name: `删除 Quiet day ${run}` }).click();
    await adminPhone
      .getByTestId('confirm-remove-holiday')
      .getByText(/将恢复为工作日/)
      .waitFor();
    await fitsWindow(adminPhone, 'holiday removal dialog (zh-CN)');
    await adminPhone.getByTestId('confirm-remove-holiday').getByRole('button', { name: '取消' }).click();
    await setLanguage(adminPhone, 'en');
    await admin.getByRole('button', { name: `Delete Quiet day ${run}` }).click();
    await ask.getByRole('button', { name: 'Delete' }).click();
    await admin.getByRole('cell', { name: `Quiet day ${run}`, exact: true }).waitFor({ state: 'detached' });
  });

  step('the admin audit lists each change, newest first, with its fields, and filters (audit)', async () => {
    await admin.goto(`${kit.server.base}/admin/audit`);
    const rows = admin.getByTestId('audit-row');
    await rows.first().waitFor();
    // The newest: the holiday just removed, by the admin, with its name.
    await expect.poll(() => rows.first().textContent()).toContain(`Holiday2031-01-02Removed`);
    expect(await rows.first().textContent()).toContain(`Name: Quiet day ${run} → —`);
    // The user disabled, then enabled; its rename; never a password.
    const nia = rows.filter({ hasText: 'Nia Northwind' });
    expect(await nia.filter({ hasText: 'Disabled: No → Yes' }).count()).toBeGreaterThanOrEqual(1);
    expect(await nia.filter({ hasText: 'Name: Nia North → Nia Northwind' }).count()).toBe(1);
    expect(await admin.locator('body').textContent()).not.toContain(PASSWORD);
    await look(admin, 'a13-audit');
    // Filtered to the locations: the one deactivated above is there, nothing else.
    await admin.getByRole('combobox', { name: 'What was changed' }).selectOption('location');
    await admin.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows.first().textContent()).toContain('5550002');
    const kinds = await rows.evaluateAll((r) => r.map((x) => x.children[2]?.firstChild?.textContent));
    expect(new Set(kinds)).toEqual(new Set(['Location']));
    await adminPhone.goto(`${kit.server.base}/admin/audit`);
    await adminPhone.getByTestId('audit-row').first().waitFor();
    await look(adminPhone, 'a13-phone-audit');
  });

  step(
    "the dashboard from the server's reports: real rejections only, the SLA for reviewers only (point 5)",
    async () => {
      const reviewer = await newPage();
      await signIn(reviewer, REVIEWER.email, PASSWORD);
      const asked: string[] = [];
      reviewer.on('request', (r) => asked.push(new URL(r.url()).pathname));
      await reviewer.goto(`${kit.server.base}/dashboard`);
      await reviewer.getByTestId('kpi-total').waitFor();
      expect(await reviewer.getByTestId('kpi-total').textContent()).toBe('5');
      // One approval, one reviewer's rejection: 50 %. The withdrawal is no rejection (33 % before).
      expect(await reviewer.getByTestId('kpi-approval').textContent()).toBe('50%');
      expect(await reviewer.getByTestId('kpi-sla').textContent()).toBe('100%');
      const summary =
        (await reviewer
          .locator('section[aria-labelledby="chart-status"] [role="img"]')
          .getAttribute('aria-label')) ?? '';
      expect(summary).toContain('Withdrawn: 1');
      expect(summary).toContain('Rejected by a reviewer: 1');
      expect(summary).toContain('Submitted: 2');
      // No claim is downloaded: the figures are the reports'.
      expect(asked.filter((p) => p.startsWith('/api/v1/claims'))).toEqual([]);
      expect(asked).toContain('/api/v1/reports/claims-by-status');
      await look(reviewer, 'a13-dashboard-reviewer');

      // The partner: its own figures, the same approval rate, and no reviewers' SLA.
      // (Signed in again: disabling the user above ended its sessions.)
      const partner = pages.partner!;
      await signIn(partner, ORG.email, PASSWORD);
      await partner.goto(`${kit.server.base}/dashboard`);
      await partner.getByTestId('kpi-total').waitFor();
      expect(await partner.getByTestId('kpi-approval').textContent()).toBe('50%');
      expect(await partner.getByTestId('kpi-sla').count()).toBe(0);
      expect(await partner.getByTestId('sla-by-area').count()).toBe(0);
      expect(await partner.locator('#chart-sla').count()).toBe(0);
      await look(partner, 'a13-phone-dashboard-partner');
    },
  );

  step('the claim page\'s Documents tab lists the documents, and no "No documents" under them', async () => {
    const partner = pages.partner!;
    await partner.goto(`${kit.server.base}/claims/${ids.open1}`);
    await partner.getByRole('tab', { name: 'Proof of execution (PoE)' }).click();
    const list = partner.getByTestId('documents');
    await list.locator('li').first().waitFor();
    expect(await list.locator('li').count()).toBeGreaterThanOrEqual(1);
    expect(await partner.getByText('No documents yet.').count()).toBe(0);
    await look(partner, 'a13-phone-claim-documents');
  });

  step('the reviewer previews the PoE beside the checklist, in the page (claim page)', async () => {
    const reviewer = await newPage();
    await signIn(reviewer, REVIEWER.email, PASSWORD);
    await reviewer.goto(`${kit.server.base}/claims/${ids.open2}`);
    const panel = reviewer.getByTestId('review-panel');
    await panel.getByRole('button', { name: 'Preview: sow.pdf' }).click();
    const frame = panel.getByTestId('poe-preview').locator('iframe');
    await frame.waitFor();
    expect(await frame.getAttribute('src')).toContain('disposition=inline');
    // No new tab was opened; the preview sits beside the checklist (same rows, to its left).
    expect(reviewer.context().pages()).toHaveLength(1);
    const box = (await frame.boundingBox())!;
    const checklist = (await panel.getByTestId('check-poe_missing').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(checklist.x);
    expect(box.y).toBeLessThan(checklist.y + 400);
    await visit(reviewer, 'a13-review-poe-preview', false);
  });

  it('axe finds no serious or critical violation on any page', () => {
    expect(kit.shots.length).toBeGreaterThan(0);
    expect(kit.findings, JSON.stringify(kit.findings, null, 2)).toEqual([]);
  });
});
