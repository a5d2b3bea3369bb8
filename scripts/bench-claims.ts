// The body of a new claim for the benches (scripts/bench.ts, scripts/profile-route.ts).
import { randomUUID } from 'node:crypto';

export function claimBody(n: number) {
  return {
    name: `Bench claim ${n}`,
    mpnId: '1234567',
    customer: { domain: `bench${n}.onmicrosoft.com`, tenantId: randomUUID() },
    solutionArea: 'microsoft_365',
    activity: 'usage',
    products: [{ productId: 'exchange_online' }],
    customerContact: { name: 'Chris Customer', title: 'CIO', email: `chris@bench${n}.example` },
    partnerContact: { name: 'Paula Partner', email: 'paula@contoso-partners.example' },
  };
}
