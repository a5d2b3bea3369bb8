// R-POE-1: the PoE template, read back. The DOCX is unzipped and its document.xml searched;
// the PDF is parsed with pdf.js and its text searched, for the claim's fields, in the
// organization's language (CJK included). And the reviewer's checklist (R-PAR-1).
import { existsSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfFontPaths } from '../src/documents/poe-template-pdf.js';
import {
  client,
  dbTargets,
  m365Claim,
  seedWorld,
  testApp,
  tenantId,
  type TestApp,
  type World,
} from './harness.js';
import { makePdf } from './poe-fixtures.js';

// .ci/run installs Debian's fonts-droid-fallback; without it the PDF falls back to English (tested below).
const cjkFont = pdfFontPaths.cjk.some((p) => existsSync(p));

async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 })
    .promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    text += content.items.map((it) => ('str' in it ? it.str : '')).join('') + '\n';
  }
  await doc.destroy();
  return text;
}

function docxText(bytes: Buffer): string {
  const files = unzipSync(new Uint8Array(bytes));
  const xml = files['word/document.xml'];
  if (!xml) throw new Error('no word/document.xml');
  return strFromU8(xml)
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

describe.each(dbTargets())('PoE template on %s', (target) => {
  let t: TestApp;
  let w: World;
  let partner: ReturnType<typeof client>;
  const setLanguage = (language: string | null) =>
    t.database.db.updateTable('organizations').set({ language }).where('id', '=', w.orgA.id).execute();
  const claimFields = (name: string) =>
    m365Claim({
      name,
      products: [{ productId: 'exchange_online' }],
      customerContact: { name: 'Chris Customer', title: 'CIO', email: 'chris@contoso.example' },
    });

  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    partner = client(t.app, w.tokens.partnerA);
  });
  afterAll(async () => {
    await setLanguage(null).catch(() => undefined);
    await t?.close();
  });

  it('fills the DOCX with the claim, in English by default', async () => {
    await setLanguage(null);
    const id = (await partner.post('/api/v1/claims', claimFields('Mail migration 2026'))).json<{
      id: string;
    }>().id;
    const res = await partner.get(`/api/v1/claims/${id}/poe-template`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml.document');
    expect(res.headers['content-language']).toBe('en');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="poe-Mail-migration-2026\.docx"/,
    );
    const text = docxText(res.rawPayload);
    for (const field of [
      'Proof of execution (PoE)',
      'Contoso Partners',
      '1234567',
      'Seattle',
      'contoso.onmicrosoft.com',
      tenantId,
      'Microsoft 365',
      'Usage',
      'Exchange Online',
      'Chris Customer, CIO, chris@contoso.example',
      'Paula Partner',
      'Mail migration 2026',
      '2026-03-04',
      'The work done',
      'Customer signature',
      'Signature',
      id,
    ]) {
      expect(text, field).toContain(field);
    }
  });

  it('writes the PDF, and both formats in pt-BR and es-ES', async () => {
    const id = (await partner.post('/api/v1/claims', claimFields('Migração São Paulo'))).json<{
      id: string;
    }>().id;
    await setLanguage('pt-BR');
    const pdf = await partner.get(`/api/v1/claims/${id}/poe-template?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-language']).toBe('pt-BR');
    const text = await pdfText(pdf.rawPayload);
    for (const field of [
      'Prova de execução (PoE)',
      'Migração São Paulo',
      'Contoso Partners',
      'ID de MPN',
      '1234567',
      tenantId,
      'contoso.onmicrosoft.com',
      'Exchange Online',
      'Uso',
      'Chris Customer',
      'Assinatura do cliente',
      'Trabalho realizado',
    ]) {
      expect(text, field).toContain(field);
    }
    await setLanguage('es-ES');
    const docx = docxText((await partner.get(`/api/v1/claims/${id}/poe-template`)).rawPayload);
    expect(docx).toContain('Prueba de ejecución (PoE)');
    expect(docx).toContain('Firma del cliente');
  });

  it.runIf(cjkFont).each([
    ['zh-CN', '执行证明 (PoE)', '客户签字', '租户 ID'],
    ['zh-TW', '執行證明 (PoE)', '客戶簽署', '租用戶識別碼'],
  ])('writes %s PDF and DOCX with CJK text', async (language, title, signature, tenantLabel) => {
    await setLanguage(language);
    const id = (await partner.post('/api/v1/claims', claimFields('邮件迁移项目'))).json<{ id: string }>().id;
    const pdf = await partner.get(`/api/v1/claims/${id}/poe-template?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-language']).toBe(language);
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    for (const field of [
      title,
      signature,
      tenantLabel,
      '邮件迁移项目',
      tenantId,
      'Exchange Online',
      '1234567',
    ]) {
      expect(text, field).toContain(field);
    }
    const docx = docxText((await partner.get(`/api/v1/claims/${id}/poe-template`)).rawPayload);
    expect(docx).toContain(title);
    expect(docx).toContain('邮件迁移项目');
    // The template is a PoE like any other: it passes the upload checks.
    const up = await partner.upload(`/api/v1/claims/${id}/documents`, 'template.pdf', pdf.rawPayload);
    expect(up.statusCode, up.body).toBe(201);
  });

  it('falls back to English labels in the PDF when no CJK font is installed', async () => {
    await setLanguage('zh-CN');
    const saved = pdfFontPaths.cjk;
    pdfFontPaths.cjk = ['/nonexistent/cjk-font.ttf'];
    try {
      const id = (await partner.post('/api/v1/claims', claimFields('迁移'))).json<{ id: string }>().id;
      const pdf = await partner.get(`/api/v1/claims/${id}/poe-template?format=pdf`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-language']).toBe('en');
      const text = await pdfText(pdf.rawPayload);
      expect(text).toContain('Proof of execution (PoE)');
      expect(text).toContain(tenantId);
      // The DOCX needs no font: it stays in Chinese.
      const docx = await partner.get(`/api/v1/claims/${id}/poe-template`);
      expect(docx.headers['content-language']).toBe('zh-CN');
    } finally {
      pdfFontPaths.cjk = saved;
    }
  });

  it('lets readers download it and refuses unknown formats', async () => {
    await setLanguage(null);
    const id = (await partner.post('/api/v1/claims', claimFields('Reader access'))).json<{ id: string }>().id;
    const reader = client(t.app, w.tokens.readerA);
    expect((await reader.get(`/api/v1/claims/${id}/poe-template?format=pdf`)).statusCode).toBe(200);
    expect((await client(t.app, w.tokens.reviewer).get(`/api/v1/claims/${id}/poe-template`)).statusCode).toBe(
      200,
    );
    expect((await partner.get(`/api/v1/claims/${id}/poe-template?format=html`)).statusCode).toBe(422);
    expect((await client(t.app, w.tokens.partnerB).get(`/api/v1/claims/${id}/poe-template`)).statusCode).toBe(
      404,
    );
  });

  it("keeps the reviewer's checklist with the decision and shows the latest", async () => {
    const reviewer = client(t.app, w.tokens.reviewer);
    const id = (await partner.post('/api/v1/claims', claimFields('Checklist claim'))).json<{ id: string }>()
      .id;
    await partner.upload(`/api/v1/claims/${id}/documents`, 'sow.pdf', await makePdf('Signed SOW'));
    const empty = await partner.get(`/api/v1/claims/${id}/checklist`);
    expect(empty.json()).toMatchObject({ recorded: null });
    expect(empty.json<{ items: unknown[] }>().items).toHaveLength(5);
    expect((await partner.post(`/api/v1/claims/${id}/submit`)).statusCode).toBe(200);
    expect((await reviewer.post(`/api/v1/claims/${id}/start-review`)).statusCode).toBe(200);
    const asked = await reviewer.post(`/api/v1/claims/${id}/request-information`, {
      reasons: ['customer_signature_missing'],
      comment: 'The SOW is not signed.',
      checklist: {
        poe_missing: true,
        customer_signature_missing: false,
        dates_missing_or_old: true,
        partner_solution_missing: true,
        products_missing: true,
      },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const first = await reviewer.get(`/api/v1/claims/${id}/checklist`);
    expect(first.json()).toMatchObject({
      items: [
        { reason: 'poe_missing', passed: true },
        { reason: 'customer_signature_missing', passed: false },
        { reason: 'dates_missing_or_old', passed: true },
        { reason: 'partner_solution_missing', passed: true },
        { reason: 'products_missing', passed: true },
      ],
      recorded: { decision: 'request_information', reviewer: { role: 'reviewer' } },
      customerContactVerified: null,
    });
    await partner.upload(
      `/api/v1/claims/${id}/documents`,
      'signed.pdf',
      await makePdf('Signed by the customer'),
    );
    const resubmitted = await partner.post(`/api/v1/claims/${id}/submit`);
    expect(resubmitted.statusCode).toBe(200);
    if (resubmitted.json<{ status: string }>().status === 'submitted')
      expect((await reviewer.post(`/api/v1/claims/${id}/start-review`)).statusCode).toBe(200);
    const approved = await reviewer.post(`/api/v1/claims/${id}/approve`, {
      checklist: { poe_missing: true, customer_signature_missing: true, customer_contact_verified: true },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const latest = await partner.get(`/api/v1/claims/${id}/checklist`);
    expect(latest.json()).toMatchObject({
      items: [
        { reason: 'poe_missing', passed: true },
        { reason: 'customer_signature_missing', passed: true },
        { reason: 'dates_missing_or_old', passed: null },
        { reason: 'partner_solution_missing', passed: null },
        { reason: 'products_missing', passed: null },
      ],
      recorded: { decision: 'approve' },
      customerContactVerified: true,
    });
    // Kept in the history with each decision (R-HIST-1).
    const history = await partner.get(`/api/v1/claims/${id}/history`);
    const withChecklist = history
      .json<{ items: { type: string; data: { checklist?: unknown } }[] }>()
      .items.filter((h) => h.data.checklist);
    expect(withChecklist.map((h) => h.type)).toEqual(['request_information', 'approve']);
    // A point that is not one of the five is refused.
    const bad = await reviewer.post(`/api/v1/claims/${id}/reject`, {
      reason: 'insufficient_poe',
      comment: 'x',
      checklist: { looks_fine: true },
    });
    expect(bad.statusCode).toBe(422);
  });
});
