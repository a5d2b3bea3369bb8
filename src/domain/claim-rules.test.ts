// Field rules of a claim (domain.md R-FIELD-1..4, R-SUB-1) and the consistency checks that
// hold for drafts too. Pure: a catalog, a tenant and the organization's MPN IDs are given.
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog-data.js';
import {
  approvalContactErrors,
  checkProgram,
  customerContactCheck,
  completenessErrors,
  consistencyErrors,
  editErrors,
  fillSubscriptions,
  resolveSubscription,
  type RuleContext,
} from './claim-rules.js';
import { newDraft, type CatalogProduct, type ClaimState, type KnownTenant } from './claim.js';
import type { DomainError } from './errors.js';

const tenantId = '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const products = new Map<string, CatalogProduct>(defaultCatalog.map((p) => [p.id, p]));
products.set('retired', { ...defaultCatalog[0]!, id: 'retired', active: false });

const tenant: KnownTenant = {
  tenantId,
  domains: ['contoso.onmicrosoft.com', 'contoso.com'],
  subscriptions: [
    { id: 'sub-sales-1', productId: 'd365_sales', expiresAt: null },
    { id: 'sub-sales-2', productId: 'd365_sales', expiresAt: null },
    { id: 'sub-bi-1', productId: 'power_bi', expiresAt: null },
  ],
};
const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({
  products,
  tenant,
  organizationMpnIds: ['1234567', '1234568'],
  ...over,
});

const empty: ClaimState = newDraft('c', 'org-a');

const contact = { name: 'Chris', title: 'CIO', email: 'chris@contoso.com' };
const m365: ClaimState = {
  ...empty,
  mpnId: '1234567',
  name: 'Mail',
  tenantId,
  domain: 'contoso.onmicrosoft.com',
  solutionArea: 'microsoft_365',
  activity: 'usage',
  products: [{ productId: 'exchange_online', subscriptionId: null }],
  customerContact: contact,
  partnerContact: { name: 'Paula', email: 'paula@a.example' },
  documentCount: 1,
};
const bizapps: ClaimState = {
  ...m365,
  solutionArea: 'business_applications',
  activity: 'pre_sales_and_usage',
  products: [{ productId: 'd365_sales', subscriptionId: 'sub-sales-1' }],
  technicalContact: { name: 'Tess', title: 'IT lead', email: 'tess@contoso.example' },
};
const paths = (errors: { path: string }[]) => errors.map((e) => e.path);

describe('R-FIELD-1 and R-SUB-1: what submit needs', () => {
  it('names every missing field of an empty draft, and the missing PoE', () => {
    expect(paths(completenessErrors(empty, ctx()))).toEqual([
      'name',
      'mpnId',
      'customer.domain',
      'customer.tenantId',
      'solutionArea',
      'activity',
      'products',
      'customerContact.name',
      'customerContact.title',
      'customerContact.email',
      'partnerContact.name',
      'partnerContact.email',
      'documents',
    ]);
  });

  it('accepts complete Microsoft 365 and Business Applications claims', () => {
    expect(completenessErrors(m365, ctx())).toEqual([]);
    expect(completenessErrors(bizapps, ctx())).toEqual([]);
  });

  it('R-SUB-1: needs at least one PoE document', () => {
    expect(paths(completenessErrors({ ...m365, documentCount: 0 }, ctx()))).toEqual(['documents']);
  });

  it('names each missing part of a partial contact', () => {
    const c = {
      ...m365,
      customerContact: { name: 'Chris', email: '' },
      partnerContact: { name: '', email: 'p@x.io' },
    };
    expect(paths(completenessErrors(c as ClaimState, ctx()))).toEqual([
      'customerContact.title',
      'customerContact.email',
      'partnerContact.name',
    ]);
  });
});

