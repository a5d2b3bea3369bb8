// The web UI's pure logic: the wizard's checks and body, where a server error shows, the
// reviewer queue's order, the dashboard's figures, the browser-language match.
import { describe, expect, it } from 'vitest';
import { ApiError, fieldText, type Catalog } from '../web/src/api.js';
import { matchLanguage } from '../web/src/i18n/index.js';
import {
  checkStep,
  emptyForm,
  firstStepOf,
  stepOfPath,
  toBody,
} from '../web/src/pages/claims/wizard/claimForm.js';
import { approvalRate, monthRows, statusBars } from '../web/src/pages/dashboard/stats.js';

const catalog: Catalog = {
  solutionAreas: [
    { id: 'microsoft_365', name: 'Microsoft 365', activities: ['pre_sales', 'usage'] },
    {
      id: 'business_applications',
      name: 'Business Applications',
      activities: ['usage', 'revenue_association'],
    },
  ],
  products: [
    {
      id: 'exchange_online',
      name: 'Exchange Online',
      solutionArea: 'microsoft_365',
      scope: 'workload',
      dynamics365: false,
      active: true,
    },
    {
      id: 'd365_sales',
      name: 'Dynamics 365 Sales',
      solutionArea: 'business_applications',
      scope: 'subscription',
      dynamics365: true,
      active: true,
    },
  ],
};

