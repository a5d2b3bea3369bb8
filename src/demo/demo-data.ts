// CPOR_DEMO=1: two partner organizations, a reviewer, known tenants and claims in every
// status, made through the same use cases a person would use.
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deps } from '../deps.js';
import { withCaller } from '../db/transaction.js';
import type { Actor, Role } from '../domain/actor.js';
import { systemActor } from '../domain/actor.js';
import type { Action, Payload } from '../domain/claim-transitions.js';
import type { ClaimInput } from '../claims/commands/claim-input.js';
import { createClaim } from '../claims/commands/create-claim.js';
import { runClaimAction } from '../claims/commands/run-claim-action.js';
import { addDocument } from '../documents/documents-commands.js';
import { createOrganization, createUser } from '../people/people-commands.js';
import { anyOrganization, userByEmail } from '../people/people-repository.js';
import { putTenant } from '../tenants/tenants-commands.js';

export const demoPassword = 'demo-password-1';
export const demoTenants = {
  contoso: '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  adatum: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  litware: '11111111-2222-4333-8444-555555555555',
};

const asActor = (u: { id: string; name: string; roles: string[]; organizationId: string | null }): Actor => ({
  kind: 'user',
  id: u.id,
  name: u.name,
  roles: u.roles as Role[],
  organizationId: u.organizationId,
});

