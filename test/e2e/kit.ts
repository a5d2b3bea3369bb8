// What every e2e story shares: the server and browser, one context per person, and the
// page helpers (wait until settled, axe + screenshots in two languages, sign in, status).
import { expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  axe,
  buildWeb,
  launchBrowser,
  screenshot,
  startServer,
  type AxeFinding,
  type Server,
} from './harness.js';

export type Json = Record<string, unknown>;

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** The page is no wider than the window: nothing widens it past the viewport (issue 13 point 8). */
export async function pageWidth(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
    viewport: window.innerWidth,
  }));
}

/** The innermost elements that reach past the window's right edge (what widens the page). */
export async function widest(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right <= window.innerWidth + 1 || r.width === 0) continue;
      if (Array.from(el.children).some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
        continue;
      out.push(
        `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)} ${Math.round(r.right)}px: ${(el.textContent ?? '').slice(0, 40)}`,
      );
    }
    return out.slice(0, 8);
  });
}

/** The page is no wider than its window; if it is, the message names what widens it. */
export async function fitsWindow(page: Page, what: string): Promise<void> {
  const w = await pageWidth(page);
  const culprits = w.scrollWidth > w.viewport ? await widest(page) : [];
  expect(
    w.scrollWidth,
    `${what}: the page is ${w.scrollWidth}px wide in a ${w.viewport}px window; ${culprits.join(' | ')}`,
  ).toBeLessThanOrEqual(w.viewport);
}

export class Kit {
  server!: Server;
  browser!: Browser;
  readonly contexts: BrowserContext[] = [];
  readonly findings: AxeFinding[] = [];
  readonly shots: string[] = [];
  failed: string | undefined;

  /** lang2: the second language of the screenshots. */
  constructor(readonly lang2 = 'pt-BR') {}

  start = async () => {
    buildWeb();
    this.browser = await launchBrowser();
    this.server = await startServer();
  };

  stop = async () => {
    for (const c of this.contexts) await c.close().catch(() => undefined);
    await this.browser?.close();
    await this.server?.stop();
  };

  /** A person's own browser; `viewport` PHONE for a 390x844 phone (issue 13 point 8). */
  newPage = async (locale = 'en-US', viewport = DESKTOP): Promise<Page> => {
    const ctx = await this.browser.newContext({ locale, viewport });
    this.contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  };

  settle = async (page: Page) => {
    await page.waitForLoadState('networkidle');
    // Fluent's Spinner has role progressbar: wait until the page has loaded its data.
    await page
      .locator('[role="progressbar"]')
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
    await page.waitForTimeout(150);
  };

  setLanguage = async (page: Page, lang: string) => {
    await page.getByTestId('language-picker').first().selectOption(lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await this.settle(page);
  };

  /** axe + screenshot in English, then (pages, not dialogs) the same in the second language. */
  visit = async (page: Page, name: string, second = true) => {
    // A page is checked once the dialog that led to it has closed: while Fluent's dialog
    // closes, the page under it is still aria-hidden (axe: aria-hidden-focus on #root).
    // The dialog leaves the DOM a moment before its modalizer gives #root back.
    if (second) {
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.waitForFunction(() => !document.getElementById('root')?.hasAttribute('aria-hidden'));
    }
    await this.settle(page);
    this.findings.push(...(await axe(page, name, 'en')));
    this.shots.push(await screenshot(page, name, 'en'));
    if (!second) return;
    await this.setLanguage(page, this.lang2);
    this.findings.push(...(await axe(page, name, this.lang2)));
    this.shots.push(await screenshot(page, name, this.lang2));
    await this.setLanguage(page, 'en');
  };

  /** `visit`, and on a phone (a window 500 px wide or less) the page also fits its window in both languages. */
  look = async (page: Page, name: string) => {
    await this.visit(page, name);
    if ((page.viewportSize()?.width ?? 0) > 500) return;
    await fitsWindow(page, `${name} (en)`);
    await this.setLanguage(page, this.lang2);
    await fitsWindow(page, `${name} (${this.lang2})`);
    await this.setLanguage(page, 'en');
  };

  signIn = async (page: Page, email: string, password: string, shoot?: string) => {
    await page.goto(`${this.server.base}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    if (shoot) await this.visit(page, shoot);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-name').waitFor();
  };

  /** Signs in with a password someone else set, which must be changed first (issue 10). */
  signInChangingPassword = async (
    page: Page,
    email: string,
    password: string,
    newPassword: string,
    shoot?: string,
  ) => {
    await page.goto(`${this.server.base}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    if (shoot) await this.visit(page, shoot);
    await page.getByLabel(/^Current password/).fill(password);
    await page.getByLabel(/^New password/).fill(newPassword);
    await page.getByLabel(/^Repeat the new password/).fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByTestId('user-name').waitFor();
  };

  /** The public API with a bearer token (setup that need not go through the pages). */
  call = async (token: string, method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${this.server.base}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body instanceof FormData || body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Json;
  };

  tokenOf = async (email: string, password: string): Promise<string> => {
    const r = await fetch(`${this.server.base}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!r.ok) throw new Error(`token for ${email}: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { token: string }).token;
  };

  /** A partner organization with one location, and its global admin (through the API). */
  partnerOrg = async (
    adminToken: string,
    p: { org: string; mpn: string; email: string; name: string },
    password: string,
    country = 'US',
  ): Promise<string> => {
    const org = await this.call(adminToken, 'POST', '/organizations', {
      name: p.org,
      locations: [{ mpnId: p.mpn, name: `${p.org} HQ`, country }],
    });
    await this.call(adminToken, 'POST', '/users', {
      email: p.email,
      name: p.name,
      password,
      organizationId: org.id,
      roles: ['global_admin'],
    });
    return String(org.id);
  };

  statusIs = async (page: Page, status: string | RegExp) => {
    await page.getByTestId('status-help').getByText(status, { exact: true }).first().waitFor();
  };

  /** Each step needs the ones before it; after a failure the rest say which step broke. */
  step = (name: string, fn: () => Promise<void>) => {
    it(name, async () => {
      if (this.failed) throw new Error(`not run: the step "${this.failed}" failed`);
      try {
        await fn();
      } catch (e) {
        this.failed = name;
        // What each browser showed when the step failed.
        let i = 0;
        for (const c of this.contexts)
          for (const p of c.pages()) await screenshot(p, `failed-${++i}`, 'failures').catch(() => '');
        throw e;
      }
    });
  };
}

/** A small PDF, base64: a plausible PoE. */
export async function pdf(lines: string[]): Promise<string> {
  const doc = await PDFDocument.create();
  const p = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  lines.forEach((l, i) => p.drawText(l, { x: 50, y: 780 - i * 22, size: 13, font }));
  return Buffer.from(await doc.save()).toString('base64');
}
