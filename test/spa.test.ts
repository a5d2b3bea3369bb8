// The web UI's pages: any page a browser navigates to gets the SPA's index.html (the
// customer's consent link included, whose token has dots); missing assets and API routes
// stay 404 problem+json.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './harness.js';

describe('web UI pages', () => {
  let t: TestApp;
  let web = '';
  beforeAll(async () => {
    web = await mkdtemp(join(tmpdir(), 'cpor-web-'));
    await writeFile(join(web, 'index.html'), '<!doctype html><title>cpor spa</title>');
    t = await testApp('pglite', { app: { webDist: web } });
  });
  afterAll(async () => {
    await t?.close();
    await rm(web, { recursive: true, force: true });
  });

  const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  it.each([
    '/',
    '/claims/6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    '/consent/4f3b7c4f-4ca4-43dc-b696-5628801b26bf.mx1azzxf.7EgQfdMKowbl8a5tAYhtUknB5chuMvUycTouvHWFjSc',
  ])('serves index.html for %s', async (url) => {
    const res = await t.app.inject({ method: 'GET', url, headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('cpor spa');
  });

  it.each([
    ['/assets/missing-abc123.js', { accept: '*/*' }],
    ['/api/v1/no-such-route', html],
  ])('answers %s with 404 problem+json', async (url, headers) => {
    const res = await t.app.inject({ method: 'GET', url, headers });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