describe('the claim wizard', () => {
  it('shows the missing fields of a step at their API paths', () => {
    const f = emptyForm();
    expect(checkStep('location', f, catalog)).toEqual({
      mpnId: 'validation.required',
      'customer.domain': 'validation.required',
      'customer.tenantId': 'validation.required',
    });
    f.mpnId = '1234567';
    f.domain = 'not a domain';
    f.tenantId = '72F988BF-86F1-41AF-91AB-2D7CD011DB47';
    expect(checkStep('location', f, catalog)).toEqual({ 'customer.domain': 'validation.domain' });
  });

  it('asks for the revenue fields only for revenue association (R-FIELD-4)', () => {
    const f = emptyForm();
    f.name = 'n';
    f.activity = 'usage';
    expect(checkStep('details', f, catalog)).toEqual({});
    f.activity = 'revenue_association';
    expect(Object.keys(checkStep('details', f, catalog)).sort()).toEqual([
      'revenue.customerName',
      'revenue.isvSolutionName',
      'revenue.solutionSellerName',
    ]);
  });

  it('asks for a technical contact when a Dynamics 365 product is claimed (R-FIELD-2)', () => {
    const f = emptyForm();
    f.customerContact = { name: 'C', title: 'CIO', email: 'c@contoso.com', language: '' };
    f.partnerContact = { name: 'P', email: 'p@partner.com' };
    f.products = [{ productId: 'exchange_online', subscriptionId: '' }];
    expect(checkStep('contacts', f, catalog)).toEqual({});
    f.products.push({ productId: 'd365_sales', subscriptionId: 'nope' });
    const e = checkStep('contacts', f, catalog);
    expect(e['technicalContact.email']).toBe('validation.required');
    // The subscription ID is checked at the products step, where it is entered (issue 13 point 1).
    expect(checkStep('products', f, catalog)).toEqual({ 'products.1.subscriptionId': 'validation.guid' });
  });

  it('sends only what is filled in, and after submission only the editable fields (R-EDIT-2)', () => {
    const f = emptyForm('1234567');
    f.name = ' Contoso ';
    f.domain = 'contoso.onmicrosoft.com';
    f.tenantId = '72F988BF-86F1-41AF-91AB-2D7CD011DB47';
    f.products = [{ productId: 'exchange_online', subscriptionId: '' }];
    expect(toBody(f, catalog)).toEqual({
      mpnId: '1234567',
      name: 'Contoso',
      customer: { domain: 'contoso.onmicrosoft.com', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
      products: [{ productId: 'exchange_online' }],
    });
    const afterSubmit = ['mpnId', 'products', 'customerContact', 'technicalContact', 'partnerContact'];
    expect(Object.keys(toBody(f, catalog, afterSubmit)).sort()).toEqual(['mpnId', 'products']);
  });

  it('jumps to the step that shows a server error', () => {
    expect(stepOfPath('customer.tenantId')).toBe('location');
    expect(stepOfPath('activity')).toBe('area');
    expect(stepOfPath('revenue.customerName')).toBe('details');
    expect(stepOfPath('products')).toBe('products');
    expect(stepOfPath('products.0.subscriptionId')).toBe('products');
    expect(stepOfPath('customerContact.email')).toBe('contacts');
    expect(stepOfPath('documents')).toBe('poe');
    // The first step in the wizard's order, whatever the order of the errors.
    expect(firstStepOf(['customerContact.email', 'activity', 'documents'])).toBe('area');
  });

  it('reads RFC 9457 field errors by dotted path', () => {
    const e = new ApiError({
      status: 422,
      code: 'validation_failed',
      errors: [
        { path: 'customerContact.email', message: 'Invalid email', code: 'invalid_format', params: {} },
        { path: '/products/0/subscriptionId', message: 'Unknown subscription', code: 'invalid', params: {} },
        { path: 'name', message: 'Too long', code: 'too_long', params: { max: 200 } },
      ],
    });
    expect(e.fieldErrors()).toMatchObject({
      'customerContact.email': 'Invalid email',
      'products.0.subscriptionId': 'Unknown subscription',
    });
    // Shown in the user's language from the code and its parameters (issue 8 point 4).
    const t = (k: string, o?: Record<string, unknown>) =>
      k === 'fieldError.too_long' ? `≤ ${String(o?.max)}` : String(o?.defaultValue);
    expect(e.fieldErrors((f) => fieldText(f, t)).name).toBe('≤ 200');
  });
});

describe("the dashboard (from the server's reports, issue 13 point 10)", () => {
  const month = { decided: 4, met: 3, missed: 1, medianBusinessDays: 2.5, approved: 3, rejected: 1 };
  it('counts by status, each way a claim ended apart (issue 13 point 2)', () => {
    const bars = statusBars({
      items: [
        { status: 'in_review', count: 2 },
        { status: 'rejected', count: 3 },
        { status: 'ended', count: 1 },
      ],
      total: 6,
      outcomes: [
        { outcome: 'withdrawn', count: 1 },
        { outcome: 'customer_denied', count: 1 },
        { outcome: 'rejected_by_reviewer', count: 1 },
        { outcome: 'disassociated', count: 1 },
      ],
      overdue: 0,
    });
    const count = (o: string) => bars.find((x) => x.outcome === o)?.count;
    expect(bars.find((x) => x.status === 'in_review')?.count).toBe(2);
    expect([count('withdrawn'), count('customer_denied'), count('rejected_by_reviewer')]).toEqual([1, 1, 1]);
    expect([count('disassociated'), count('ended'), count('no_partner_response')]).toEqual([1, 0, 0]);
    expect(bars.some((x) => x.status === 'rejected' && x.outcome === null)).toBe(false);
    expect(bars.reduce((n, x) => n + x.count, 0)).toBe(6);
  });
  it("the approval rate is the reviewers' approvals of their decisions; months as the report says", () => {
    expect(approvalRate({ decided: 2, approved: 1 })).toBe(0.5);
    expect(approvalRate({ decided: 0, approved: 0 })).toBeNull();
    expect(monthRows({ ...month, bySolutionArea: [], byMonth: [{ month: '2026-10', ...month }] })).toEqual([
      { month: '2026-10', approved: 3, rejected: 1, rate: 0.75, medianDays: 2.5, met: 0.75 },
    ]);
  });
});

describe("the browser's language", () => {
  it('maps BCP 47 tags to the five languages', () => {
    expect(matchLanguage('pt-PT')).toBe('pt-BR');
    expect(matchLanguage('es-MX')).toBe('es-ES');
    expect(matchLanguage('zh-Hant-HK')).toBe('zh-TW');
    expect(matchLanguage('zh-TW')).toBe('zh-TW');
    expect(matchLanguage('zh')).toBe('zh-CN');
    expect(matchLanguage('en-GB')).toBe('en');
    expect(matchLanguage('fr-FR')).toBeNull();
  });
});
