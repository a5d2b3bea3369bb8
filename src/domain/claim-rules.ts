// Field rules of a claim: R-FIELD-1..4 (what a complete claim holds), R-SUB-1 (submit needs
// it all plus PoE), and the consistency checks that apply to drafts too (catalog, tenant
// directory, partner locations). Pure functions returning field errors by API path.
import {
  activitiesBySolutionArea,
  otherPrograms,
  type CatalogProduct,
  type ClaimState,
  type KnownTenant,
} from './claim.js';
import { DomainError, type FieldError } from './errors.js';

export interface RuleContext {
  products: Map<string, CatalogProduct>;
  /** The customer tenant, when the directory knows it. */
  tenant: KnownTenant | null;
  /** MPN IDs of the claiming organization's partner locations. */
  organizationMpnIds: string[];
  /**
   * Issue 13 point 10: what the platform admin disabled. A disabled location cannot be chosen
   * any more; a disabled organization makes no claim (its locations all count as disabled).
   */
  disabled?: { organization: boolean; mpnIds: readonly string[] };
}

const required = 'is required';

/**
 * Issue 13 point 10 (R-FIELD-1, R-EDIT-2): a disabled partner location cannot be chosen, on a
 * new claim or as a claim's new MPN ID (`before`: the claim as it was). Claims that already
 * name it keep it.
 */
export function chosenLocationErrors(c: ClaimState, ctx: RuleContext, before?: ClaimState): FieldError[] {
  if (c.mpnId === null || before?.mpnId === c.mpnId) return [];
  return ctx.disabled?.mpnIds.includes(c.mpnId)
    ? [{ path: 'mpnId', message: 'is a disabled partner location', code: 'disabled' }]
    : [];
}

/** Checks that hold for every claim, draft or not: what is present must be valid. */
export function consistencyErrors(c: ClaimState, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  if (c.mpnId !== null && !ctx.organizationMpnIds.includes(c.mpnId)) {
    errors.push({
      path: 'mpnId',
      message: 'is not a partner location of your organization',
      code: 'not_your_location',
    });
  }
  if (c.solutionArea && c.activity && !activitiesBySolutionArea[c.solutionArea].includes(c.activity)) {
    errors.push({
      path: 'activity',
      message: `is not an activity of ${c.solutionArea}`,
      code: 'not_of_solution_area',
      params: { solutionArea: c.solutionArea },
    });
  }
  if (c.revenue && c.activity && c.activity !== 'revenue_association') {
    errors.push({
      path: 'revenue',
      message: 'is only for the revenue_association activity',
      code: 'not_for_activity',
      params: { activity: 'revenue_association' },
    });
  }
  if (ctx.tenant && c.domain && !ctx.tenant.domains.includes(c.domain)) {
    errors.push({
      path: 'customer.domain',
      message: 'is not a domain of this tenant',
      code: 'not_of_tenant',
    });
  }
  if (customerContactCheck(c, ctx.tenant) === 'outside_tenant_domains') {
    errors.push({ path: 'customerContact.email', message: outsideDomains, code: 'outside_tenant_domains' });
  }
  const seen = new Set<string>();
  c.products.forEach((p, i) => {
    const product = ctx.products.get(p.productId);
    if (!product || !product.active) {
      errors.push({
        path: `products.${i}.productId`,
        message: 'is not in the catalog',
        code: 'not_in_catalog',
      });
      return;
    }
    if (c.solutionArea && product.solutionArea !== c.solutionArea) {
      errors.push({
        path: `products.${i}.productId`,
        message: `is not a product of ${c.solutionArea}`,
        code: 'not_of_solution_area',
        params: { solutionArea: c.solutionArea },
      });
    }
    if (p.subscriptionId && product.scope !== 'subscription') {
      errors.push({
        path: `products.${i}.subscriptionId`,
        message: 'only subscription products (Business Applications) take a subscription ID',
        code: 'not_a_subscription_product',
      });
    }
    if (p.subscriptionId && ctx.tenant) {
      const sub = ctx.tenant.subscriptions.find((s) => s.id === p.subscriptionId);
      if (!sub)
        errors.push({
          path: `products.${i}.subscriptionId`,
          message: 'is not a subscription of this tenant',
          code: 'not_of_tenant',
        });
      else if (sub.productId !== p.productId) {
        errors.push({
          path: `products.${i}.subscriptionId`,
          message: 'is a subscription of another product',
          code: 'subscription_of_other_product',
        });
      }
    }
    const key = `${p.productId}/${p.subscriptionId ?? ''}`;
    if (seen.has(key)) errors.push({ path: `products.${i}`, message: 'is claimed twice', code: 'duplicate' });
    seen.add(key);
  });
  return errors;
}

