/**
 * JSON with object keys sorted, so that equal values give equal text whatever the key order
 * (a client's retry, or jsonb, which does not keep the order a client sent).
 */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
      : x,
  );
}
