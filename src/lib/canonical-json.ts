import canonicalize from 'canonicalize';

/**
 * JSON in its RFC 8785 canonical form (the `canonicalize` package): keys sorted by UTF-16
 * code units, no spaces, numbers as ECMAScript writes them. Equal values give equal text
 * whatever the key order (a client's retry, or jsonb, which does not keep the order a client
 * sent), and anyone can recompute it: the history's hash chain is defined over it.
 */
export function canonicalJson(v: unknown): string {
  return canonicalize(v) ?? 'null';
}
