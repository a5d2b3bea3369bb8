// Issue 8 point 4: every field problem of a 422 carries a stable code and its parameters
// beside the English message, so that a client shows it in the user's language.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldErrorCodes } from '../src/domain/errors.js';
import { client, dbTargets, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';

interface FieldProblem {
  path: string;
  message: string;
  code: string;
  params: Record<string, unknown>;
}

describe.each(dbTargets())('field problem codes on %s', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  const problems = async (res: { statusCode: number; json: <T>() => T }) => {
    expect(res.statusCode).toBe(422);
    const byPath: Record<string, Omit<FieldProblem, 'path' | 'message'>> = {};
    for (const e of res.json<{ errors: FieldProblem[] }>().errors) {
      expect(e.message, e.path).toBeTruthy();
      byPath[e.path] = { code: e.code, params: e.params };
    }
    return byPath;
  };

  it('maps the request schema problems to the stable codes, with their parameters', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const res = await partner.post(
      '/api/v1/claims',
      m365Claim({
        name: 'x'.repeat(201),
        solutionArea: 'azure',
        customerContact: { name: 'C', title: 'CIO', email: 'not-an-email' },
        products: 'exchange',
        surprise: true,
      }),
    );
    expect(await problems(res)).toMatchObject({
      name: { code: 'too_long', params: { max: 200 } },
      solutionArea: { code: 'invalid_enum', params: { options: ['microsoft_365', 'business_applications'] } },
      'customerContact.email': { code: 'invalid_format', params: { format: 'email' } },
      products: { code: 'invalid_type', params: { expected: 'array' } },
      surprise: { code: 'unknown_field', params: {} },
    });
    const reviewer = client(t.app, w.tokens.reviewer);
    const id = (await partner.post('/api/v1/claims', m365Claim())).json<{ id: string }>().id;
    expect(await problems(await reviewer.post(`/api/v1/claims/${id}/reject`, { comment: 'c' }))).toEqual({
      reason: { code: 'required', params: {} },
    });
    const few = await reviewer.post(`/api/v1/claims/${id}/request-information`, {
      reasons: [],
      comment: 'c',
    });
    expect(await problems(few)).toEqual({ reasons: { code: 'too_few', params: { min: 1 } } });
    // A union of enums (Role = PartnerRole | StaffRole) is one enum to the caller.
    const user = await client(t.app, w.tokens.admin).post('/api/v1/users', {
      email: 'new@a.example',
      name: 'New',
      password: 'a-long-password-1',
      roles: ['boss'],
      organizationId: w.orgA.id,
    });
    expect(await problems(user)).toEqual({
      'roles.0': {
        code: 'invalid_enum',
        params: {
          options: [
            'global_admin',
            'billing_admin',
            'incentives_admin',
            'reader',
            'reviewer',
            'platform_admin',
          ],
        },
      },
    });
  });

  it('gives each rule of the domain its own code, with the values it names', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const res = await partner.post('/api/v1/claims', m365Claim({ mpnId: '9999999' }));
    expect(await problems(res)).toEqual({ mpnId: { code: 'not_your_location', params: {} } });
    const wrong = await partner.post(
      '/api/v1/claims',
      m365Claim({
        activity: 'pre_sales',
        revenue: { customerName: 'Contoso' },
        products: [
          { productId: 'exchange_online' },
          { productId: 'exchange_online' },
          { productId: 'nothing' },
        ],
      }),
    );
    const wrongCodes = await problems(wrong);
    expect(wrongCodes['products.2.productId']).toEqual({ code: 'not_in_catalog', params: {} });
    expect(wrongCodes['products.1']).toEqual({ code: 'duplicate', params: {} });
    expect(wrongCodes.revenue).toEqual({
      code: 'not_for_activity',
      params: { activity: 'revenue_association' },
    });
    const admin = client(t.app, w.tokens.admin);
    const staffInOrg = await admin.post('/api/v1/users', {
      email: 'mixed@a.example',
      name: 'Mixed',
      password: 'a-long-password-1',
      roles: ['reviewer'],
      organizationId: w.orgA.id,
    });
    expect(await problems(staffInOrg)).toEqual({ organizationId: { code: 'must_be_empty', params: {} } });
    const draft = (await partner.post('/api/v1/claims', { name: 'Empty' })).json<{ id: string }>().id;
    const submit = await partner.post(`/api/v1/claims/${draft}/submit`, {});
    const codes = await problems(submit);
    expect(codes.mpnId).toEqual({ code: 'required', params: {} });
    expect(codes.products).toEqual({ code: 'too_few', params: { min: 1 } });
  });
});

describe('field problem codes in the web UI', () => {
  it('has words for every code in each of the five languages', async () => {
    for (const lang of ['en', 'es-ES', 'pt-BR', 'zh-CN', 'zh-TW']) {
      const words = JSON.parse(await readFile(`web/src/i18n/${lang}.json`, 'utf8')) as {
        fieldError: Record<string, string>;
      };
      expect(Object.keys(words.fieldError).sort(), lang).toEqual([...fieldErrorCodes].sort());
    }
  });
});
