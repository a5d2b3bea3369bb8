import { describe, expect, it } from 'vitest';
import { contextOf } from './claim-context.js';

const at = (d: number) => new Date(Date.UTC(2026, 10, d));
const entry = (d: number, type: string, role: string, data: Record<string, unknown>) => ({
  at: at(d),
  type,
  actor_name: role === 'reviewer' ? 'Rosa' : role === 'customer' ? 'Lia' : 'Ada',
  actor_role: role,
  data,
});

describe('issue 13 point 5: the context of a status, from the history', () => {
  it('a rejection disputed and upheld: the reason, the comments, the justification, the decision', () => {
    // Newest first, as the query reads them.
    const c = contextOf([
      entry(9, 'resolve_dispute', 'reviewer', { outcome: 'uphold', comment: 'Still no Teams.' }),
      entry(8, 'dispute', 'global_admin', { justification: 'See section 3.', newPoe: false }),
      entry(7, 'comment_added', 'global_admin', { text: 'Why?' }),
      entry(6, 'reject', 'reviewer', { reason: 'insufficient_poe', comment: 'No Teams in the SOW.' }),
    ]);
    expect(c.reviewerComment).toEqual({ text: 'Still no Teams.', at: at(9).toISOString(), by: 'Rosa' });
    expect(c.rejection).toEqual({
      reason: 'insufficient_poe',
      comment: 'No Teams in the SOW.',
      at: at(6).toISOString(),
      by: 'Rosa',
    });
    expect(c.dispute?.justification).toBe('See section 3.');
    expect(c.dispute?.decision).toMatchObject({ outcome: 'uphold', comment: 'Still no Teams.' });
    expect(c.customerDenial).toBeNull();
  });

  it("a dispute not yet decided has no decision, even after an older dispute's", () => {
    const c = contextOf([
      entry(8, 'dispute', 'global_admin', { justification: null, newPoe: true }),
      entry(5, 'resolve_dispute', 'reviewer', { outcome: 'overturn', comment: 'ok' }),
    ]);
    expect(c.dispute).toMatchObject({ justification: null, newPoe: true, decision: null });
  });

  it("the customer's denial: its reason apart from the rejection (customer_declined)", () => {
    const c = contextOf([entry(4, 'customer_deny', 'customer', { reason: 'We never hired them.' })]);
    expect(c.customerDenial).toEqual({ reason: 'We never hired them.', at: at(4).toISOString() });
    expect(c.rejection).toMatchObject({ reason: 'customer_declined', comment: null });
    expect(c.reviewerComment).toBeNull();
  });

  it("the partner's withdrawal and disassociation keep their words", () => {
    expect(
      contextOf([entry(3, 'withdraw', 'global_admin', { comment: 'Wrong MPN.' })]).rejection,
    ).toMatchObject({ reason: 'partner_request', comment: 'Wrong MPN.' });
    expect(
      contextOf([entry(3, 'disassociate', 'global_admin', { reason: 'Contract over.' })]).disassociation,
    ).toMatchObject({ reason: 'Contract over.', by: 'Ada' });
  });
});
