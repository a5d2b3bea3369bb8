// The claim form's state, its conversion to the API's body, and client-side checks that
// mirror the rules (R-FIELD-1..4) so most mistakes show at the field before a round trip.
import type { Catalog, CatalogProduct, Claim } from '../../../api.js';

/** The wizard's steps, in order, addressed by name (also in the URL: /claims/:id/edit/:step). */
export const STEPS = ['location', 'area', 'details', 'products', 'contacts', 'poe', 'review'] as const;
export type StepName = (typeof STEPS)[number];

export function isStep(x: string | undefined): x is StepName {
  return (STEPS as readonly string[]).includes(x ?? '');
}

export interface ContactForm {
  name: string;
  title: string;
  email: string;
}
/** The customer contact also says in which language the consent mail reaches it. */
export interface CustomerContactForm extends ContactForm {
  language: string;
}
export interface ClaimForm {
  mpnId: string;
  domain: string;
  tenantId: string;
  solutionArea: string;
  activity: string;
  name: string;
  revenue: { solutionSellerName: string; customerName: string; isvSolutionName: string };
  /** Selected products, in the order they were picked, with a subscription ID each. */
  products: { productId: string; subscriptionId: string }[];
  customerContact: CustomerContactForm;
  technicalContact: ContactForm;
  partnerContact: { name: string; email: string };
}

const emptyContact = (): ContactForm => ({ name: '', title: '', email: '' });

/** A new claim: the only location chosen, the signed-in user as the partner contact. */
export function emptyForm(mpnId = '', partnerContact = { name: '', email: '' }): ClaimForm {
  return {
    mpnId,
    domain: '',
    tenantId: '',
    solutionArea: '',
    activity: '',
    name: '',
    revenue: { solutionSellerName: '', customerName: '', isvSolutionName: '' },
    products: [],
    customerContact: { ...emptyContact(), language: '' },
    technicalContact: emptyContact(),
    partnerContact: { ...partnerContact },
  };
}

export function formFromClaim(c: Claim): ClaimForm {
  return {
    mpnId: c.mpnId ?? '',
    domain: c.customer?.domain ?? '',
    tenantId: c.customer?.tenantId ?? '',
    solutionArea: c.solutionArea ?? '',
    activity: c.activity ?? '',
    name: c.name ?? '',
    revenue: {
      solutionSellerName: c.revenue?.solutionSellerName ?? '',
      customerName: c.revenue?.customerName ?? '',
      isvSolutionName: c.revenue?.isvSolutionName ?? '',
    },
    products: c.products.map((p) => ({ productId: p.productId, subscriptionId: p.subscriptionId ?? '' })),
    customerContact: { ...emptyContact(), language: '', ...(c.customerContact ?? {}) },
    technicalContact: { ...emptyContact(), ...(c.technicalContact ?? {}) },
    partnerContact: { name: c.partnerContact?.name ?? '', email: c.partnerContact?.email ?? '' },
  };
}

const filled = (o: object) => Object.values(o).some((v) => typeof v === 'string' && v.trim() !== '');
/** Trimmed, and without the optional fields left empty (a language not chosen). */
const trimAll = <T extends object>(o: T): T =>
  Object.fromEntries(
    Object.entries(o)
      .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])
      .filter(([k, v]) => !(k === 'language' && v === '')),
  ) as T;

export function needsTechnicalContact(f: ClaimForm, catalog: Catalog | undefined): boolean {
  return f.products.some((p) => productOf(catalog, p.productId)?.dynamics365);
}

/** R-FIELD-3: a subscription ID is asked for subscription-scoped and Dynamics 365 products. */
export function needsSubscription(p: CatalogProduct | undefined): boolean {
  return !!p && (p.scope === 'subscription' || p.dynamics365);
}

export function productOf(catalog: Catalog | undefined, id: string): CatalogProduct | undefined {
  return catalog?.products.find((p) => p.id === id);
}