/** Loads the demo into a database with no organization yet; false (nothing done) otherwise. */
export async function loadDemo(deps: Deps, log: (m: string) => void): Promise<boolean> {
  if (await withCaller(deps.db, systemActor, (q) => anyOrganization(q))) return false;
  const admin = systemAdmin();
  const contoso = await createOrganization(deps, admin, {
    name: 'Contoso Partners',
    language: 'en',
    locations: [
      { mpnId: '1234567', name: 'Contoso Partners Seattle', country: 'US' },
      { mpnId: '1234568', name: 'Contoso Partners São Paulo', country: 'BR' },
    ],
  });
  const fabrikam = await createOrganization(deps, admin, {
    name: 'Fabrikam Solutions',
    language: 'es-ES',
    locations: [{ mpnId: '2345678', name: 'Fabrikam Madrid', country: 'ES' }],
  });
  const user = (
    email: string,
    name: string,
    roles: Role[],
    organizationId: string | null,
    language: string | null = null,
  ) => createUser(deps, null, { email, name, password: demoPassword, roles, organizationId, language });
  if (!(await withCaller(deps.db, systemActor, (q) => userByEmail(q, 'admin@cpor.example')))) {
    await user('admin@cpor.example', 'Ada Admin', ['platform_admin'], null);
  }
  const reviewer = asActor(await user('reviewer@cpor.example', 'Rui Reviewer', ['reviewer'], null));
  const partner1 = asActor(
    await user('partner1@contoso-partners.example', 'Paula Partner', ['global_admin'], contoso.id),
  );
  await user('reader@contoso-partners.example', 'Rita Reader', ['reader'], contoso.id);
  const partner2 = asActor(
    await user('partner2@fabrikam.example', 'Fernando Fabrikam', ['incentives_admin'], fabrikam.id, 'es-ES'),
  );

  for (const [tenantId, domains, subs] of [
    [
      demoTenants.contoso,
      ['contoso.onmicrosoft.com', 'contoso.com'],
      [
        ['sub-contoso-sales-1', 'd365_sales'],
        ['sub-contoso-sales-2', 'd365_sales'],
        ['sub-contoso-powerbi', 'power_bi'],
      ],
    ],
    [demoTenants.adatum, ['adatum.onmicrosoft.com'], [['sub-adatum-bc', 'd365_business_central']]],
    [demoTenants.litware, ['litware.onmicrosoft.com'], []],
  ] as const) {
    await putTenant(deps, admin, tenantId, {
      domains: [...domains],
      subscriptions: subs.map(([id, productId]) => ({ id, productId })),
    });
  }

  const dir = await mkdtemp(join(tmpdir(), 'cpor-demo-'));
  let n = 0;
  const claim = async (actor: Actor, input: ClaimInput, steps: [Actor, Action, Payload?][]) => {
    const c = await createClaim(deps, actor, input);
    const text = `Statement of work #${++n}\nCustomer: ${input.customer?.domain}\nSigned by the customer.\n`;
    const path = join(dir, `poe-${n}.txt`);
    await writeFile(path, text);
    await addDocument(deps, actor, c.id, {
      path,
      fileName: `statement-of-work-${n}.txt`,
      contentType: 'text/plain',
      size: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
    });
    for (const [who, action, payload] of steps)
      await runClaimAction(deps, { actor: who, claimId: c.id, action, payload });
    return c;
  };
  const contacts = (domain: string) => ({
    customerContact: { name: 'Chris Customer', title: 'CIO', email: `chris@${domain}` },
    partnerContact: { name: 'Paula Partner', email: 'partner1@contoso-partners.example' },
  });
  const m365 = (
    name: string,
    productIds: string[],
    tenantId = demoTenants.contoso,
    domain = 'contoso.onmicrosoft.com',
  ): ClaimInput => ({
    name,
    mpnId: '1234567',
    customer: { domain, tenantId },
    solutionArea: 'microsoft_365',
    activity: 'usage',
    products: productIds.map((productId) => ({ productId })),
    ...contacts(domain),
  });
  const submit: [Actor, Action] = [partner1, 'submit'];
  const review: [Actor, Action] = [reviewer, 'start_review'];

  await createClaim(deps, partner1, {
    name: 'Litware Teams adoption (draft)',
    mpnId: '1234567',
    customer: { domain: 'litware.onmicrosoft.com', tenantId: demoTenants.litware },
    solutionArea: 'microsoft_365',
    activity: 'pre_sales',
    products: [{ productId: 'teams' }],
  });
  await claim(partner1, m365('Contoso mail migration', ['exchange_online']), [submit]);
  await claim(
    partner1,
    {
      ...m365(
        'Adatum Business Central rollout',
        ['d365_business_central'],
        demoTenants.adatum,
        'adatum.onmicrosoft.com',
      ),
      solutionArea: 'business_applications',
      activity: 'pre_sales_and_usage',
      technicalContact: { name: 'Terry Tech', title: 'IT lead', email: 'terry@adatum.onmicrosoft.com' },
    },
    [submit, review],
  );
  await claim(partner1, m365('Contoso Intune deployment', ['intune']), [
    submit,
    review,
    [
      reviewer,
      'request_information',
      {
        reasons: ['customer_signature_missing', 'dates_missing_or_old'],
        comment: 'Please upload the SOW signed by the customer, with dates.',
      },
    ],
  ]);
  await claim(partner1, m365('Contoso SharePoint intranet', ['sharepoint_online', 'onedrive']), [
    submit,
    review,
    [reviewer, 'approve', { comment: 'PoE signed and dated.' }],
  ]);
  await claim(partner1, m365('Contoso Defender pilot', ['defender_for_endpoint']), [
    submit,
    review,
    [reviewer, 'reject', { reason: 'insufficient_poe', comment: 'The PoE does not mention Defender.' }],
  ]);
  await claim(partner1, m365('Contoso Purview labels', ['purview_information_protection']), [
    submit,
    review,
    [reviewer, 'reject', { reason: 'missing_products', comment: 'Purview is not in the PoE.' }],
    [
      partner1,
      'dispute',
      { justification: 'Page 2 of the SOW covers Purview labels; updated PoE attached.' },
    ],
  ]);
  await claim(
    partner2,
    {
      ...m365('Fabrikam Teams voice for Contoso', ['teams', 'sharepoint_online']),
      mpnId: '2345678',
      partnerContact: { name: 'Fernando Fabrikam', email: 'partner2@fabrikam.example' },
    },
    [[partner2, 'submit'], review],
  );
  await rm(dir, { recursive: true, force: true });
  log(
    `Demo data loaded. Sign in with any of admin@cpor.example, reviewer@cpor.example, partner1@contoso-partners.example, reader@contoso-partners.example, partner2@fabrikam.example; password "${demoPassword}".`,
  );
  return true;
}

function systemAdmin(): Actor {
  return { ...systemActor, kind: 'user', roles: ['platform_admin'] };
}
