// R-UNIQ-2 collisions and R-UNIQ-6 (a partner never claims what it holds), without a database.
import { describe, expect, it } from 'vitest';
import { alreadyHeldErrors, collides, heldByClaimant, type HeldAssociation } from './association-rules.js';

const claim = {
  id: 'claim-2',
  organizationId: 'org-a',
  products: [
    { productId: 'exchange_online', subscriptionId: null },
    { productId: 'd365_sales', subscriptionId: 'sub-1' },
  ],
};
const held = (over: Partial<HeldAssociation>): HeldAssociation => ({
  claimId: 'claim-1',
  organizationId: 'org-a',
  productId: 'exchange_online',
  subscriptionId: null,
  legacy: false,
  ...over,
});
const subscriptionOf = (i: number) => claim.products[i]?.subscriptionId ?? null;

describe('R-UNIQ-2: which association collides with a claimed product', () => {
  it('the same workload; the same subscription; a whole product against any of its subscriptions', () => {
    expect(collides(held({}), 'exchange_online', null)).toBe(true);
    expect(collides(held({}), 'teams', null)).toBe(false);
    const sub = held({ productId: 'd365_sales', subscriptionId: 'sub-1' });
    expect(collides(sub, 'd365_sales', 'sub-1')).toBe(true);
    expect(collides(sub, 'd365_sales', 'sub-2')).toBe(false);
    expect(collides(sub, 'd365_sales', null)).toBe(true);
    expect(collides(held({ productId: 'd365_sales' }), 'd365_sales', 'sub-2')).toBe(true);
  });
});

describe('R-UNIQ-6: a partner never claims what it holds', () => {
  it('names each claimed product the organization holds, pending consent or final', () => {
    const errors = alreadyHeldErrors(
      claim,
      [held({}), held({ productId: 'd365_sales', subscriptionId: 'sub-1', claimId: 'claim-9' })],
      subscriptionOf,
    );
    expect(errors.map((e) => e.path)).toEqual(['products.0', 'products.1']);
  });

  it("ignores other partners' associations, another subscription, the claim's own and its own legacy ones", () => {
    expect(
      alreadyHeldErrors(
        claim,
        [
          held({ organizationId: 'org-b' }),
          held({ productId: 'd365_sales', subscriptionId: 'sub-2' }),
          held({ claimId: 'claim-2' }),
          held({ legacy: true, claimId: null }),
        ],
        subscriptionOf,
      ),
    ).toEqual([]);
    expect(heldByClaimant(claim, held({ legacy: true }))).toBe(false);
    expect(heldByClaimant(claim, held({}))).toBe(true);
  });
});
