import { describe, expect, it } from 'vitest';
import { outcomeConditions, outcomeOf, outcomes } from './claim-outcome.js';
import { endReasons, rejectionReasons, statuses } from './claim.js';

describe('issue 13 point 2: outcomes told apart', () => {
  it('names each way a claim ends', () => {
    expect(outcomeOf('rejected', 'partner_request')).toBe('withdrawn');
    expect(outcomeOf('rejected', 'customer_declined')).toBe('customer_denied');
    expect(outcomeOf('rejected', 'no_partner_response')).toBe('no_partner_response');
    expect(outcomeOf('rejected', 'insufficient_poe')).toBe('rejected_by_reviewer');
    expect(outcomeOf('ended', 'partner_request')).toBe('disassociated');
    expect(outcomeOf('ended', 'superseded')).toBe('ended');
    expect(outcomeOf('ended', 'subscription_expired')).toBe('ended');
  });

  it('gives no outcome to a claim still open or approved', () => {
    for (const s of statuses.filter((x) => x !== 'rejected' && x !== 'ended'))
      expect(outcomeOf(s, 'partner_request')).toBeNull();
  });

  it("the list filter's conditions agree with outcomeOf for every reason", () => {
    const cases = [
      ...rejectionReasons.map((r) => ['rejected', r] as const),
      ...endReasons.map((r) => ['ended', r] as const),
    ];
    for (const [status, reason] of cases)
      for (const o of outcomes) {
        const c = outcomeConditions[o];
        const matches = c.status === status && c.reasons.includes(reason) !== Boolean(c.not);
        expect(matches, `${o} ${status} ${reason}`).toBe(outcomeOf(status, reason) === o);
      }
  });
});
