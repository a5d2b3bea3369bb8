// Every mail in every language renders completely, with the glossary's words.
import { describe, expect, it } from 'vitest';
import { renderMail, type EmailPayload, type MailContext } from './mail-templates.js';
import { mailLanguages } from './mail-text.js';

const payload = (template: string, language: string, over: Partial<EmailPayload> = {}): EmailPayload => ({
  template,
  to: { name: 'Chris', email: 'chris@contoso.example' },
  language,
  claimId: 'c1',
  claimName: 'Mail migration',
  organizationName: 'Contoso Partners',
  status: 'approved',
  statusReason: 'insufficient_poe',
  mpnId: '1234567',
  customer: { domain: 'contoso.onmicrosoft.com', tenantId: '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0' },
  products: [{ productId: 'exchange_online' }, { productId: 'd365_sales', subscriptionId: 'sub-1' }],
  requestedInformation: { reasons: ['poe_missing'], comment: 'Sign it', dueAt: '2026-06-01T12:00:00Z' },
  consentEndsAt: '2026-05-29T12:00:00Z',
  rejectedAt: '2026-05-22T12:00:00Z',
  ...over,
});
const ctx: MailContext = {
  timeZone: 'America/Sao_Paulo',
  productNames: new Map([['exchange_online', 'Exchange Online']]),
  claimUrl: 'https://cpor.example/claims/c1',
  claimUrlOf: (id) => `https://cpor.example/claims/${id}`,
  queueUrl: 'https://cpor.example/review',
  consentUrl: 'https://cpor.example/consent/tok',
  disputeEndsAt: new Date('2026-06-21T12:00:00Z'),
  disputeDecisionBusinessDays: 5,
};
const templates = [
  'claim_approved',
  'partner_approved',
  'claim_rejected',
  'information_requested',
  'dispute_received',
  'dispute_decided',
  'association_superseded',
  'association_expired',
  'customer_declined',
  'overdue_digest',
];
const claimWord = {
  en: 'claim',
  'pt-BR': 'declaração',
  'es-ES': 'reclamación',
  'zh-CN': '声明',
  'zh-TW': '宣告',
};

describe('mail templates', () => {
  for (const language of mailLanguages) {
    it(`renders every mail in ${language}`, () => {
      for (const template of templates) {
        const m = renderMail(payload(template, language), ctx);
        expect(m.language).toBe(language);
        for (const part of [m.subject, m.text, m.html]) expect(part).not.toMatch(/\{\w+\}/);
        expect(m.html).toContain(`<html lang="${language}">`);
        expect(m.text).toContain('Chris');
        if (template !== 'claim_approved') expect(m.text.toLowerCase()).toContain(claimWord[language]);
      }
      const approved = renderMail(payload('claim_approved', language), ctx);
      expect(approved.text).toContain('https://cpor.example/consent/tok');
      expect(approved.text).toContain('Exchange Online');
      expect(approved.text).toContain('d365_sales (sub-1)');
    });
  }

  it('says a rejection cannot be disputed when it cannot (R-DISP-2)', () => {
    const final = renderMail(payload('claim_rejected', 'en', { statusReason: 'customer_declined' }), {
      ...ctx,
      disputeEndsAt: null,
    });
    expect(final.text).toContain('cannot be disputed');
    // Dates are shown in the calendar's time zone: 12:00 UTC is 09:00 in São Paulo.
    const open = renderMail(payload('claim_rejected', 'en'), ctx);
    expect(open.text).toMatch(/until June 21, 2026 at 9:00:00\s?AM GMT-3/);
  });

  it("R-TIME-6: the reviewers' digest lists each overdue claim with its link and the queue's", () => {
    for (const language of mailLanguages) {
      const m = renderMail(
        payload('overdue_digest', language, {
          claimId: null,
          overdue: [
            {
              claimId: 'c7',
              claimName: 'Mail <move>',
              organizationName: 'Contoso',
              since: '2026-06-01T12:00:00Z',
            },
            {
              claimId: 'c8',
              claimName: 'Teams',
              organizationName: 'Fabrikam',
              since: '2026-06-02T12:00:00Z',
            },
          ],
        }),
        ctx,
      );
      expect(m.subject).toMatch(/2/);
      expect(m.text).toContain('https://cpor.example/claims/c7');
      expect(m.text).toContain('https://cpor.example/claims/c8');
      expect(m.text).toContain('https://cpor.example/review');
      expect(m.text).toContain('Fabrikam');
      expect(m.html).toContain('Mail &lt;move&gt;');
      expect(m.html).not.toContain('<move>');
    }
    const en = renderMail(payload('overdue_digest', 'en', { claimId: null, overdue: [] }), ctx);
    expect(en.subject).toBe('Overdue claims: 0');
  });

  it('falls back to English for an unknown language', () => {
    expect(renderMail(payload('dispute_received', 'fr-FR'), ctx).language).toBe('en');
  });
});