describe('R-FIELD-2: the technical contact with Dynamics 365', () => {
  it('is required when a Dynamics 365 product is claimed', () => {
    const c = { ...bizapps, technicalContact: null };
    const errors = completenessErrors(c, ctx());
    expect(paths(errors)).toEqual([
      'technicalContact.name',
      'technicalContact.title',
      'technicalContact.email',
    ]);
    expect(errors[0]?.message).toMatch(/Dynamics 365/);
  });

  it('is not required for Power Platform products or Microsoft 365 workloads', () => {
    const bi = {
      ...bizapps,
      technicalContact: null,
      products: [{ productId: 'power_bi', subscriptionId: 'sub-bi-1' }],
    };
    expect(completenessErrors(bi, ctx())).toEqual([]);
    expect(completenessErrors({ ...m365, technicalContact: null }, ctx())).toEqual([]);
  });

  it('is required when any one of several products is Dynamics 365', () => {
    const mixed = {
      ...bizapps,
      technicalContact: { name: 'Tess', email: 'tess@contoso.example' },
      products: [
        { productId: 'power_bi', subscriptionId: 'sub-bi-1' },
        { productId: 'd365_sales', subscriptionId: 'sub-sales-2' },
      ],
    };
    expect(paths(completenessErrors(mixed as ClaimState, ctx()))).toEqual(['technicalContact.title']);
  });
});

describe('R-FIELD-3: Business Applications claim one subscription', () => {
  it('is required when the tenant has more than one subscription of the product', () => {
    const c = { ...bizapps, products: [{ productId: 'd365_sales', subscriptionId: null }] };
    expect(paths(completenessErrors(c, ctx()))).toEqual(['products.0.subscriptionId']);
  });

  it('is required when the same product is claimed twice', () => {
    const c = {
      ...bizapps,
      products: [
        { productId: 'power_bi', subscriptionId: null },
        { productId: 'power_bi', subscriptionId: 'sub-bi-1' },
      ],
    };
    expect(paths(completenessErrors(c, ctx()))).toEqual(['products.0.subscriptionId']);
  });

  it('fills in the single subscription the directory knows; a tenant it does not know needs it named', () => {
    const one = { ...bizapps, products: [{ productId: 'power_bi', subscriptionId: null }] };
    expect(paths(completenessErrors(one, ctx()))).toEqual(['products.0.subscriptionId']);
    const filled = fillSubscriptions(one, ctx());
    expect(filled.products).toEqual([{ productId: 'power_bi', subscriptionId: 'sub-bi-1' }]);
    expect(completenessErrors(filled, ctx())).toEqual([]);
    const unknown = { ...bizapps, products: [{ productId: 'd365_sales', subscriptionId: null }] };
    expect(fillSubscriptions(unknown, ctx({ tenant: null }))).toBe(unknown);
    const errors = completenessErrors(unknown, ctx({ tenant: null }));
    expect(errors).toEqual([
      {
        path: 'products.0.subscriptionId',
        message: "is required: name the customer's subscription of this product",
        code: 'required',
      },
    ]);
    // Workloads never take one.
    expect(fillSubscriptions(m365, ctx())).toBe(m365);
  });

  it('resolves the single subscription of a product, and nothing when there are several', () => {
    const c = {
      ...bizapps,
      products: [
        { productId: 'power_bi', subscriptionId: null },
        { productId: 'd365_sales', subscriptionId: null },
        { productId: 'd365_sales', subscriptionId: 'sub-sales-2' },
      ],
    };
    expect(resolveSubscription(c, 0, ctx())).toBe('sub-bi-1');
    expect(resolveSubscription(c, 1, ctx())).toBeNull();
    expect(resolveSubscription(c, 2, ctx())).toBe('sub-sales-2');
    expect(resolveSubscription(c, 9, ctx())).toBeNull();
    expect(resolveSubscription(c, 0, ctx({ tenant: null }))).toBeNull();
  });
});