/** The body for POST/PATCH: only what is filled in (a draft may be incomplete). */
export function toBody(
  f: ClaimForm,
  catalog: Catalog | undefined,
  /** Only these fields (the claim's abilities.editableFields); unset: every field filled in. */
  editable?: readonly string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (f.mpnId) body.mpnId = f.mpnId;
  if (f.name.trim()) body.name = f.name.trim();
  if (f.domain.trim() || f.tenantId.trim())
    body.customer = { domain: f.domain.trim(), tenantId: f.tenantId.trim().toLowerCase() };
  if (f.solutionArea) body.solutionArea = f.solutionArea;
  if (f.activity) body.activity = f.activity;
  if (f.activity === 'revenue_association' && filled(f.revenue)) body.revenue = trimAll(f.revenue);
  body.products = f.products.map((p) =>
    p.subscriptionId.trim()
      ? { productId: p.productId, subscriptionId: p.subscriptionId.trim() }
      : { productId: p.productId },
  );
  if (filled(f.customerContact)) body.customerContact = trimAll(f.customerContact);
  if (needsTechnicalContact(f, catalog) && filled(f.technicalContact))
    body.technicalContact = trimAll(f.technicalContact);
  if (filled(f.partnerContact)) body.partnerContact = trimAll(f.partnerContact);
  if (editable) for (const k of Object.keys(body)) if (!editable.includes(k)) delete body[k];
  return body;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (v: string) => GUID.test(v.trim());
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Client-side checks of one wizard step; keys are the API's body paths, values i18n keys. */
export function checkStep(
  step: StepName,
  f: ClaimForm,
  catalog: Catalog | undefined,
): Record<string, string> {
  const e: Record<string, string> = {};
  const req = (path: string, v: string) => {
    if (!v.trim()) e[path] = 'validation.required';
  };
  const email = (path: string, v: string) => {
    if (!v.trim()) e[path] = 'validation.required';
    else if (!EMAIL.test(v.trim())) e[path] = 'validation.email';
  };
  switch (step) {
    case 'location':
      req('mpnId', f.mpnId);
      if (!f.domain.trim()) e['customer.domain'] = 'validation.required';
      else if (!DOMAIN.test(f.domain.trim())) e['customer.domain'] = 'validation.domain';
      if (!f.tenantId.trim()) e['customer.tenantId'] = 'validation.required';
      else if (!GUID.test(f.tenantId.trim())) e['customer.tenantId'] = 'validation.guid';
      break;
    case 'area':
      req('solutionArea', f.solutionArea);
      req('activity', f.activity);
      break;
    case 'details':
      req('name', f.name);
      if (f.activity === 'revenue_association') {
        req('revenue.solutionSellerName', f.revenue.solutionSellerName);
        req('revenue.customerName', f.revenue.customerName);
        req('revenue.isvSolutionName', f.revenue.isvSolutionName);
      }
      break;
    case 'products':
      if (f.products.length === 0) e.products = 'validation.products';
      // R-FIELD-3: whether the directory can fill a subscription in is the server's to say
      // (R-ROLE-3: partners do not read it; the wizard asks GET .../check); here the format.
      f.products.forEach((p, i) => {
        if (p.subscriptionId.trim() && !GUID.test(p.subscriptionId.trim()))
          e[`products.${i}.subscriptionId`] = 'validation.guid';
      });
      break;
    case 'contacts':
      req('customerContact.name', f.customerContact.name);
      req('customerContact.title', f.customerContact.title);
      email('customerContact.email', f.customerContact.email);
      if (needsTechnicalContact(f, catalog)) {
        req('technicalContact.name', f.technicalContact.name);
        req('technicalContact.title', f.technicalContact.title);
        email('technicalContact.email', f.technicalContact.email);
      }
      req('partnerContact.name', f.partnerContact.name);
      email('partnerContact.email', f.partnerContact.email);
      break;
    case 'poe':
    case 'review':
      // Documents are checked by the wizard (it holds them); a comment is optional.
      break;
  }
  return e;
}

/** Which wizard step shows the field of a body path (to jump to the first error). */
export function stepOfPath(path: string): StepName {
  if (path === 'mpnId' || path.startsWith('customer.')) return 'location';
  if (path === 'solutionArea' || path === 'activity') return 'area';
  if (path === 'name' || path.startsWith('revenue')) return 'details';
  if (path.startsWith('products')) return 'products';
  if (/Contact/.test(path)) return 'contacts';
  if (path.startsWith('documents') || path.startsWith('poe')) return 'poe';
  return 'location';
}

/**
 * The steps whose fields are complete as far as the browser can tell (the step list's marks);
 * `poe` needs a document. The review step is never "done": it is where the claim is submitted.
 */
export function doneSteps(
  f: ClaimForm,
  catalog: Catalog | undefined,
  documents: number,
  saved: boolean,
): Set<StepName> {
  const done = new Set<StepName>();
  if (!saved) return done;
  for (const s of STEPS) {
    if (s === 'review') continue;
    if (s === 'poe' ? documents > 0 : Object.keys(checkStep(s, f, catalog)).length === 0) done.add(s);
  }
  return done;
}

/** Where a draft opened without a step resumes: its first step not done, else the review. */
export function resumeStep(done: Set<StepName>): StepName {
  return STEPS.find((s) => s !== 'review' && !done.has(s)) ?? 'review';
}

/** The first of `steps` that holds one of the field errors (to jump to it). */
export function firstStepOf(paths: string[]): StepName {
  const steps = new Set(paths.map(stepOfPath));
  return STEPS.find((s) => steps.has(s)) ?? 'location';
}
