// The reviewer queue's order: overdue first, then by due date (pure, unit-tested).
import type { Claim } from '../../api.js';

export function sortQueue(claims: Claim[]): Claim[] {
  const due = (c: Claim) => (c.dueAt ? new Date(c.dueAt).getTime() : Number.POSITIVE_INFINITY);
  return [...claims].sort((a, b) => {
    if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
    return due(a) - due(b);
  });
}