describe('R-FIELD-4: revenue association names three more parties', () => {
  const revenue = { ...bizapps, activity: 'revenue_association' as const };
  it('names each missing one', () => {
    expect(paths(completenessErrors(revenue, ctx()))).toEqual([
      'revenue.solutionSellerName',
      'revenue.customerName',
      'revenue.isvSolutionName',
    ]);
    const partial = {
      ...revenue,
      revenue: { solutionSellerName: 'Seller', customerName: '', isvSolutionName: 'App' },
    };
    expect(paths(completenessErrors(partial, ctx()))).toEqual(['revenue.customerName']);
  });

  it('accepts the three names', () => {
    const full = {
      ...revenue,
      revenue: { solutionSellerName: 'Seller', customerName: 'Contoso', isvSolutionName: 'App' },
    };
    expect(completenessErrors(full, ctx())).toEqual([]);
  });

  it('refuses revenue names on another activity, and revenue association for Microsoft 365', () => {
    const names = { solutionSellerName: 'S', customerName: 'C', isvSolutionName: 'I' };
    expect(paths(consistencyErrors({ ...bizapps, revenue: names }, ctx()))).toEqual(['revenue']);
    expect(paths(consistencyErrors({ ...m365, activity: 'revenue_association' }, ctx()))).toEqual([
      'activity',
    ]);
    expect(paths(consistencyErrors({ ...m365, activity: 'pre_sales_and_usage' }, ctx()))).toEqual([
      'activity',
    ]);
  });
});

describe('consistency: what is present must be valid, drafts included', () => {
  it('accepts an empty draft', () => {
    expect(consistencyErrors(empty, ctx())).toEqual([]);
  });

  it('refuses an MPN ID of another organization', () => {
    expect(paths(consistencyErrors({ ...m365, mpnId: '2345678' }, ctx()))).toEqual(['mpnId']);
    expect(consistencyErrors({ ...m365, mpnId: '1234568' }, ctx())).toEqual([]);
  });

  it('refuses a domain that is not the known tenant’s, and accepts any domain of an unknown tenant', () => {
    expect(paths(consistencyErrors({ ...m365, domain: 'fabrikam.com' }, ctx()))).toEqual(['customer.domain']);
    expect(consistencyErrors({ ...m365, domain: 'contoso.com' }, ctx())).toEqual([]);
    expect(consistencyErrors({ ...m365, domain: 'fabrikam.com' }, ctx({ tenant: null }))).toEqual([]);
  });

  it('refuses products that are unknown, retired, of the other solution area, or claimed twice', () => {
    const c = {
      ...m365,
      products: [
        { productId: 'nope', subscriptionId: null },
        { productId: 'retired', subscriptionId: null },
        { productId: 'd365_sales', subscriptionId: null },
        { productId: 'teams', subscriptionId: null },
        { productId: 'teams', subscriptionId: null },
      ],
    };
    expect(paths(consistencyErrors(c, ctx()))).toEqual([
      'products.0.productId',
      'products.1.productId',
      'products.2.productId',
      'products.4',
    ]);
  });

  it('refuses subscription IDs on workloads, of another tenant or of another product', () => {
    const onWorkload = { ...m365, products: [{ productId: 'teams', subscriptionId: 'sub-bi-1' }] };
    expect(consistencyErrors(onWorkload, ctx({ tenant: null }))).toEqual([
      {
        path: 'products.0.subscriptionId',
        message: 'only subscription products (Business Applications) take a subscription ID',
        code: 'not_a_subscription_product',
      },
    ]);
    const notTheirs = { ...bizapps, products: [{ productId: 'd365_sales', subscriptionId: 'sub-x' }] };
    expect(consistencyErrors(notTheirs, ctx())[0]?.message).toBe('is not a subscription of this tenant');
    const otherProduct = { ...bizapps, products: [{ productId: 'd365_sales', subscriptionId: 'sub-bi-1' }] };
    expect(consistencyErrors(otherProduct, ctx())[0]?.message).toBe('is a subscription of another product');
    // Unknown tenant: the subscription cannot be checked, and is taken as given.
    expect(consistencyErrors(notTheirs, ctx({ tenant: null }))).toEqual([]);
  });

  it('is part of what submit checks', () => {
    expect(paths(completenessErrors({ ...m365, mpnId: '2345678' }, ctx()))).toEqual(['mpnId']);
  });
});