/** R-FIELD-1..4 and R-SUB-1: everything submit needs, each missing field named. */
export function completenessErrors(c: ClaimState, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const need = (ok: unknown, path: string, message = required) => {
    // A list that needs one entry (products, documents) has too few; any other field is missing.
    const list = path === 'products' || path === 'documents';
    if (!ok)
      errors.push({ path, message, code: list ? 'too_few' : 'required', params: list ? { min: 1 } : {} });
  };
  need(c.name, 'name');
  need(c.mpnId, 'mpnId');
  need(c.domain, 'customer.domain');
  need(c.tenantId, 'customer.tenantId');
  need(c.solutionArea, 'solutionArea');
  need(c.activity, 'activity');
  need(c.products.length > 0, 'products', 'needs at least one product');
  need(c.customerContact?.name, 'customerContact.name');
  need(c.customerContact?.title, 'customerContact.title');
  need(c.customerContact?.email, 'customerContact.email');
  need(c.partnerContact?.name, 'partnerContact.name');
  need(c.partnerContact?.email, 'partnerContact.email');

  const claimed = c.products.map((p) => ({ p, product: ctx.products.get(p.productId) }));
  // R-FIELD-2: a Dynamics 365 product needs the customer's technical contact.
  if (claimed.some(({ product }) => product?.dynamics365)) {
    need(
      c.technicalContact?.name,
      'technicalContact.name',
      'is required when a Dynamics 365 product is claimed',
    );
    need(
      c.technicalContact?.title,
      'technicalContact.title',
      'is required when a Dynamics 365 product is claimed',
    );
    need(
      c.technicalContact?.email,
      'technicalContact.email',
      'is required when a Dynamics 365 product is claimed',
    );
  }
  // R-FIELD-3: a Business Applications product is claimed for one subscription. The one the
  // directory knows is filled in (fillSubscriptions, before this check); otherwise the
  // partner names it.
  claimed.forEach(({ p, product }, i) => {
    if (!product || product.scope !== 'subscription' || p.subscriptionId) return;
    const known = ctx.tenant?.subscriptions.filter((s) => s.productId === p.productId).length ?? 0;
    errors.push({
      path: `products.${i}.subscriptionId`,
      message: !ctx.tenant
        ? "is required: name the customer's subscription of this product"
        : known > 1
          ? 'is required: the customer has more than one subscription of this product'
          : 'is required: name the subscription of each line of this product',
      code: 'required',
    });
  });
  // R-FIELD-4: revenue association names three more parties.
  if (c.activity === 'revenue_association') {
    need(c.revenue?.solutionSellerName, 'revenue.solutionSellerName');
    need(c.revenue?.customerName, 'revenue.customerName');
    need(c.revenue?.isvSolutionName, 'revenue.isvSolutionName');
  }
  // R-SUB-1: at least one PoE document.
  need(c.documentCount > 0, 'documents', 'at least one proof of execution document is required');
  return [...errors, ...consistencyErrors(c, ctx)];
}

/**
 * What an edit must leave true (R-EDIT-1/2): a draft may be incomplete, but a submitted
 * claim stays as complete as submit required (R-SUB-1); an edit cannot empty its products
 * or contacts behind the reviewer's back.
 */
export function editErrors(c: ClaimState, ctx: RuleContext): FieldError[] {
  return c.status === 'draft' ? consistencyErrors(c, ctx) : completenessErrors(c, ctx);
}

const outsideDomains =
  'is not at a domain of this customer tenant: the consent mail must reach the customer (R-CONS-3)';

/**
 * R-CONS-3: whether the customer contact can be trusted to be the customer's.
 * `at_tenant_domain`: the directory knows the tenant's domains and the address is at one of
 * them (or a subdomain of one); `outside_tenant_domains`: it knows them and the address is
 * not; `reviewer_required`: the directory does not know the tenant's domains, so a reviewer
 * confirms the contact before approving; null: no address yet.
 */
