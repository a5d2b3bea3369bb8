// The public API from an e2e story's setup (Bearer tokens): short setups, so that the
// browser walks only what the story is about.
import { pdf } from './kit.js';

export type Json = Record<string, unknown>;

export function apiAt(base: string) {
  const call = async (token: string, method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body instanceof FormData ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Json;
  };

  const tokenOf = async (email: string, password: string): Promise<string> => {
    const r = await fetch(`${base}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!r.ok) throw new Error(`token for ${email}: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { token: string }).token;
  };

  /** A partner's Microsoft 365 claim: created, PoE uploaded, submitted; its id. */
  const submittedClaim = async (
    token: string,
    c: {
      name: string;
      mpnId: string;
      domain: string;
      tenantId: string;
      productIds: string[];
      partner: { name: string; email: string };
      customerEmail: string;
      /** The customer contact's language: its mails' (R-CONS-1's mail too). */
      customerLanguage?: string;
    },
  ): Promise<string> => {
    const created = await call(token, 'POST', '/claims', {
      name: c.name,
      mpnId: c.mpnId,
      customer: { domain: c.domain, tenantId: c.tenantId },
      solutionArea: 'microsoft_365',
      activity: 'usage',
      products: c.productIds.map((productId) => ({ productId })),
      customerContact: {
        name: 'Lia Customer',
        title: 'CTO',
        email: c.customerEmail,
        ...(c.customerLanguage ? { language: c.customerLanguage } : {}),
      },
      partnerContact: c.partner,
    });
    const id = String(created.id);
    const form = new FormData();
    const bytes = Buffer.from(
      await pdf([`Statement of work: ${c.name}`, 'Signed: Lia Customer, CTO']),
      'base64',
    );
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'sow.pdf');
    await call(token, 'POST', `/claims/${id}/documents`, form);
    await call(token, 'POST', `/claims/${id}/submit`, {});
    return id;
  };

  /** Partner organizations (one location each, a global admin each) and a reviewer. */
  const people = async (
    admin: string,
    partners: { org: string; mpn: string; email: string; name: string }[],
    reviewer: { email: string; name: string },
    password: string,
  ) => {
    for (const p of partners) {
      const org = await call(admin, 'POST', '/organizations', {
        name: p.org,
        locations: [{ mpnId: p.mpn, name: `${p.org} HQ`, country: 'US' }],
      });
      await call(admin, 'POST', '/users', {
        email: p.email,
        name: p.name,
        password,
        organizationId: org.id,
        roles: ['global_admin'],
      });
    }
    await call(admin, 'POST', '/users', { ...reviewer, password, roles: ['reviewer'] });
  };

  return { call, tokenOf, submittedClaim, people };
}