describe('R-EDIT-1/2 with R-SUB-1: what an edit must leave true', () => {
  it('lets a draft be incomplete, but never inconsistent', () => {
    expect(editErrors({ ...m365, products: [], documentCount: 0 }, ctx())).toEqual([]);
    expect(paths(editErrors({ ...empty, mpnId: '2345678' }, ctx()))).toEqual(['mpnId']);
  });

  it.each(['submitted', 'partner_action_required'] as const)('keeps a claim in %s complete', (status) => {
    expect(editErrors({ ...m365, status }, ctx())).toEqual([]);
    expect(paths(editErrors({ ...m365, status, products: [] }, ctx()))).toEqual(['products']);
    expect(paths(editErrors({ ...m365, status, customerContact: null }, ctx()))).toEqual([
      'customerContact.name',
      'customerContact.title',
      'customerContact.email',
    ]);
    const d365 = { ...bizapps, status, technicalContact: null };
    expect(paths(editErrors(d365, ctx()))).toEqual([
      'technicalContact.name',
      'technicalContact.title',
      'technicalContact.email',
    ]);
  });
});

describe('R-CONS-3: the consent mail reaches the customer', () => {
  const at = (email: string) => ({ ...m365, customerContact: { ...contact, email } });
  it("a known tenant's domains and their subdomains, without case; nothing that only ends alike", () => {
    expect(customerContactCheck(at('a@contoso.com'), tenant)).toBe('at_tenant_domain');
    expect(customerContactCheck(at('a@Mail.CONTOSO.com'), tenant)).toBe('at_tenant_domain');
    expect(customerContactCheck(at('a@contoso.onmicrosoft.com'), tenant)).toBe('at_tenant_domain');
    for (const email of [
      'a@notcontoso.com',
      'a@contoso.com.evil.example',
      'a@contoso.co',
      'contoso.com@evil.example',
    ])
      expect(customerContactCheck(at(email), tenant), email).toBe('outside_tenant_domains');
    expect(customerContactCheck(at('a@anything.example'), null)).toBe('reviewer_required');
    expect(customerContactCheck(at('a@anything.example'), { domains: [] })).toBe('reviewer_required');
    expect(customerContactCheck({ customerContact: null }, tenant)).toBeNull();
  });
  it('drafts and edits name customerContact.email when it is outside a known tenant', () => {
    expect(paths(consistencyErrors(at('a@evil.example'), ctx()))).toEqual(['customerContact.email']);
    expect(paths(consistencyErrors(at('a@evil.example'), ctx({ tenant: null })))).toEqual([]);
  });
  it("approval: outside is refused even ticked; an unknown tenant needs the reviewer's tick", () => {
    const yes = { customer_contact_verified: true };
    expect(paths(approvalContactErrors(at('a@evil.example'), tenant, yes))).toEqual([
      'customerContact.email',
    ]);
    expect(approvalContactErrors(at('a@contoso.com'), tenant, undefined)).toEqual([]);
    expect(paths(approvalContactErrors(at('a@x.example'), null, undefined))).toEqual([
      'checklist.customer_contact_verified',
    ]);
    expect(
      paths(approvalContactErrors(at('a@x.example'), null, { customer_contact_verified: false })),
    ).toEqual(['checklist.customer_contact_verified']);
    expect(approvalContactErrors(at('a@x.example'), null, yes)).toEqual([]);
  });
});

describe('R-SCOPE-1: programs', () => {
  it.each(['csp', 'managed_reseller', 'hosting', 'surface_coop'])('refuses %s as out of scope', (program) => {
    const err = (() => {
      try {
        checkProgram({ program, solutionArea: 'microsoft_365' });
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(err?.code).toBe('out_of_scope');
    expect(err?.errors).toEqual([
      { path: 'program', message: 'is not a CPOR program', code: 'not_cpor_program' },
    ]);
  });
  it('accepts the CPOR programs with their solution area, and refuses a mismatch', () => {
    expect(() => checkProgram({ program: 'osu_microsoft_365', solutionArea: 'microsoft_365' })).not.toThrow();
    expect(() => checkProgram({ program: 'osa_sell', solutionArea: 'business_applications' })).not.toThrow();
    expect(() =>
      checkProgram({ program: 'osu_business_applications', solutionArea: 'microsoft_365' }),
    ).toThrow(/disagree/);
    expect(() => checkProgram({})).not.toThrow();
  });
});