export type CustomerContactCheck = 'at_tenant_domain' | 'outside_tenant_domains' | 'reviewer_required';

export function customerContactCheck(
  c: Pick<ClaimState, 'customerContact'>,
  tenant: Pick<KnownTenant, 'domains'> | null,
): CustomerContactCheck | null {
  const email = c.customerContact?.email;
  if (!email) return null;
  if (!tenant || tenant.domains.length === 0) return 'reviewer_required';
  const host = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const known = tenant.domains.some((d) => host === d.toLowerCase() || host.endsWith(`.${d.toLowerCase()}`));
  return known ? 'at_tenant_domain' : 'outside_tenant_domains';
}

/**
 * R-CONS-3 at approval: the address must be at one of the tenant's domains, or, when the
 * directory does not know them, the reviewer ticks `customer_contact_verified`.
 */
export function approvalContactErrors(
  c: ClaimState,
  tenant: KnownTenant | null,
  checklist: Record<string, boolean> | undefined,
): FieldError[] {
  const check = customerContactCheck(c, tenant);
  if (check === 'outside_tenant_domains') {
    return [
      {
        path: 'customerContact.email',
        message: `${outsideDomains}; ask the partner for the customer's contact (request information)`,
        code: 'outside_tenant_domains',
      },
    ];
  }
  if (check === 'reviewer_required' && checklist?.customer_contact_verified !== true) {
    return [
      {
        path: 'checklist.customer_contact_verified',
        code: 'must_confirm',
        message:
          "must be true: the directory does not know this tenant's domains, so a reviewer confirms that the customer contact belongs to the customer before the consent mail goes there",
      },
    ];
  }
  return [];
}

/**
 * R-FIELD-3: the subscription product i holds: the one named, else the tenant's single
 * subscription of the product when the directory knows exactly one and the claim has one line
 * of it; null otherwise (the partner must name it).
 */
export function resolveSubscription(c: ClaimState, i: number, ctx: RuleContext): string | null {
  const p = c.products[i];
  if (!p) return null;
  if (p.subscriptionId) return p.subscriptionId;
  const product = ctx.products.get(p.productId);
  if (product?.scope !== 'subscription') return null;
  if (c.products.filter((q) => q.productId === p.productId).length > 1) return null;
  const subs = ctx.tenant?.subscriptions.filter((s) => s.productId === p.productId) ?? [];
  return subs.length === 1 && subs[0] ? subs[0].id : null;
}

/** R-FIELD-3: the claim with each subscription the directory can tell filled in. */
export function fillSubscriptions(c: ClaimState, ctx: RuleContext): ClaimState {
  const products = c.products.map((p, i) => ({ ...p, subscriptionId: resolveSubscription(c, i, ctx) }));
  const changed = products.some((p, i) => p.subscriptionId !== c.products[i]?.subscriptionId);
  return changed ? { ...c, products } : c;
}

/** R-SCOPE-1: the programs that are not CPOR are refused by name. */
export function checkProgram(body: { program?: string | null; solutionArea?: string | null }) {
  if (body.program && (otherPrograms as readonly string[]).includes(body.program)) {
    throw new DomainError(
      'out_of_scope',
      `${body.program} claims are not CPOR claims: CPOR covers OSA-Sell, OSU-Microsoft 365 and OSU-Business Applications only.`,
      [{ path: 'program', message: 'is not a CPOR program', code: 'not_cpor_program' }],
    );
  }
  // OSA-Sell pays for Business Applications, like OSU-Business Applications (domain.md R-UNIQ-2).
  const area = {
    osa_sell: 'business_applications',
    osu_microsoft_365: 'microsoft_365',
    osu_business_applications: 'business_applications',
  }[body.program ?? ''];
  if (area && body.solutionArea && area !== body.solutionArea) {
    throw new DomainError('validation_failed', 'The program and the solution area disagree.', [
      {
        path: 'solutionArea',
        message: `must be ${area} for ${body.program}`,
        code: 'invalid_enum',
        params: { options: [area] },
      },
    ]);
  }
}
