// End-to-end harness: the real server (npx tsx src/main.ts) on a free port with a fresh
// data folder and the test clock, Debian's Chromium driven by playwright-core, axe on
// every page, and screenshots into screenshots/<language>/.
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { simpleParser } from 'mailparser';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ADMIN = { email: 'admin@e2e.example', password: 'e2e-admin-password-1' };

export interface Server {
  base: string;
  dataDir: string;
  logs: string[];
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Builds the SPA when it is missing or stale (prints the first-download size). */
export function buildWeb(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export async function startServer(): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cpor-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    CPOR_DATA_DIR: dataDir,
    CPOR_TEST_CLOCK: '1',
    CPOR_PUBLIC_URL: base,
    CPOR_ADMIN_EMAIL: ADMIN.email,
    CPOR_ADMIN_PASSWORD: ADMIN.password,
    NODE_ENV: 'test',
  };
  delete env.CPOR_DEMO;
  delete env.DATABASE_URL;
  delete env.CPOR_SMTP_URL;
  // Its own process group, so stopping it ends npx and the server under it.
  const child: ChildProcess = spawn('npx', ['tsx', 'src/main.ts'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  child.stdout?.on('data', (b: Buffer) => logs.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => logs.push(b.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (!exited && child.pid) {
      const done = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited while starting:\n${logs.join('')}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return { base, dataDir, logs, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`the server did not become ready in 90 s:\n${logs.join('')}`);
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install Debian's: apt-get install -y chromium ` +
        '(the e2e tests never skip; never use `npx playwright install`).',
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface AxeFinding {
  page: string;
  lang: string;
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** Runs axe and returns the serious and critical violations. */
export async function axe(page: Page, name: string, lang: string): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page })
    // Fluent's focus-trap helpers (tabster "dummy" inputs around dialogs and focus zones) are
    // invisible, focusable sentinels that move focus; axe flags them as unlabeled / hidden
    // focusable elements, which they are by design.
    .exclude('[data-tabster-dummy]')
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      page: name,
      lang,
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}

export async function screenshot(page: Page, name: string, lang: string): Promise<string> {
  const dir = join(SCREENSHOTS, lang);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The consent link from the approval mail to the customer contact (.eml files). */
export async function findConsentLink(
  dataDir: string,
  to: string,
  timeoutMs = 60_000,
): Promise<string | null> {
  const dir = join(dataDir, 'mail');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(dir)) {
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.eml'))) {
        const mail = await simpleParser(readFileSync(join(dir, f)));
        const recipients = JSON.stringify(mail.to ?? '');
        const text = `${mail.text ?? ''}\n${typeof mail.html === 'string' ? mail.html : ''}`;
        const m = /https?:\/\/[^\s"'<>]+\/consent\/[A-Za-z0-9._~%-]+/.exec(text);
        if (m && recipients.toLowerCase().includes(to.toLowerCase())) return m[0];
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}

export function mailSummary(dataDir: string): string {
  const dir = join(dataDir, 'mail');
  if (!existsSync(dir)) return `no ${dir} folder`;
  return `${dir}: ${readdirSync(dir).join(', ') || '(empty)'}`;
}
