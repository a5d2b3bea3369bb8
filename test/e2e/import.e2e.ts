// Bulk import of claims in the browser (issue 12 point 2): a partner opens the import page
// from the claims list, checks a file with a bad row (the row and column are shown, nothing
// is created), checks the corrected file and confirms; the claims are drafts of its
// organization. Checked with axe and photographed in English and Spanish.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN } from './harness.js';
import { Kit } from './kit.js';

const LANG2 = 'es-ES';
const kit = new Kit(LANG2);
const { newPage, visit, signIn, step, call, tokenOf } = kit;

const run = randomUUID().slice(0, 6);
const PASSWORD = 'e2e-password-123';
const P = { org: `Northwind Imports ${run}`, mpn: '3333333', email: `ivy.${run}@northwind.example` };

const header = 'name,mpnId,customerDomain,customerTenantId,solutionArea,activity,products';
const line = (i: number, mpnId = P.mpn) =>
  `Northwind import ${run} ${i},${mpnId},nw${run}${i}.onmicrosoft.com,${randomUUID()},microsoft_365,usage,teams`;
const csv = (lines: string[]) => ({
  name: 'claims.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from([header, ...lines].join('\n')),
});

let partner: Page;
let token = '';

describe('bulk import of claims in the browser', () => {
  beforeAll(async () => {
    await kit.start();
    const admin = await tokenOf(ADMIN.email, ADMIN.password);
    const org = await call(admin, 'POST', '/organizations', {
      name: P.org,
      locations: [{ mpnId: P.mpn, name: `${P.org} HQ`, country: 'US' }],
    });
    await call(admin, 'POST', '/users', {
      email: P.email,
      name: 'Ivy Importer',
      password: PASSWORD,
      organizationId: org.id,
      roles: ['global_admin'],
    });
    token = await tokenOf(P.email, PASSWORD);
  });

  afterAll(async () => {
    await kit.stop();
    console.log(`screenshots: ${kit.shots.length} files under screenshots/en and screenshots/${LANG2}`);
  });

  step('the import page opens from the claims list', async () => {
    partner = await newPage();
    await signIn(partner, P.email, PASSWORD);
    await partner.goto(`${kit.server.base}/claims`);
    await partner.getByTestId('import-claims').click();
    await partner.getByRole('heading', { name: 'Import customer associations from a CSV file' }).waitFor();
    expect(await partner.getByTestId('import-template').getAttribute('href')).toBe(
      '/api/v1/claims/import-template',
    );
    await visit(partner, 'import-claims');
  });

  step('a file with a bad row: its row and column are shown, nothing is created', async () => {
    await partner.getByTestId('import-file').setInputFiles(csv([line(1), line(2, '12'), line(3)]));
    await partner.getByTestId('import-check').click();
    const errors = partner.getByTestId('import-errors');
    await errors.waitFor();
    const rows = errors.getByRole('row');
    expect(await rows.count()).toBe(2);
    const cells = await rows.nth(1).getByRole('cell').allInnerTexts();
    expect(cells.slice(0, 2)).toEqual(['3', 'mpnId']);
    expect(await partner.getByTestId('import-confirm').count()).toBe(0);
    await visit(partner, 'import-claims-errors');
    const list = await call(token, 'GET', '/claims');
    expect(list.items).toEqual([]);
  });

  step(
    'the corrected file is checked, then imported on confirmation: drafts of the organization',
    async () => {
      await partner.getByTestId('import-file').setInputFiles(csv([line(1), line(2), line(3)]));
      await partner.getByTestId('import-check').click();
      await partner.getByTestId('import-ready').getByText('The file is ready to import: 3 rows').waitFor();
      expect(await partner.getByTestId('import-errors').count()).toBe(0);
      expect((await call(token, 'GET', '/claims')).items).toEqual([]);
      await partner.getByTestId('import-confirm').click();
      await partner.getByTestId('import-done').getByText('Imported, in Editing: 3.').waitFor();
      await visit(partner, 'import-claims-done');
      const items = (await call(token, 'GET', '/claims')).items as { name: string; status: string }[];
      expect(items.map((c) => [c.name, c.status]).sort()).toEqual(
        [1, 2, 3].map((i) => [`Northwind import ${run} ${i}`, 'draft']),
      );
      await partner.getByTestId('import-back').click();
      await partner.getByRole('link', { name: `Northwind import ${run} 2` }).waitFor();
    },
  );

  it('axe finds no serious or critical violation on any page', () => {
    expect(kit.shots.length).toBeGreaterThan(0);
    expect(kit.findings, JSON.stringify(kit.findings, null, 2)).toEqual([]);
  });
});
