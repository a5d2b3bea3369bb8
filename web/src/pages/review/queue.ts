// The reviewer queue's order and search (pure, unit-tested): by due date with the overdue
// first (the default), by last change, or oldest first; the search matches the claim's name,
// its customer's domain or its partner.
import type { Claim } from '../../api.js';

export function sortQueue(claims: Claim[], sort: 'newest' | 'oldest' | 'due' | 'updated' = 'due'): Claim[] {
  const time = (iso: string | null | undefined, none: number) => (iso ? new Date(iso).getTime() : none);
  const due = (c: Claim) => time(c.dueAt, Number.POSITIVE_INFINITY);
  return [...claims].sort((a, b) => {
    if (sort === 'updated') return time(b.updatedAt, 0) - time(a.updatedAt, 0);
    if (sort === 'oldest') return time(a.createdAt, 0) - time(b.createdAt, 0);
    if (sort === 'newest') return time(b.createdAt, 0) - time(a.createdAt, 0);
    if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
    return due(a) - due(b);
  });
}

export function matchesSearch(c: Claim, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [c.name, c.customer.domain, c.organizationName, c.mpnId].some((x) => x?.toLowerCase().includes(q));
}
